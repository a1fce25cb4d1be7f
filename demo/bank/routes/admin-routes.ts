/**
 * `/admin/faults`: switches the fault injector's rules (see faults/fault-injector.ts).
 * Mounted only when the bank has an admin key; guarded by it (the API key does not work here).
 *
 *   PUT    /admin/faults  { faults: FaultRule[] }  replace all → 200 { faults }
 *   POST   /admin/faults  FaultRule                append one  → 201 { id, ...rule }
 *   GET    /admin/faults                           → 200 { faults: [{ id, ...rule, hits, remaining }] }
 *   DELETE /admin/faults                           clear all   → 204
 */
import { Hono } from 'hono';
import type { z } from 'zod';
import { faultListSchema, faultRuleSchema, normalizeFaultRule } from '../faults/fault-rule.ts';
import type { FaultStore } from '../faults/fault-store.ts';
import { ApiError } from '../http/api-error.ts';
import { assertNoDuplicateKeys, readJsonText } from '../http/read-json-body.ts';

export function adminRoutes(store: FaultStore): Hono {
  return new Hono()
    .get('/admin/faults', (c) => c.json({ faults: store.list() }))
    .put('/admin/faults', async (c) => {
      const { faults } = readAdminBody(await readJsonText(c), faultListSchema);
      return c.json({ faults: store.replace(faults.map(normalizeFaultRule)) });
    })
    .post('/admin/faults', async (c) => {
      const rule = readAdminBody(await readJsonText(c), faultRuleSchema);
      const { hits: _hits, remaining: _remaining, ...stored } = store.append(normalizeFaultRule(rule));
      return c.json(stored, 201);
    })
    .delete('/admin/faults', (c) => {
      store.clear();
      return c.body(null, 204);
    });
}

/**
 * Like http/read-json-body.ts (the text comes from its `readJsonText`, 415 for
 * another content type; a member name twice is its 400), but naming the received
 * value too: admin bodies hold no card data, and "received 2" says more than "too big".
 */
function readAdminBody<Schema extends z.ZodType>(text: string, schema: Schema): z.infer<Schema> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(422, 'validation_error', 'expected a JSON request body, received something that does not parse as JSON');
  }
  assertNoDuplicateKeys(text);
  const parsed = schema.safeParse(body, { reportInput: true });
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'body';
    if (issue.code === 'unrecognized_keys') {
      const fields = (schema as z.ZodType) === faultListSchema && issue.path.length === 0 ? 'faults' : 'route, kind, rate, count, ms';
      return `${where}: expected only the fields ${fields}, received ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
    }
    const message = issue.message.replace(/^(Invalid input|Invalid option|Too big|Too small): /, '');
    if (!('input' in issue)) return `${where}: ${message}`;
    if (!/\breceived\b/.test(message)) return `${where}: ${message}, received ${describe(issue.input)}`;
    // zod says "received number"; the value itself says more.
    const primitive = ['string', 'number', 'boolean'].includes(typeof issue.input);
    return `${where}: ${message}${primitive ? ` (${describe(issue.input)})` : ''}`;
  });
  throw new ApiError(422, 'validation_error', details.join('; '));
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
