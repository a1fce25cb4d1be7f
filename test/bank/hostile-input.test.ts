/**
 * Malformed input at every route of the sandbox bank's HTTP API: never a 5xx,
 * every error `{ error: { code, message } }` JSON with a snake_case code, no
 * money moved by anything malformed, and the ledger stays sound.
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
  assertClientError,
  describeValue,
  HOSTILE_CONTENT_TYPES,
  hostileBodies,
  oversizedBody,
  send,
  WRONG_METHODS,
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

async function checkAll(requests: HostileRequest[], expectStatus?: number): Promise<void> {
  const failures: string[] = [];
  const queue = [...requests];
  const worker = async () => {
    for (let request = queue.shift(); request; request = queue.shift()) {
      try {
        const answer = await send(bank.url, request);
        assertClientError(request, answer);
        if (expectStatus !== undefined) assert.equal(answer.status, expectStatus, `${request.name}: expected ${expectStatus}, got ${answer.status}`);
      } catch (error) {
        failures.push(`${request.name} (${request.method} ${request.path.slice(0, 60)}): ${(error as Error).message.split('\n')[0]}`);
      }
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  assert.deepEqual(failures, [], `${failures.length} of ${requests.length} requests broke the contract`);
}

/** Each hostile body gets its own Idempotency-Key, so every one reaches validation afresh. */
function bodyCases(path: string, validBody: Record<string, unknown>, method = 'POST', key: Record<string, string> = auth): HostileRequest[] {
  const headers = () => ({ ...key, 'content-type': 'application/json', 'idempotency-key': randomUUID() });
  const cases: HostileRequest[] = hostileBodies(validBody).map(({ name, body }) => ({ name, method, path, headers: headers(), body }));
  cases.push({ name: 'over the size limit', method, path, headers: headers(), body: oversizedBody(validBody), raw: true });
  for (const type of HOSTILE_CONTENT_TYPES) {
    const { 'content-type': _, ...rest } = headers();
    cases.push({ name: `content-type ${JSON.stringify(type)}`, method, path, headers: type === undefined ? rest : { ...rest, 'content-type': type }, body: JSON.stringify(validBody) });
  }
  if (path.startsWith('/admin/')) return cases;
  for (const key of ['', ' ', 'k'.repeat(300), 'é', '\t']) {
    cases.push({ name: `idempotency-key ${describeValue(key)}`, method: 'POST', path, headers: { ...headers(), 'idempotency-key': key }, body: JSON.stringify(validBody) });
  }
  cases.push({ name: 'idempotency-key (raw UTF-8)', method: 'POST', path, headers: { ...headers(), 'idempotency-key': '💳' }, body: JSON.stringify(validBody), raw: true });
  return cases;
}

function authCases(method: string, path: string, body?: string): HostileRequest[] {
  const base: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json', 'idempotency-key': randomUUID() };
  const values = ['', 'Bearer', 'Bearer ', 'bearer', `Basic ${apiKey}`, `Bearer ${apiKey} x`, `Bearer  ${apiKey}`, `Bearer ${'x'.repeat(8_000)}`, 'Bearer é'];
  const cases: HostileRequest[] = values.map((value) => ({ name: `authorization ${describeValue(value)}`, method, path, headers: { ...base, authorization: value }, body }));
  for (const value of ['Bearer 💳', `Bearer ${apiKey}\u00e9`]) {
    cases.push({ name: `authorization (raw UTF-8) ${value.slice(0, 12)}`, method, path, headers: { ...base, authorization: value }, body, raw: true });
  }
  return cases;
}

