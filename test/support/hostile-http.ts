/**
 * Tools for throwing malformed HTTP at a server: a raw-socket client (for
 * bytes `fetch` refuses to send: literal `..` in paths, UTF-8 in headers), the
 * values to put in every field, and expectation tables: every hostile request
 * carries the exact status and error code it must get.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';

/**
 * What one request must get: an exact status, and for an error the exact
 * `error.code` of a `{ error: { code, message } }` JSON body. `code: null` is
 * an answer that is not a JSON error (a 2xx, the frame's HTML refusal page).
 * `bug` marks an answer that is wrong today: the table keeps the right answer,
 * the request is checked against `bug.today` (so fixing it fails the test
 * until the entry is cleaned up), and `bug.fix` says where it is to be fixed.
 */
export interface Expected {
  status: number;
  code: string | null;
  bug?: { today: { status: number; code: string | null }; fix: string };
}

export const answer = (status: number, code: string | null = null): Expected => ({ status, code });

/** A wrong answer today: `right` is what the table says it should be. */
export function knownBug(right: Expected, today: Expected, fix: string): Expected {
  return { ...right, bug: { today: { status: today.status, code: today.code }, fix } };
}

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
  expect: Expected;
}

export interface HostileAnswer {
  status: number;
  contentType: string;
  text: string;
}

