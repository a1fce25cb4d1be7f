/**
 * The sandbox bank's fault injector, over real HTTP against a spawned bank
 * process: for each fault kind, what the caller sees AND what the ledger holds.
 * Plus the `/admin/faults` API, its own key, and the rule semantics (rate, count, order).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { spawnSandboxBank, type SpawnedSandboxBank } from '../../demo/bank/spawn-sandbox-bank.ts';

const CARD = '4242424242424242';
const year = new Date().getUTCFullYear();
let bank: SpawnedSandboxBank;
let dataDir: string;
let token: string;

interface Answer {
  status: number;
  contentType: string;
  text: string;
  body: any;
}

async function send(
  method: string,
  path: string,
  options: { key?: string | null; body?: unknown; idempotencyKey?: string; signal?: AbortSignal } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  const key = options.key === undefined ? bank.apiKey : options.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method === 'POST') headers['idempotency-key'] = options.idempotencyKey ?? randomUUID();
  const response = await fetch(`${bank.url}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    signal: options.signal,
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text, body };
}

const admin = (method: string, body?: unknown) => send(method, '/admin/faults', { key: bank.adminKey, body });
const setFaults = async (...faults: unknown[]) => {
  const answer = await admin('PUT', { faults });
  assert.equal(answer.status, 200, answer.text);
  return answer.body.faults as Array<Record<string, unknown>>;
};
const listFaults = async () => (await admin('GET')).body.faults as Array<Record<string, any>>;

const chargeBody = (reference: string, amount = 1500) => ({ token, amount, currency: 'EUR', reference });
const charge = (reference: string, options: { signal?: AbortSignal; idempotencyKey?: string } = {}) =>
  send('POST', '/v1/charges', { body: chargeBody(reference), ...options });
/** What the ledger says about a reference, over the bank's own lookup call. */
const booked = async (reference: string) => {
  const answer = await send('GET', `/v1/charges?reference=${encodeURIComponent(reference)}`);
  assert.equal(answer.status, 200, answer.text);
  return answer.body.data as Array<Record<string, any>>;
};