describe('sandbox bank: hostile input', () => {
  const tokenBody = () => ({ number: '4242424242424242', exp_month: 12, exp_year: year + 2, cvc: '123', name: 'Ada' });
  // Every mutated charge/refund uses a reference of its own; valid-shaped ones may legitimately charge once each.
  const chargeBody = () => ({ token, amount: 500, currency: 'USD', reference: `hostile-${randomUUID()}`, description: 'x' });
  const refundBody = () => ({ charge_id: chargeId, amount: 1, currency: 'USD', reference: `hostile-refund-${randomUUID()}` });

  it('POST /v1/tokens', async () => {
    await checkAll(bodyCases('/v1/tokens', tokenBody()));
  });

  it('POST /v1/charges', async () => {
    await checkAll(bodyCases('/v1/charges', chargeBody()));
  });

  it('POST /v1/refunds', async () => {
    await checkAll(bodyCases('/v1/refunds', refundBody()));
  });

  it('GET /v1/charges?reference=', async () => {
    const references = ['', '%00', '%E0%A4%A', '%', 'x'.repeat(6_000), '__proto__', "'%20OR%201%3D1%20--", '%F0%9F%98%80', 'a&reference=b'];
    const cases: HostileRequest[] = references.map((r) => ({ name: `reference ${r.slice(0, 20)}`, method: 'GET', path: `/v1/charges?reference=${r}`, headers: auth }));
    cases.push({ name: 'no query', method: 'GET', path: '/v1/charges', headers: auth });
    cases.push({ name: 'reference[]', method: 'GET', path: '/v1/charges?reference[]=a', headers: auth });
    await checkAll(cases);
  });

  it('GET /v1/charges and /v1/refunds listing parameters', async () => {
    const values = ['', '%00', '%E0%A4%A', '%', 'x'.repeat(6_000), '__proto__', "'%20OR%201%3D1%20--", '%F0%9F%98%80', '-1', '1e3', '0x10', '99999999999999999999', '2025-02-30', '2025-01-01T00:00:00%2B99:99', '%2B275760-09-13', 'null'];
    const cases: HostileRequest[] = [];
    for (const path of ['/v1/charges', '/v1/refunds']) {
      for (const value of values) {
        for (const query of [`created_since=${value}`, `created_since=2020-01-01&limit=${value}`, `created_since=2020-01-01&starting_after=${value}`, `reference=${value}`]) {
          cases.push({ name: `${path}?${query.slice(0, 40)}`, method: 'GET', path: `${path}?${query}`, headers: auth });
        }
      }
      cases.push({ name: `${path} no query`, method: 'GET', path, headers: auth });
      cases.push({ name: `${path} created_since[]`, method: 'GET', path: `${path}?created_since[]=2020-01-01`, headers: auth });
    }
    await checkAll(cases);
  });

  it('PUT and POST /admin/faults (admin key)', async () => {
    // A harmless valid rule (never fires), so valid-shaped mutations change nothing either.
    const rule = { route: 'token', kind: 'latency', rate: 0, count: 1, ms: 1 };
    await checkAll([...bodyCases('/admin/faults', rule, 'POST', adminAuth), ...bodyCases('/admin/faults', { faults: [rule] }, 'PUT', adminAuth)]);
    assert.equal((await fetch(`${bank.url}/admin/faults`, { method: 'DELETE', headers: adminAuth })).status, 204);
  });

  it('malformed Authorization headers are 401 on every /admin route', async () => {
    await checkAll(
      [
        ...authCases('GET', '/admin/faults'),
        ...authCases('DELETE', '/admin/faults'),
        ...authCases('PUT', '/admin/faults', JSON.stringify({ faults: [] })),
        ...authCases('POST', '/admin/faults', JSON.stringify({ route: 'any', kind: 'error_before' })),
      ],
      401,
    );
  });

  it('malformed Authorization headers are 401 on every /v1 route', async () => {
    await checkAll(
      [
        ...authCases('POST', '/v1/tokens', JSON.stringify(tokenBody())),
        ...authCases('POST', '/v1/charges', JSON.stringify(chargeBody())),
        ...authCases('POST', '/v1/refunds', JSON.stringify(refundBody())),
        ...authCases('GET', '/v1/charges?reference=hostile-setup'),
        ...authCases('GET', '/v1/refunds?created_since=2020-01-01'),
      ],
      401,
    );
  });

  it('wrong methods, unknown and odd paths', async () => {
    const cases: HostileRequest[] = [];
    for (const [path, allowed] of [
      ['/brand', ['GET', 'HEAD']],
      ['/logo.svg', ['GET', 'HEAD']],
      ['/v1/tokens', ['POST']],
      ['/v1/charges', ['GET', 'HEAD', 'POST']],
      ['/v1/refunds', ['GET', 'HEAD', 'POST']],
    ] as const) {
      for (const method of WRONG_METHODS.filter((m) => !(allowed as readonly string[]).includes(m))) {
        cases.push({ name: `${method} ${path}`, method, path, headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': randomUUID() }, body: method === 'GET' || method === 'HEAD' ? undefined : '{}' });
      }
    }
    for (const path of ['/', '/v1', '/v1/', '/v1/charges/ch_x', '/v1/tokens/../charges', '/%E0%A4%A', `/${'a'.repeat(8_000)}`, '/v1/%00', '/brand/..%2f..%2fetc%2fpasswd']) {
      cases.push({ name: `path ${path.slice(0, 30)}`, method: 'GET', path, headers: auth, raw: true });
    }
    for (const method of WRONG_METHODS.filter((m) => !['GET', 'HEAD', 'PUT', 'POST', 'DELETE'].includes(m))) {
      cases.push({ name: `${method} /admin/faults`, method, path: '/admin/faults', headers: { ...adminAuth, 'content-type': 'application/json' }, body: '{}' });
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
  });
});