export async function send(baseUrl: string, request: Omit<HostileRequest, 'expect'>): Promise<HostileAnswer> {
  if (request.raw) return sendRaw(baseUrl, request);
  const response = await fetch(new URL(request.path, baseUrl), {
    method: request.method,
    headers: request.headers,
    body: request.body,
  });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** HTTP/1.1 over a socket with `Connection: close`; enough for one answer (no chunked decoding needed for status and type). */
function sendRaw(baseUrl: string, request: Omit<HostileRequest, 'expect'>): Promise<HostileAnswer> {
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

/** Everything that is not the value a field wants, by kind: wrong types, edges, huge, unicode, control characters. */
export const WRONG_VALUES = [
  { kind: 'null', value: null },
  { kind: 'true', value: true },
  { kind: 'zero', value: 0 },
  { kind: 'negative', value: -1 },
  { kind: 'fraction', value: 1.5 },
  { kind: 'huge number', value: 1e308 },
  { kind: 'negative zero', value: -0 },
  { kind: 'unsafe integer', value: Number.MAX_SAFE_INTEGER + 2 },
  { kind: 'empty string', value: '' },
  { kind: 'blank', value: ' ' },
  { kind: 'digit string', value: '0' },
  { kind: 'long string', value: 'x'.repeat(20_000) },
  { kind: 'NUL', value: '\u0000' },
  { kind: 'emoji', value: '😀💳' },
  { kind: 'bidi override', value: '\u202eevil' },
  { kind: 'lone surrogate', value: '\ud800' },
  { kind: 'HTML', value: '<script>alert(1)</script>' },
  { kind: 'SQL', value: "'; DROP TABLE cards; --" },
  { kind: 'empty array', value: [] },
  { kind: 'array', value: ['a'] },
  { kind: 'empty object', value: {} },
  { kind: '__proto__ object', value: JSON.parse('{"__proto__":{"polluted":true}}') },
] as const;

export type ValueKind = (typeof WRONG_VALUES)[number]['kind'];

/** Groups of kinds, for writing field rules. */
export const KINDS = {
  numbers: ['zero', 'negative', 'fraction', 'huge number', 'negative zero', 'unsafe integer'],
  /** Non-empty strings without NUL, at most a few dozen characters. */
  shortText: ['blank', 'digit string', 'emoji', 'bidi override', 'lone surrogate', 'HTML', 'SQL'],
} as const satisfies Record<string, readonly ValueKind[]>;

/** What a field gets when it is missing, when it holds each wrong value (`otherwise` unless a kind says else). */
export interface FieldRule {
  missing: Expected;
  otherwise: Expected;
  byKind?: Partial<Record<ValueKind, Expected>>;
}

/** `{ kinds[0]: e, kinds[1]: e, … }`, for `byKind`. */
export function each(kinds: readonly ValueKind[], expected: Expected): Partial<Record<ValueKind, Expected>> {
  return Object.fromEntries(kinds.map((kind) => [kind, expected]));
}

/** The body mutations that do not depend on the route's fields. */
export type WholeBodyMutation =
  | 'empty body'
  | 'whitespace'
  | 'not JSON'
  | 'truncated JSON'
  | 'JSON null'
  | 'JSON array'
  | 'JSON array of the valid body'
  | 'JSON number'
  | 'JSON string'
  | 'JSON true'
  | 'empty object'
  | 'deeply nested arrays'
  | 'deeply nested object in a field'
  | '__proto__ key'
  | 'constructor.prototype key'
  | 'duplicate keys'
  | 'a UTF-8 BOM';

/**
 * One JSON route's expectation table: every whole-body mutation, every field
 * missing or holding every wrong value, every wrong content type, the size limit.
 */
export interface BodyTable {
  /** A JSON value that is not an object; also what is not JSON at all (empty, whitespace, text, truncated, 20,000 nested arrays) unless `notJson` says else. */
  notAnObject: Expected;
  /** Empty, whitespace, text, truncated JSON, when a route tells them from a non-object. */
  notJson?: Expected;
  /** Whole-body mutations whose answer differs on this route (e.g. a 40 kB nesting over a small size limit). */
  overrides?: Partial<Record<WholeBodyMutation, Expected>>;
  /** `{}` */
  emptyObject: Expected;
  /** The valid body itself, and the valid body behind a UTF-8 BOM (RFC 8259 §8.1 lets a parser ignore it). */
  valid: Expected;
  /** The valid body plus a key the route does not know: `__proto__`, `constructor`, a 5,000-deep object. */
  unknownKeys: Expected;
  /** Every key twice (`{"a":{"dup":1},…,"a":<valid>}`): parsers disagree on which one counts. */
  duplicateKeys: Expected;
  /** Content types other than application/json, or none. */
  contentType: Expected;
  tooLarge: Expected;
  fields: Record<string, FieldRule>;
}

export interface BodyCase {
  name: string;
  body: string;
  expect: Expected;
}

/** Every wrong body for `validBody`, each with its expected answer from `table`. */
export function hostileBodies(validBody: Record<string, unknown>, table: BodyTable): BodyCase[] {
  const valid = JSON.stringify(validBody);
  /** The valid body with `members` written in front of its own (raw JSON, so `__proto__` arrives as an own key). */
  const prepend = (members: string) => (valid === '{}' ? `{${members}}` : valid.replace(/^\{/, `{${members},`));
  const notJson = table.notJson ?? table.notAnObject;
  const whole: Record<WholeBodyMutation, [string, Expected]> = {
    'empty body': ['', notJson],
    whitespace: ['  \n ', notJson],
    'not JSON': ['hello', notJson],
    'truncated JSON': [valid.slice(0, -1), notJson],
    'JSON null': ['null', table.notAnObject],
    'JSON array': ['[]', table.notAnObject],
    'JSON array of the valid body': [`[${valid}]`, table.notAnObject],
    'JSON number': ['42', table.notAnObject],
    'JSON string': ['"hello"', table.notAnObject],
    'JSON true': ['true', table.notAnObject],
    'empty object': ['{}', table.emptyObject],
    'deeply nested arrays': ['['.repeat(20_000) + ']'.repeat(20_000), notJson],
    'deeply nested object in a field': [prepend(`"deep":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`), table.unknownKeys],
    '__proto__ key': [prepend('"__proto__":{"polluted":true,"isAdmin":true}'), table.unknownKeys],
    'constructor.prototype key': [prepend('"constructor":{"prototype":{"polluted":true}}'), table.unknownKeys],
    'duplicate keys': [prepend(Object.keys(validBody).map((k) => `"${k}":{"dup":1}`).join(',')), Object.keys(validBody).length ? table.duplicateKeys : table.valid],
    'a UTF-8 BOM': [`\ufeff${valid}`, table.valid],
  };
  const cases: BodyCase[] = Object.entries(whole).map(([name, [body, expect]]) => ({
    name,
    body,
    expect: table.overrides?.[name as WholeBodyMutation] ?? expect,
  }));
  for (const field of Object.keys(validBody)) {
    const rule = table.fields[field];
    assert.ok(rule, `the table has no rule for field ${field}`);
    cases.push({ name: `${field} missing`, body: JSON.stringify({ ...validBody, [field]: undefined }), expect: rule.missing });
    for (const { kind, value } of WRONG_VALUES) {
      cases.push({
        name: `${field} = ${describeValue(value)} (${kind})`,
        body: JSON.stringify({ ...validBody, [field]: value }),
        expect: rule.byKind?.[kind] ?? rule.otherwise,
      });
    }
  }
  return cases;
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
 * The contract for anything a client can send: exactly the status the table
 * expects (never a 5xx, which no table may expect), and for an error exactly
 * its code in `{ error: { code, message } }` JSON with a non-empty message.
 */
export function assertAnswer(request: HostileRequest, answer: HostileAnswer): void {
  const label = `${request.name}: ${request.method} ${request.path.slice(0, 80)}`;
  const expected = request.expect.bug?.today ?? request.expect;
  assert.ok(request.expect.status < 500 && expected.status < 500, `${label}: a table may not expect a 5xx`);
  assert.equal(answer.status, expected.status, `${label}: expected ${expected.status} ${expected.code ?? ''}, got ${answer.status} ${answer.text.slice(0, 300)}`);
  if (expected.code === null) {
    if (answer.status >= 400 && request.method !== 'HEAD') {
      assert.doesNotMatch(answer.contentType, /^application\/json/, `${label}: expected a non-JSON answer, got ${answer.text.slice(0, 200)}`);
    }
    return;
  }
  assert.match(answer.contentType, /^application\/json/, `${label}: expected a JSON error, got ${answer.contentType}`);
  let body: { error?: { code?: unknown; message?: unknown } };
  try {
    body = JSON.parse(answer.text);
  } catch {
    assert.fail(`${label}: the error body is not JSON: ${answer.text.slice(0, 200)}`);
  }
  assert.equal(body.error?.code, expected.code, `${label}: expected code ${expected.code}, got ${answer.text.slice(0, 200)}`);
  assert.equal(typeof body.error?.message, 'string', `${label}: no error.message`);
  assert.ok((body.error!.message as string).length > 0, `${label}: empty error.message`);
}

/** Sends every request (`parallel` at a time) and reports every wrong answer at once. */
export async function checkAll(baseUrl: string, requests: HostileRequest[], parallel = 6): Promise<void> {
  const failures: string[] = [];
  const queue = [...requests];
  const worker = async () => {
    for (let request = queue.shift(); request; request = queue.shift()) {
      try {
        assertAnswer(request, await send(baseUrl, request));
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code;
        const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
        failures.push(message.startsWith(request.name) ? message : `${request.name} (${request.method} ${request.path.slice(0, 60)}): ${message} ${cause ?? ''}`);
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  assert.deepEqual(failures, [], `${failures.length} of ${requests.length} requests got another answer than their table says`);
}

/** The known bugs among `requests`, one line each, for a report. */
export function knownBugs(requests: HostileRequest[]): string[] {
  return requests
    .filter((r) => r.expect.bug)
    .map((r) => `${r.method} ${r.path.split('?')[0].slice(0, 50)} ${r.name}: ${r.expect.bug!.today.status} ${r.expect.bug!.today.code ?? ''}, should be ${r.expect.status} ${r.expect.code ?? ''} (${r.expect.bug!.fix})`);
}
