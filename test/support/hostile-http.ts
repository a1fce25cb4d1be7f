/**
 * Tools for throwing malformed HTTP at a server: a raw-socket client (for
 * bytes `fetch` refuses to send: literal `..` in paths, UTF-8 in headers), the
 * values to put in every field, and the one assertion every error answer
 * must pass.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';

export interface HostileRequest {
  /** Shown when the assertion fails. */
  name: string;
  method: string;
  /** Sent as is on the request line (raw) or resolved against the base URL (fetch). */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Send over a raw socket, byte for byte (headers as UTF-8). */
  raw?: boolean;
}

export interface HostileAnswer {
  status: number;
  contentType: string;
  text: string;
}

export async function send(baseUrl: string, request: HostileRequest): Promise<HostileAnswer> {
  if (request.raw) return sendRaw(baseUrl, request);
  const response = await fetch(new URL(request.path, baseUrl), {
    method: request.method,
    headers: request.headers,
    body: request.body,
  });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** HTTP/1.1 over a socket with `Connection: close`; enough for one answer (no chunked decoding needed for status and type). */
function sendRaw(baseUrl: string, request: HostileRequest): Promise<HostileAnswer> {
  const url = new URL(baseUrl);
  const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
  const headers: Record<string, string> = { host: url.host, connection: 'close', ...request.headers };
  if (body) headers['content-length'] = String(body.length);
  const head = `${request.method} ${request.path} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [headText, ...rest] = text.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(headText)?.[1] ?? 0);
      const contentType = /^content-type:\s*(.*)$/im.exec(headText)?.[1]?.trim() ?? '';
      const isChunked = /^transfer-encoding:\s*chunked/im.test(headText);
      const payload = rest.join('\r\n\r\n');
      resolve({ status, contentType, text: isChunked ? dechunk(payload) : payload });
    });
    socket.write(Buffer.concat([Buffer.from(head, 'utf8'), body ?? Buffer.alloc(0)]));
  });
}

function dechunk(payload: string): string {
  let out = '';
  let rest = payload;
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    if (lineEnd < 0) return out;
    const size = parseInt(rest.slice(0, lineEnd), 16);
    if (!size) return out;
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}

/** Everything that is not the value a field wants: wrong types, edges, huge, unicode, control characters. */
export const WRONG_VALUES: readonly unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  -0,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  ' ',
  '0',
  'x'.repeat(20_000),
  '\u0000',
  '😀💳',
  '\u202eevil',
  '\ud800',
  '<script>alert(1)</script>',
  "'; DROP TABLE cards; --",
  [],
  ['a'],
  {},
  JSON.parse('{"__proto__":{"polluted":true}}'),
];

/**
 * Whole bodies that are not a JSON object of the right shape. `__proto__` and
 * `constructor` keys are written as raw JSON so they arrive as own keys.
 */
export function hostileBodies(validBody: Record<string, unknown>): Array<{ name: string; body: string }> {
  const valid = JSON.stringify(validBody);
  const bodies = [
    { name: 'empty body', body: '' },
    { name: 'whitespace', body: '  \n ' },
    { name: 'not JSON', body: 'hello' },
    { name: 'truncated JSON', body: valid.slice(0, -1) },
    { name: 'JSON null', body: 'null' },
    { name: 'JSON array', body: '[]' },
    { name: 'JSON array of the valid body', body: `[${valid}]` },
    { name: 'JSON number', body: '42' },
    { name: 'JSON string', body: '"hello"' },
    { name: 'JSON true', body: 'true' },
    { name: 'empty object', body: '{}' },
    { name: 'deeply nested arrays', body: '['.repeat(20_000) + ']'.repeat(20_000) },
    { name: 'deeply nested object in a field', body: valid.replace(/^\{/, `{"deep":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)},`) },
    { name: '__proto__ key', body: valid.replace(/^\{/, '{"__proto__":{"polluted":true,"isAdmin":true},') },
    { name: 'constructor.prototype key', body: valid.replace(/^\{/, '{"constructor":{"prototype":{"polluted":true}},') },
    { name: 'duplicate keys', body: valid.replace(/^\{/, `{${Object.keys(validBody).map((k) => `"${k}":{"dup":1}`).join(',')},`) },
    { name: 'a UTF-8 BOM', body: `\ufeff${valid}` },
  ];
  for (const field of Object.keys(validBody)) {
    bodies.push({ name: `${field} missing`, body: JSON.stringify({ ...validBody, [field]: undefined }) });
    for (const value of WRONG_VALUES) {
      bodies.push({ name: `${field} = ${describeValue(value)}`, body: JSON.stringify({ ...validBody, [field]: value }) });
    }
  }
  return bodies;
}

/**
 * A body over the server's limit. Sent over a raw socket that closes after
 * the answer: a server may answer 413 before reading it all, which would
 * break a pooled `fetch` connection for the next request.
 */
export function oversizedBody(validBody: Record<string, unknown>, bytes = 200_000): string {
  return JSON.stringify({ ...validBody, pad: 'x'.repeat(bytes) });
}

export const HOSTILE_CONTENT_TYPES: readonly (string | undefined)[] = [
  undefined,
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/jsonx',
  'application/json-patch+json',
  '',
  ';;;',
];

export const WRONG_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'] as const;

export function describeValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 30)}…(${text.length} chars)` : text;
}

/**
 * The contract for anything a client can send: no 5xx, and an error is
 * `{ error: { code, message } }` JSON with a snake_case code.
 * `allowPlain` lets a route answer its 4xx with something else (e.g. the
 * frame's HTML refusal page).
 */
export function assertClientError(request: HostileRequest, answer: HostileAnswer, options: { allowPlain?: boolean } = {}): void {
  const label = `${request.name}: ${request.method} ${request.path.slice(0, 80)}`;
  assert.ok(answer.status >= 200 && answer.status < 500, `${label} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  if (answer.status < 400 || request.method === 'HEAD') return;
  if (options.allowPlain && !answer.contentType.startsWith('application/json')) return;
  assert.match(answer.contentType, /^application\/json/, `${label}: expected a JSON error, got ${answer.contentType}`);
  let body: { error?: { code?: unknown; message?: unknown } };
  try {
    body = JSON.parse(answer.text);
  } catch {
    assert.fail(`${label}: the error body is not JSON: ${answer.text.slice(0, 200)}`);
  }
  assert.equal(typeof body.error?.code, 'string', `${label}: no error.code in ${answer.text.slice(0, 200)}`);
  assert.match(body.error!.code as string, /^[a-z]+(_[a-z0-9]+)*$/, `${label}: code is not snake_case`);
  assert.equal(typeof body.error?.message, 'string', `${label}: no error.message`);
  assert.ok((body.error!.message as string).length > 0, `${label}: empty error.message`);
}
