/**
 * Malformed input at every route of the sandbox bank's HTTP API, each request
 * with the exact status and error code its table expects (never a 5xx, every
 * error `{ error: { code, message } }` JSON), no money moved by anything
 * malformed, and the ledger stays sound. An answer found wrong would be a
 * `knownBug` entry (the right answer in the table, today's pinned); there are none.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { startSandboxBank, type RunningSandboxBank } from '../../demo/bank/main.ts';
import {
  answer,
  checkAll as checkAllAt,
  describeValue,
  each,
  HOSTILE_CONTENT_TYPES,
  hostileBodies,
  KINDS,
  knownBugs,
  oversizedBody,
  WRONG_METHODS,
  type BodyTable,
  type Expected,
  type FieldRule,
  type HostileRequest,
} from '../support/hostile-http.ts';

const apiKey = 'bank_sk_hostile_test_0123456789';
const adminKey = 'bank_admin_hostile_test_0123456789';
const auth = { authorization: `Bearer ${apiKey}` };
const adminAuth = { authorization: `Bearer ${adminKey}` };
let bank: RunningSandboxBank;
let dataDir: string;
let token: string;
let chargeId: string;
const year = new Date().getUTCFullYear();

const post = async (path: string, body: unknown) => {
  const res = await fetch(`${bank.url}${path}`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
};

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'paykey-bank-hostile-'));
  bank = await startSandboxBank({ port: 0, dataDir, apiKey, adminKey });
  token = (await post('/v1/tokens', { number: '4242424242424242', exp_month: 12, exp_year: year + 2, cvc: '123', name: 'Ada' })).body.token;
  const charge = await post('/v1/charges', { token, amount: 1000, currency: 'USD', reference: 'hostile-setup' });
  assert.equal(charge.status, 201);
  chargeId = charge.body.id;
});
after(async () => {
  await bank?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function ledger<T>(read: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, 'sandbox-bank.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const sent: HostileRequest[] = [];
async function checkAll(requests: HostileRequest[]): Promise<void> {
  sent.push(...requests);
  await checkAllAt(bank.url, requests);
}

const NOT_JSON = answer(400, 'invalid_json');
const INVALID = answer(422, 'validation_error');
const TOO_LARGE = answer(413, 'payload_too_large');
const UNAUTHORIZED = answer(401, 'unauthorized');
const NOT_FOUND = answer(404, 'not_found');
const KEY_REQUIRED = answer(422, 'idempotency_key_required');

const UNSUPPORTED = answer(415, 'unsupported_media_type');
/** A member name twice in one object (read-json-body.ts; I-JSON, RFC 7493 §2.3), on every route: parsers disagree on which one counts. */
const DUPLICATE_KEYS = NOT_JSON;

/** A field: `otherwise` for every wrong value, 413 for the 20,000-character one (over the bank's body limit). */
const field = (otherwise: Expected, missing = otherwise, byKind: FieldRule['byKind'] = {}): FieldRule => ({
  missing,
  otherwise,
  byKind: { 'long string': TOO_LARGE, ...byKind },
});

/** The bank's table skeleton: its JSON reader tells syntax (400) from shape (422); 40 kB of nesting is over its limit. */
const table = (valid: Expected, fields: BodyTable['fields'], extra: Partial<BodyTable> = {}): BodyTable => ({
  notJson: NOT_JSON,
  notAnObject: INVALID,
  overrides: { 'deeply nested arrays': TOO_LARGE, 'deeply nested object in a field': TOO_LARGE },
  emptyObject: INVALID,
  valid,
  // Strict schemas, as /admin/faults has.
  unknownKeys: INVALID,
  duplicateKeys: DUPLICATE_KEYS,
  contentType: UNSUPPORTED,
  tooLarge: TOO_LARGE,
  fields,
  ...extra,
});

/**
 * Each hostile body gets its own Idempotency-Key, so every one reaches validation afresh, and (`fresh`) its own
 * reference in place of the valid body's, so a well-formed one books once and never meets another's reference.
 */