function ledger<T>(read: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, 'sandbox-bank.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'paykey-bank-faults-'));
  bank = await spawnSandboxBank({ dataDir });
  const tokenized = await send('POST', '/v1/tokens', { body: { number: CARD, exp_month: 12, exp_year: year + 2, cvc: '123', name: 'Ada Lovelace' } });
  assert.equal(tokenized.status, 201, tokenized.text);
  token = tokenized.body.token;
});
after(async () => {
  await bank?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('admin API auth', () => {
  it('spawnSandboxBank hands out an admin key that differs from the API key', () => {
    assert.ok(bank.adminKey.length >= 16);
    assert.notEqual(bank.adminKey, bank.apiKey);
  });

  it('401 without a key, with a wrong key, and with the API key; 200 with the admin key', async () => {
    for (const key of [null, 'wrong', bank.apiKey, `${bank.adminKey}x`, bank.adminKey.slice(0, -1)]) {
      for (const method of ['GET', 'PUT', 'POST', 'DELETE']) {
        const answer = await send(method, '/admin/faults', { key, body: method === 'PUT' ? { faults: [] } : method === 'POST' ? { route: 'any', kind: 'error_before' } : undefined });
        assert.equal(answer.status, 401, `${method} with ${key === bank.apiKey ? 'the API key' : JSON.stringify(key)}: ${answer.text}`);
        assert.equal(answer.body.error.code, 'unauthorized');
      }
    }
    assert.deepEqual(await listFaults(), [], 'no rule was added by a refused call');
    assert.equal((await admin('GET')).status, 200);
  });

  it('the admin key does not work on /v1', async () => {
    const answer = await send('GET', '/v1/charges?reference=x', { key: bank.adminKey });
    assert.equal(answer.status, 401);
    assert.equal((await send('POST', '/v1/charges', { key: bank.adminKey, body: chargeBody(randomUUID()) })).status, 401);
  });

  it('unknown /admin routes are 404 behind the key', async () => {
    assert.equal((await send('GET', '/admin/nothing', { key: bank.adminKey })).status, 404);
    assert.equal((await send('PATCH', '/admin/faults', { key: bank.adminKey, body: {} })).status, 404);
  });
});

describe('admin API: rules', () => {
  beforeEach(async () => {
    assert.equal((await admin('DELETE')).status, 204);
  });

  it('PUT replaces, POST appends, GET shows hits and remaining, DELETE clears', async () => {
    const put = await setFaults({ route: 'refund', kind: 'error_after' }, { route: 'charge', kind: 'latency', count: 3 });
    assert.deepEqual(
      put.map(({ id, ...rest }) => rest),
      [
        { route: 'refund', kind: 'error_after', rate: 1, count: null, ms: null, hits: 0, remaining: null },
        { route: 'charge', kind: 'latency', rate: 1, count: 3, ms: 1000, hits: 0, remaining: 3 },
      ],
    );
    for (const rule of put) assert.match(String(rule.id), /^flt_[\w-]+$/);

    const posted = await admin('POST', { route: 'token', kind: 'timeout', rate: 0.25, count: 2, ms: 50 });
    assert.equal(posted.status, 201, posted.text);
    assert.deepEqual({ ...posted.body, id: 'x' }, { id: 'x', route: 'token', kind: 'timeout', rate: 0.25, count: 2, ms: 50 });
    const defaults = await admin('POST', { route: 'any', kind: 'timeout' });
    assert.equal(defaults.body.ms, 15000);

    const listed = await listFaults();
    assert.deepEqual(listed.map((rule) => rule.id), [...put.map((rule) => rule.id), posted.body.id, defaults.body.id]);
    assert.deepEqual({ hits: listed[2].hits, remaining: listed[2].remaining }, { hits: 0, remaining: 2 });

    assert.equal((await setFaults({ route: 'any', kind: 'duplicate' })).length, 1);
    assert.equal((await listFaults()).length, 1, 'PUT replaced all rules');
    const deleted = await admin('DELETE');
    assert.equal(deleted.status, 204);
    assert.equal(deleted.text, '');
    assert.deepEqual(await listFaults(), []);
  });

  for (const [what, method, body, pattern] of [
    ['an unknown kind', 'POST', { route: 'charge', kind: 'explode' }, /kind: .*expected one of .*"drop_after".*received "explode"/],
    ['an unknown route', 'POST', { route: 'capture', kind: 'drop_after' }, /route: .*"charge_lookup".*received "capture"/],
    ['a missing kind', 'POST', { route: 'charge' }, /kind: .*received (undefined|nothing)/],
    ['a rate above 1', 'POST', { route: 'charge', kind: 'drop_after', rate: 2 }, /rate: .*1.*received 2/],
    ['a negative rate', 'POST', { route: 'charge', kind: 'drop_after', rate: -0.1 }, /rate: .*received -0\.1/],
    ['a rate as a string', 'POST', { route: 'charge', kind: 'drop_after', rate: '0.5' }, /rate: expected number, received string/],
    ['a zero count', 'POST', { route: 'charge', kind: 'drop_after', count: 0 }, /count: .*received 0/],
    ['a fractional count', 'POST', { route: 'charge', kind: 'drop_after', count: 1.5 }, /count: expected int, received number \(1\.5\)/],
    ['ms on a kind that does not wait', 'POST', { route: 'charge', kind: 'drop_after', ms: 100 }, /ms: expected no ms for kind drop_after .*received 100/],
    ['a negative ms', 'POST', { route: 'charge', kind: 'latency', ms: -1 }, /ms: .*received -1/],
    ['an unknown field', 'POST', { route: 'charge', kind: 'drop_after', times: 2 }, /body: expected only the fields route, kind, rate, count, ms, received "times"/],
    ['an unknown top-level field', 'PUT', { faults: [], extra: 1 }, /body: expected only the fields faults, received "extra"/],
    ['a body that is not JSON', 'POST', 'not json', /expected a JSON request body/],
    ['faults that is not an array', 'PUT', { faults: { route: 'charge', kind: 'drop_after' } }, /faults: expected array, received object/],
    ['a bad rule inside faults', 'PUT', { faults: [{ route: 'charge', kind: 'drop_after' }, { route: 'charge', kind: 'nope' }] }, /faults\.1\.kind: .*received "nope"/],
    ['a PUT body without faults', 'PUT', [], /body: expected object, received array/],
  ] as const) {
    it(`422 validation_error for ${what}, naming what was expected and received`, async () => {
      await setFaults({ route: 'refund', kind: 'error_after' });
      const answer = await admin(method, body);
      assert.equal(answer.status, 422, answer.text);
      assert.equal(answer.body.error.code, 'validation_error');
      assert.match(answer.body.error.message, pattern);
      assert.equal((await listFaults()).length, 1, 'a refused body changes no rule');
    });
  }
});

describe('fault kinds: what the caller sees, what the ledger holds', () => {
  beforeEach(async () => {
    assert.equal((await admin('DELETE')).status, 204);
  });

  it('latency: the answer comes ms later, normal and booked', async () => {
    await setFaults({ route: 'charge', kind: 'latency', ms: 600 });
    const reference = randomUUID();
    const started = performance.now();
    const answer = await charge(reference);
    const elapsed = performance.now() - started;
    assert.equal(answer.status, 201);
    assert.ok(elapsed >= 580, `expected ≥ 600 ms, took ${elapsed.toFixed(0)} ms`);
    assert.equal((await booked(reference))[0].id, answer.body.id);
  });

  it('timeout: a caller that gives up at 300 ms sees nothing, yet the charge is booked after the 1.5 s hold', async () => {
    await setFaults({ route: 'charge', kind: 'timeout', ms: 1500 });
    const reference = randomUUID();
    const started = performance.now();
    await assert.rejects(charge(reference, { signal: AbortSignal.timeout(300) }), (error: Error) => error.name === 'TimeoutError');
    assert.deepEqual(await booked(reference), [], 'not booked while the request is held');
    let rows: Array<Record<string, any>> = [];
    while (rows.length === 0 && performance.now() - started < 6_000) {
      await sleep(100);
      rows = await booked(reference);
    }
    const elapsed = performance.now() - started;
    assert.equal(rows.length, 1, 'the held charge was booked late');
    assert.equal(rows[0].status, 'approved');
    assert.ok(elapsed >= 1_450, `booked after ${elapsed.toFixed(0)} ms, expected about 1500`);
    assert.ok(elapsed < 4_000, `booked after ${elapsed.toFixed(0)} ms, expected about 1500`);
  });

  it('timeout: a caller that waits gets the normal answer after the hold', async () => {
    await setFaults({ route: 'charge', kind: 'timeout', ms: 300 });
    const started = performance.now();
    const answer = await charge(randomUUID());
    assert.equal(answer.status, 201);
    assert.ok(performance.now() - started >= 280);
  });

  it('error_before: 503 unavailable, nothing booked', async () => {
    await setFaults({ route: 'charge', kind: 'error_before' });
    const reference = randomUUID();
    const answer = await charge(reference);
    assert.equal(answer.status, 503);
    assert.equal(answer.body.error.code, 'unavailable');
    assert.deepEqual(await booked(reference), []);
  });

  it('error_after: 502 with an HTML body, yet the charge is booked', async () => {
    await setFaults({ route: 'charge', kind: 'error_after' });
    const reference = randomUUID();
    const answer = await charge(reference);
    assert.equal(answer.status, 502);
    assert.match(answer.contentType, /^text\/html/);
    assert.equal(answer.body, undefined, 'the body is not JSON');
    assert.match(answer.text, /502 Bad Gateway/);
    const rows = await booked(reference);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].amount, 1500);
  });

  it('drop_after: the socket closes without an answer (fetch rejects), yet the charge is booked', async () => {
    await setFaults({ route: 'charge', kind: 'drop_after', count: 1 });
    const reference = randomUUID();
    await assert.rejects(charge(reference), (error: Error & { cause?: { code?: string } }) => {
      assert.equal(error.name, 'TypeError');
      assert.equal(error.cause?.code, 'UND_ERR_SOCKET', String(error.cause));
      return true;
    });
    const rows = await booked(reference);
    assert.equal(rows.length, 1);
    // The retry a careful caller makes finds the same charge (200 replay), no second booking.
    const retry = await charge(reference);
    assert.equal(retry.status, 200);
    assert.equal(retry.body.id, rows[0].id);
    assert.equal((await booked(reference)).length, 1);
  });

  it('conflict_after: 409 that is not a decline, yet the charge is booked', async () => {
    await setFaults({ route: 'charge', kind: 'conflict_after', count: 1 });
    const reference = randomUUID();
    const answer = await charge(reference);
    assert.equal(answer.status, 409);
    assert.deepEqual(answer.body, { error: { code: 'conflict', message: 'upstream conflict' } });
    const rows = await booked(reference);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].status, 'approved');
  });

  it('garbled_after: 200 with JSON that does not parse, yet the charge is booked', async () => {
    await setFaults({ route: 'charge', kind: 'garbled_after' });
    const reference = randomUUID();
    const answer = await charge(reference);
    assert.equal(answer.status, 200);
    assert.match(answer.contentType, /^application\/json/);
    assert.ok(answer.text.length > 0);
    assert.throws(() => JSON.parse(answer.text), SyntaxError);
    assert.equal((await booked(reference)).length, 1);
  });

  it('duplicate on a charge: handled twice, one charge row, the caller gets the 200 replay', async () => {
    await setFaults({ route: 'charge', kind: 'duplicate' });
    const reference = randomUUID();
    const answer = await charge(reference);
    assert.equal(answer.status, 200);
    const rows = await booked(reference);
    assert.equal(rows.length, 1);
    assert.deepEqual(answer.body, rows[0]);
    assert.equal(ledger((db) => (db.prepare('select count(*) as n from charges where reference = ?').get(reference) as { n: number }).n), 1);
  });

  it('duplicate on a refund and a token: each idempotent, booked once', async () => {
    const chargeId = (await charge(randomUUID())).body.id;
    await setFaults({ route: 'refund', kind: 'duplicate' }, { route: 'token', kind: 'duplicate' });
    const reference = randomUUID();
    const refund = await send('POST', '/v1/refunds', { body: { charge_id: chargeId, amount: 400, currency: 'EUR', reference } });
    assert.equal(refund.status, 200, refund.text);
    const refunds = await send('GET', `/v1/refunds?reference=${reference}`);
    assert.deepEqual(refunds.body.data, [refund.body]);
    assert.equal(ledger((db) => (db.prepare('select sum(amount) as s from refunds where charge_id = ?').get(chargeId) as { s: number }).s), 400);

    const idempotencyKey = randomUUID();
    const tokenized = await send('POST', '/v1/tokens', { idempotencyKey, body: { number: CARD, exp_month: 12, exp_year: year + 2, cvc: '123', name: 'Ada' } });
    assert.equal(tokenized.status, 200, tokenized.text);
    assert.equal(ledger((db) => (db.prepare('select count(*) as n from tokens where idempotency_key = ?').get(idempotencyKey) as { n: number }).n), 1);
  });

  it('faults on lookups: charge_lookup and refund_lookup leave POSTs alone', async () => {
    await setFaults({ route: 'charge_lookup', kind: 'error_before' }, { route: 'refund_lookup', kind: 'garbled_after' });
    const reference = randomUUID();
    assert.equal((await charge(reference)).status, 201);
    assert.equal((await send('GET', `/v1/charges?reference=${reference}`)).status, 503);
    const refundLookup = await send('GET', `/v1/refunds?reference=${reference}`);
    assert.equal(refundLookup.status, 200);
    assert.equal(refundLookup.body, undefined);
    await admin('DELETE');
    assert.equal((await booked(reference)).length, 1);
  });
});

