import type { JsonSchema, OpenApiDocument, OpenApiOperation } from '../../server/openapi/openapi-document.ts';
import { escapeHtml } from './html.ts';

/**
 * The wallet's OpenAPI document as a reference page: every operation (method, path, auth, parameters, body,
 * answers), the webhooks, and every schema, linked by name. Rendered on the server, no script, no library.
 */
export function renderApiReference(doc: OpenApiDocument, documentUrl: string): string {
  const tags = doc.tags.map((tag) => {
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, operation]) => operation.tags.includes(tag.name))
        .map(([method, operation]) => operationHtml(doc, method, path, operation)),
    );
    return `<section><h2>${escapeHtml(tag.name)}</h2>${paragraph(tag.description)}${operations.join('\n')}</section>`;
  });
  const webhooks = Object.entries(doc.webhooks).map(([type, { post }]) => operationHtml(doc, 'post', `(your endpoint) — ${type}`, { ...post, tags: [] }));
  const schemas = Object.entries(doc.components.schemas).map(
    ([name, schema]) => `<section class="schema" id="schema-${escapeHtml(name)}"><h3>${escapeHtml(name)}</h3>${schemaHtml(schema)}</section>`,
  );
  const security = Object.entries(doc.components.securitySchemes).map(
    ([name, scheme]) => `<li><code>${escapeHtml(name)}</code>: ${escapeHtml(String(scheme.scheme ?? scheme.type))} — ${inline(String(scheme.description ?? ''))}</li>`,
  );
  return `<div class="api">
<h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>
${paragraph(doc.info.description)}
<p>OpenAPI ${escapeHtml(doc.openapi)}: <a href="${escapeHtml(documentUrl)}">${escapeHtml(documentUrl)}</a></p>
<h2>Authentication</h2><ul>${security.join('')}</ul>
${tags.join('\n')}
<section><h2>Webhooks</h2>${webhooks.join('\n')}</section>
<section><h2>Schemas</h2>${schemas.join('\n')}</section>
</div>`;
}

/** Styles for the page (it is the shop's only page that needs them). */
export const apiReferenceCss = `<style>
.api { max-width: 60rem; }
.api h3 { margin: 1.5rem 0 .25rem; font-size: 1rem; }
.api .method { display: inline-block; min-width: 4rem; padding: 0 .4rem; border-radius: 4px; background: #0f4c81; color: #fff; font: bold .8rem monospace; text-transform: uppercase; }
.api ul ul { margin: .1rem 0; }
.api .muted, .api small { color: #666; }
.api code { font-size: .9em; }
</style>`;

function operationHtml(doc: OpenApiDocument, method: string, path: string, operation: OpenApiOperation): string {
  const auth = operation.security
    ? operation.security.length === 0
      ? 'none (see below)'
      : operation.security.map((s) => (Object.keys(s).length === 0 ? 'none' : Object.keys(s).join(' + '))).join(' or ')
    : 'none';
  const parameters = (operation.parameters ?? []).map((parameter) => {
    const resolved = typeof parameter.$ref === 'string' ? doc.components.parameters[parameter.$ref.split('/').pop()!] : parameter;
    return `<li><code>${escapeHtml(String(resolved.name))}</code> (${escapeHtml(String(resolved.in))}${resolved.required ? ', required' : ''}): ${schemaHtml(resolved.schema as JsonSchema)}${resolved.description ? ` — ${inline(String(resolved.description))}` : ''}</li>`;
  });
  const body = operation.requestBody
    ? `<p><strong>Body</strong>${operation.requestBody.required ? '' : ' (optional)'}: ${schemaHtml(operation.requestBody.content['application/json'].schema)}</p>`
    : '';
  const responses = Object.entries(operation.responses).map(([status, response]) => {
    const resolved = typeof response.$ref === 'string' ? doc.components.responses[response.$ref.split('/').pop()!] : response;
    const schema = (resolved.content as { 'application/json'?: { schema: JsonSchema } } | undefined)?.['application/json']?.schema;
    return `<li><code>${escapeHtml(status)}</code> ${inline(String(resolved.description ?? ''))}${schema ? `: ${schemaHtml(schema)}` : ''}</li>`;
  });
  return `<article id="${escapeHtml(operation.operationId)}">
<h3><span class="method">${escapeHtml(method)}</span> <code>${escapeHtml(path)}</code></h3>
<p>${inline(operation.summary)}</p>${paragraph(operation.description)}
<p class="muted">Auth: ${escapeHtml(auth)}</p>
${parameters.length > 0 ? `<p><strong>Parameters</strong></p><ul>${parameters.join('')}</ul>` : ''}${body}
<p><strong>Answers</strong></p><ul>${responses.join('')}</ul>
</article>`;
}

/** A schema in a line or a nested list: `$ref`s become links to the schema's section. */
function schemaHtml(schema: JsonSchema | undefined): string {
  if (!schema) return 'any';
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').pop()!;
    return `<a href="#schema-${escapeHtml(name)}">${escapeHtml(name)}</a>`;
  }
  const described = (text: string) => (typeof schema.description === 'string' ? `${text} <span class="muted">— ${inline(schema.description)}</span>` : text);
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (alternatives) return described(alternatives.map(schemaHtml).join(' | '));
  if ('const' in schema) return described(`<code>${escapeHtml(JSON.stringify(schema.const))}</code>`);
  if (Array.isArray(schema.enum)) return described(`one of ${schema.enum.map((value) => `<code>${escapeHtml(JSON.stringify(value))}</code>`).join(', ')}`);
  if (schema.type === 'array') return described(`array of ${schemaHtml(schema.items as JsonSchema)}`);
  if (schema.type === 'object' && schema.properties) {
    const required = new Set((schema.required as string[] | undefined) ?? []);
    const members = Object.entries(schema.properties as Record<string, JsonSchema>).map(
      ([name, member]) => `<li><code>${escapeHtml(name)}</code>${required.has(name) ? '' : ' <span class="muted">(optional)</span>'}: ${schemaHtml(member)}</li>`,
    );
    const open = schema.additionalProperties !== false ? '<li class="muted">… and other members</li>' : '';
    return described(`object<ul>${members.join('')}${open}</ul>`);
  }
  const limits = [
    ['format', schema.format],
    ['pattern', schema.pattern],
    ['min length', schema.minLength],
    ['max length', schema.maxLength],
    ['>', schema.exclusiveMinimum],
    ['≥', Number(schema.minimum) > -(2 ** 53) + 1 ? schema.minimum : undefined],
    ['≤', Number(schema.maximum) < 2 ** 53 - 1 ? schema.maximum : undefined],
  ]
    .filter(([, value]) => value !== undefined)
    .map(([label, value]) => `${label} <code>${escapeHtml(String(value))}</code>`);
  const type = typeof schema.type === 'string' ? schema.type : 'any';
  return described(`${escapeHtml(type)}${limits.length > 0 ? ` (${limits.join(', ')})` : ''}`);
}

/** Text with `code` spans (the document's descriptions use backticks), escaped. */
function inline(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function paragraph(text: string | undefined): string {
  return text ? `<p>${inline(text)}</p>` : '';
}