function bodyCases(path: string, validBody: Record<string, unknown>, expectations: BodyTable, method = 'POST', key: Record<string, string> = auth): HostileRequest[] {
  const headers = () => ({ ...key, 'content-type': 'application/json', 'idempotency-key': randomUUID() });
  const reference = typeof validBody.reference === 'string' ? validBody.reference : undefined;
  const fresh = (body: string) => (reference ? body.replaceAll(reference, `hostile-${randomUUID()}`) : body);
  const cases: HostileRequest[] = hostileBodies(validBody, expectations).map(({ name, body, expect }) => ({ name, method, path, headers: headers(), body: fresh(body), expect }));
  cases.push({ name: 'over the size limit', method, path, headers: headers(), body: oversizedBody(validBody), raw: true, expect: TOO_LARGE });
  for (const type of HOSTILE_CONTENT_TYPES) {
    const { 'content-type': _, ...rest } = headers();
    cases.push({ name: `content-type ${JSON.stringify(type)}`, method, path, headers: type === undefined ? rest : { ...rest, 'content-type': type }, body: fresh(JSON.stringify(validBody)), expect: expectations.contentType });
  }
  if (path.startsWith('/admin/')) return cases;
  // A key of 1 to 255 printable ASCII characters; fetch trims blanks to nothing.
  for (const key of ['', ' ', 'k'.repeat(300), 'é', '\t']) {
    cases.push({ name: `idempotency-key ${describeValue(key)}`, method: 'POST', path, headers: { ...headers(), 'idempotency-key': key }, body: fresh(JSON.stringify(validBody)), expect: KEY_REQUIRED });
  }
  cases.push({ name: 'idempotency-key (raw UTF-8)', method: 'POST', path, headers: { ...headers(), 'idempotency-key': '💳' }, body: fresh(JSON.stringify(validBody)), raw: true, expect: KEY_REQUIRED });
  return cases;
}

function authCases(method: string, path: string, body?: string): HostileRequest[] {
  const base: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json', 'idempotency-key': randomUUID() };
  const values = ['', 'Bearer', 'Bearer ', 'bearer', `Basic ${apiKey}`, `Bearer ${apiKey} x`, `Bearer  ${apiKey}`, `Bearer ${'x'.repeat(8_000)}`, 'Bearer é'];
  const cases: HostileRequest[] = values.map((value) => ({ name: `authorization ${describeValue(value)}`, method, path, headers: { ...base, authorization: value }, body, expect: UNAUTHORIZED }));
  for (const value of ['Bearer 💳', `Bearer ${apiKey}\u00e9`]) {
    cases.push({ name: `authorization (raw UTF-8) ${value.slice(0, 12)}`, method, path, headers: { ...base, authorization: value }, body, raw: true, expect: UNAUTHORIZED });
  }
  return cases;
}