describe('rule semantics', () => {
  beforeEach(async () => {
    assert.equal((await admin('DELETE')).status, 204);
  });

  it('rate 0 never fires', async () => {
    await setFaults({ route: 'any', kind: 'error_before', rate: 0 });
    for (let i = 0; i < 20; i++) assert.equal((await charge(randomUUID())).status, 201);
    assert.equal((await listFaults())[0].hits, 0);
  });

  it('rate 0.5 fires on about half the matching requests', async () => {
    await setFaults({ route: 'charge_lookup', kind: 'error_before', rate: 0.5 });
    const statuses = await Promise.all(Array.from({ length: 200 }, () => send('GET', '/v1/charges?reference=x').then((a) => a.status)));
    const fired = statuses.filter((status) => status === 503).length;
    assert.equal(fired + statuses.filter((status) => status === 200).length, 200);
    assert.ok(fired > 60 && fired < 140, `fired ${fired} of 200`);
    assert.equal((await listFaults())[0].hits, fired);
  });

  it('count 2 fires twice, then the rule is spent', async () => {
    await setFaults({ route: 'charge', kind: 'error_before', count: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await charge(randomUUID())).status);
    assert.deepEqual(statuses, [503, 503, 201, 201]);
    const [rule] = await listFaults();
    assert.deepEqual({ hits: rule.hits, remaining: rule.remaining }, { hits: 2, remaining: 0 });
  });

  it('count counts matching requests, fired or not (rate 0 with count 3 is spent after 3)', async () => {
    await setFaults({ route: 'charge', kind: 'error_before', rate: 0, count: 3 }, { route: 'charge', kind: 'conflict_after' });
    const statuses = [];
    for (let i = 0; i < 2; i++) statuses.push((await charge(randomUUID())).status);
    assert.deepEqual(statuses, [409, 409], 'the first rule never fires; the second one does');
    const [first] = await listFaults();
    assert.deepEqual({ hits: first.hits, remaining: first.remaining }, { hits: 0, remaining: 1 });
  });

  it('the first matching rule that fires applies, at most one per request; other routes are untouched', async () => {
    await setFaults(
      { route: 'refund', kind: 'error_before' },
      { route: 'charge', kind: 'error_before', count: 1 },
      { route: 'any', kind: 'conflict_after', count: 1 },
    );
    const first = await charge(randomUUID());
    const second = await charge(randomUUID());
    const third = await charge(randomUUID());
    assert.deepEqual([first.status, second.status, third.status], [503, 409, 201]);
    assert.deepEqual((await listFaults()).map((rule) => rule.hits), [0, 1, 1]);
  });

  it('faults never touch /brand or unknown routes', async () => {
    await setFaults({ route: 'any', kind: 'error_before' });
    assert.equal((await send('GET', '/brand', { key: null })).status, 200);
    assert.equal((await send('GET', '/v1/nothing')).status, 404);
    assert.equal((await listFaults())[0].hits, 0);
  });

  it('logs one line per injected fault on stderr, never the card number', async () => {
    await setFaults({ route: 'token', kind: 'error_after', count: 1 }, { route: 'charge', kind: 'drop_after', count: 1 });
    const before = bank.stderr().length;
    assert.equal((await send('POST', '/v1/tokens', { body: { number: CARD, exp_month: 12, exp_year: year + 2, cvc: '987', name: 'Grace Hopper' } })).status, 502);
    await assert.rejects(charge(randomUUID()));
    await sleep(100);
    const lines = bank.stderr().slice(before).trim().split('\n');
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.match(lines[0], /^sandbox bank: fault error_after on POST \/v1\/tokens \(rule flt_[\w-]+\)$/);
    assert.match(lines[1], /^sandbox bank: fault drop_after on POST \/v1\/charges \(rule flt_[\w-]+\)$/);
    assert.ok(!bank.stderr().includes(CARD), 'stderr holds a card number');
    assert.ok(!bank.stderr().includes('Grace Hopper'));
  });
});