describe('sandbox bank: hostile input', () => {
  const tokenBody = () => ({ number: '4242424242424242', exp_month: 12, exp_year: year + 2, cvc: '123', name: 'Ada' });
  // bodyCases gives every mutated charge/refund a reference of its own: well-formed ones charge (500) or refund (1) once each.
  const chargeBody = () => ({ token, amount: 500, currency: 'USD', reference: `hostile-${randomUUID()}`, description: 'x' });
  const refundBody = () => ({ charge_id: chargeId, amount: 1, currency: 'USD', reference: `hostile-refund-${randomUUID()}` });

  const CREATED = answer(201);
  const TEXT = [...KINDS.shortText, 'empty string'] as const;
  // Text the bank keeps (names, references, descriptions) refuses NUL with a 422; what is only looked up
  // (tokens, charge ids) or checked as card data (number, CVC) just finds nothing or fails its check.

  it('POST /v1/tokens', async () => {
    const INVALID_CARD = answer(402, 'invalid_card');
    const INCORRECT_CVC = answer(402, 'incorrect_cvc');
    await checkAll(bodyCases('/v1/tokens', tokenBody(), table(CREATED, {
      // Any string is looked at as a card number (and refused as one); anything else is the wrong shape.
      number: field(INVALID, INVALID, { ...each(TEXT, INVALID_CARD), NUL: INVALID_CARD }),
      exp_month: field(INVALID),
      exp_year: field(INVALID),
      // Up to 4 characters: checked as a CVC; longer is the wrong shape.
      cvc: field(INVALID, INVALID, { ...each(['empty string', 'blank', 'digit string', 'emoji', 'bidi override', 'lone surrogate'], INCORRECT_CVC), NUL: INCORRECT_CVC }),
      name: field(INVALID, INVALID, { ...each(KINDS.shortText.filter((k) => k !== 'blank'), CREATED), NUL: INVALID }),
    })));
  });

  it('POST /v1/charges', async () => {
    await checkAll(bodyCases('/v1/charges', chargeBody(), table(CREATED, {
      token: field(INVALID, INVALID, { ...each(KINDS.shortText, answer(404, 'token_not_found')), NUL: answer(404, 'token_not_found') }),
      amount: field(INVALID),
      currency: field(INVALID),
      reference: field(INVALID, INVALID, { ...each(KINDS.shortText, CREATED), NUL: INVALID }),
      description: field(INVALID, CREATED, { ...each(TEXT, CREATED), NUL: INVALID }),
    })));
  });

  it('POST /v1/refunds', async () => {
    await checkAll(bodyCases('/v1/refunds', refundBody(), table(CREATED, {
      charge_id: field(INVALID, INVALID, { ...each(KINDS.shortText, answer(404, 'charge_not_found')), NUL: answer(404, 'charge_not_found') }),
      amount: field(INVALID),
      currency: field(INVALID),
      reference: field(INVALID, INVALID, { ...each(KINDS.shortText, CREATED), NUL: INVALID }),
    })));
  });

  it('GET /v1/charges?reference=: any reference is a lookup (200), none or an over-long one 422', async () => {
    const OK = answer(200);
    const references: Array<[string, Expected]> = [
      ['', INVALID], ['%00', OK], ['%E0%A4%A', OK], ['%', OK], ['x'.repeat(6_000), INVALID], ['__proto__', OK], ["'%20OR%201%3D1%20--", OK], ['%F0%9F%98%80', OK], ['a&reference=b', OK],
    ];
    const cases: HostileRequest[] = references.map(([r, expect]) => ({ name: `reference ${r.slice(0, 20)}`, method: 'GET', path: `/v1/charges?reference=${r}`, headers: auth, expect }));
    cases.push({ name: 'no query', method: 'GET', path: '/v1/charges', headers: auth, expect: INVALID });
    cases.push({ name: 'reference[]', method: 'GET', path: '/v1/charges?reference[]=a', headers: auth, expect: INVALID });
    await checkAll(cases);
  });

  it('GET /v1/charges and /v1/refunds listing parameters: every malformed one is 422', async () => {
    const values = ['', '%00', '%E0%A4%A', '%', 'x'.repeat(6_000), '__proto__', "'%20OR%201%3D1%20--", '%F0%9F%98%80', '-1', '1e3', '0x10', '99999999999999999999', '2025-02-30', '2025-01-01T00:00:00%2B99:99', '%2B275760-09-13', 'null'];
    const cases: HostileRequest[] = [];
    for (const path of ['/v1/charges', '/v1/refunds']) {
      for (const value of values) {
        for (const query of [`created_since=${value}`, `created_since=2020-01-01&limit=${value}`, `created_since=2020-01-01&starting_after=${value}`]) {
          cases.push({ name: `${path}?${query.slice(0, 40)}`, method: 'GET', path: `${path}?${query}`, headers: auth, expect: INVALID });
        }
        // A reference is a lookup: none, or one over the length limit, is refused; anything else finds nothing.
        const refused = value === '' || value.length > 1000;
        cases.push({ name: `${path}?reference=${value.slice(0, 30)}`, method: 'GET', path: `${path}?reference=${value}`, headers: auth, expect: refused ? INVALID : answer(200) });
      }
      cases.push({ name: `${path} no query`, method: 'GET', path, headers: auth, expect: INVALID });
      cases.push({ name: `${path} created_since[]`, method: 'GET', path: `${path}?created_since[]=2020-01-01`, headers: auth, expect: INVALID });
    }
    await checkAll(cases);
  });

  it('PUT and POST /admin/faults (admin key)', async () => {
    // A harmless valid rule (never fires), so valid-shaped mutations change nothing either.
    const rule = { route: 'token', kind: 'latency', rate: 0, count: 1, ms: 1 };
    const ruleField = (missing: Expected, byKind: FieldRule['byKind'] = {}) => field(INVALID, missing, byKind);
    const adminTable = (valid: Expected, fields: BodyTable['fields']) =>
      table(valid, fields, { notJson: INVALID, unknownKeys: INVALID, duplicateKeys: DUPLICATE_KEYS });
    await checkAll([
      ...bodyCases('/admin/faults', rule, adminTable(CREATED, {
        route: ruleField(INVALID),
        kind: ruleField(INVALID),
        // rate defaults to 1, count to unlimited, ms to the kind's default; 0 (and -0) are valid for rate and ms.
        rate: ruleField(CREATED, { zero: CREATED, 'negative zero': CREATED }),
        count: ruleField(CREATED),
        ms: ruleField(CREATED, { zero: CREATED, 'negative zero': CREATED }),
      }), 'POST', adminAuth),
      ...bodyCases('/admin/faults', { faults: [rule] }, adminTable(answer(200), { faults: ruleField(INVALID, { 'empty array': answer(200) }) }), 'PUT', adminAuth),
    ]);
    assert.equal((await fetch(`${bank.url}/admin/faults`, { method: 'DELETE', headers: adminAuth })).status, 204);
  });

  it('malformed Authorization headers are 401 unauthorized on every /admin route', async () => {
    await checkAll([
      ...authCases('GET', '/admin/faults'),
      ...authCases('DELETE', '/admin/faults'),
      ...authCases('PUT', '/admin/faults', JSON.stringify({ faults: [] })),
      ...authCases('POST', '/admin/faults', JSON.stringify({ route: 'any', kind: 'error_before' })),
    ]);
  });

  it('malformed Authorization headers are 401 unauthorized on every /v1 route', async () => {
    await checkAll([
      ...authCases('POST', '/v1/tokens', JSON.stringify(tokenBody())),
      ...authCases('POST', '/v1/charges', JSON.stringify(chargeBody())),
      ...authCases('POST', '/v1/refunds', JSON.stringify(refundBody())),
      ...authCases('GET', '/v1/charges?reference=hostile-setup'),
      ...authCases('GET', '/v1/refunds?created_since=2020-01-01'),
      ...authCases('DELETE', '/v1/tokens/tok_hostile'),
      ...authCases('GET', '/v1/brand'),
    ]);
  });

  // 404 rather than 405 for a wrong method, on purpose: Stripe, on whose API this one is modelled, does the same.
  it('wrong methods, unknown and odd paths are 404 not_found', async () => {
    const cases: HostileRequest[] = [];
    for (const [path, allowed] of [
      ['/brand', ['GET', 'HEAD']],
      ['/logo.svg', ['GET', 'HEAD']],
      ['/v1/tokens', ['POST']],
      ['/v1/tokens/tok_hostile', ['DELETE']],
      ['/v1/brand', ['GET', 'HEAD']],
      ['/v1/charges', ['GET', 'HEAD', 'POST']],
      ['/v1/refunds', ['GET', 'HEAD', 'POST']],
    ] as const) {
      for (const method of WRONG_METHODS.filter((m) => !(allowed as readonly string[]).includes(m))) {
        const body = method === 'GET' || method === 'HEAD' ? undefined : '{}';
        cases.push({ name: `${method} ${path}`, method, path, headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': randomUUID() }, body, expect: method === 'HEAD' ? answer(404) : NOT_FOUND });
      }
    }
    for (const path of ['/', '/v1', '/v1/', '/v1/charges/ch_x', '/%E0%A4%A', `/${'a'.repeat(8_000)}`, '/v1/%00', '/brand/..%2f..%2fetc%2fpasswd']) {
      cases.push({ name: `path ${path.slice(0, 30)}`, method: 'GET', path, headers: auth, raw: true, expect: NOT_FOUND });
    }
    // Sent raw, `..` is resolved by the router: this is GET /v1/charges without a query.
    cases.push({ name: 'path /v1/tokens/../charges', method: 'GET', path: '/v1/tokens/../charges', headers: auth, raw: true, expect: INVALID });
    for (const method of WRONG_METHODS.filter((m) => !['GET', 'HEAD', 'PUT', 'POST', 'DELETE'].includes(m))) {
      cases.push({ name: `${method} /admin/faults`, method, path: '/admin/faults', headers: { ...adminAuth, 'content-type': 'application/json' }, body: '{}', expect: NOT_FOUND });
    }
    await checkAll(cases);
  });

  it('afterwards: no money moved by malformed requests, and the ledger is sound', () => {
    const { integrity, fk, refunded, charges } = ledger((db) => ({
      integrity: db.pragma('integrity_check', { simple: true }),
      fk: db.pragma('foreign_key_check'),
      refunded: (db.prepare('select coalesce(sum(amount), 0) as n from refunds where charge_id = ?').get(chargeId) as { n: number }).n,
      charges: db.prepare("select amount, currency, reference from charges where reference != 'hostile-setup'").all() as Array<{ amount: number; currency: string; reference: string }>,
    }));
    assert.equal(integrity, 'ok');
    assert.deepEqual(fk, []);
    assert.ok(refunded <= 1000, `refunded ${refunded} of a 1000 charge`);
    // Only well-formed charges (the valid amount and currency) were ever written.
    for (const charge of charges) assert.deepEqual([charge.amount, charge.currency], [500, 'USD'], JSON.stringify(charge));
    assert.deepEqual(knownBugs(sent), []);
  });
});