describe('faults live in memory only', () => {
  it('a restart clears them (the ledger stays)', async () => {
    const reference = randomUUID();
    assert.equal((await charge(reference)).status, 201);
    await setFaults({ route: 'any', kind: 'error_before' });
    const { apiKey, adminKey } = bank;
    // Held, dropped and duplicated requests left nothing but the fault lines on stderr.
    const noise = bank.stderr().split('\n').filter((line) => line !== '' && !/^sandbox bank: fault \w+ on [A-Z]+ \/v1\/\w+ \(rule flt_[\w-]+\)$/.test(line));
    assert.deepEqual(noise, []);
    await bank.stop();
    bank = await spawnSandboxBank({ dataDir, apiKey, adminKey });
    assert.deepEqual(await listFaults(), []);
    assert.equal((await booked(reference)).length, 1);
  });
});

describe('without BANK_ADMIN_KEY', () => {
  const bankMain = fileURLToPath(new URL('../../demo/bank/main.ts', import.meta.url));
  const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

  it('/admin/* answers 404 whatever the key, and /v1 works', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paykey-bank-noadmin-'));
    const env: Record<string, string | undefined> = { ...process.env, BANK_API_KEY: 'bank_sk_noadmin', BANK_PORT: '0', PAYKEY_DATA_DIR: dir };
    delete env.BANK_ADMIN_KEY;
    const child = spawn(process.execPath, ['--import', 'tsx', bankMain], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          out += chunk;
          const match = /^SANDBOX_BANK_READY (\S+)$/m.exec(out);
          if (match) resolve(match[1]);
        });
        child.once('exit', () => reject(new Error(`exited before READY: ${out}`)));
      });
      for (const key of [null, 'bank_sk_noadmin', 'anything']) {
        for (const method of ['GET', 'PUT', 'POST', 'DELETE']) {
          const response = await fetch(`${url}/admin/faults`, {
            method,
            headers: { 'content-type': 'application/json', ...(key === null ? {} : { authorization: `Bearer ${key}` }) },
            body: method === 'PUT' || method === 'POST' ? JSON.stringify({ route: 'any', kind: 'error_before' }) : undefined,
          });
          assert.equal(response.status, 404, `${method} /admin/faults with ${key}`);
          assert.equal(((await response.json()) as any).error.code, 'not_found');
        }
      }
      const lookup = await fetch(`${url}/v1/charges?reference=x`, { headers: { authorization: 'Bearer bank_sk_noadmin' } });
      assert.equal(lookup.status, 200);
    } finally {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
