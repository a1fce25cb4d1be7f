import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { sandboxBankLimits } from '../../demo/bank/sandbox-bank-limits.ts';
import { limitBreach } from '../../server/adapters/limit-breach.ts';
import { acceptedCurrencies, MAX_AMOUNT } from '../../server/payments/money.ts';
import { createMerchant } from '../../server/store/merchants.ts';
import { isUniqueViolation, openDatabase } from '../../server/store/database.ts';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Expected ${what} within ${timeoutMs} ms; it did not happen`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let wallet: TestWallet;
let auth: Record<string, string>;

before(async () => {
  wallet = await startTestWallet();
  auth = { authorization: `Bearer ${wallet.secretKey}` };
});
after(() => wallet.close());

const create = (body: unknown, headers: Record<string, string> = {}) =>
  wallet.request('POST', '/v1/payment_intents', body, { ...auth, ...headers });

async function expectError(res: Response, status: number, code: string) {
  const body = await res.json();
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status} ${JSON.stringify(body)}`);
  assert.equal(body.error?.code, code, JSON.stringify(body));
  assert.equal(typeof body.error.message, 'string');
  assert.ok(body.error.message.length > 0);
}

describe('authentication', () => {
  test('a request without a key is 401 authentication_required', async () => {
    await expectError(await wallet.request('POST', '/v1/payment_intents', { amount: 100, currency: 'USD' }), 401, 'authentication_required');
    await expectError(await wallet.request('GET', '/v1/payment_intents/pi_123'), 401, 'authentication_required');
  });

  test('a wrong key is 401 invalid_api_key', async () => {
    const res = await wallet.request('POST', '/v1/payment_intents', { amount: 100, currency: 'USD' }, { authorization: 'Bearer sk_test_wrong' });
    await expectError(res, 401, 'invalid_api_key');
    await expectError(await wallet.request('GET', '/v1/payment_intents/pi_1', undefined, { authorization: 'Basic abc' }), 401, 'invalid_api_key');
  });
});

describe('POST /v1/payment_intents', () => {
  test('creates an intent and GET returns it (without the client secret)', async () => {
    const res = await create({ amount: 1999, currency: 'USD', description: 'Blue mug', reference: 'order-42' });
    assert.equal(res.status, 201);
    const intent = await res.json();
    assert.match(intent.id, /^pi_[A-Za-z0-9]+$/);
    assert.equal(intent.object, 'payment_intent');
    assert.equal(intent.amount, 1999);
    assert.equal(intent.currency, 'USD');
    assert.equal(intent.status, 'requires_confirmation');
    assert.equal(intent.description, 'Blue mug');
    assert.equal(intent.reference, 'order-42');
    assert.equal(intent.last_error, null);
    assert.equal(new Date(intent.created_at).toISOString(), intent.created_at);
    assert.match(intent.client_secret, new RegExp(`^${intent.id}_secret_[A-Za-z0-9]+$`));

    const got = await wallet.request('GET', `/v1/payment_intents/${intent.id}`, undefined, auth);
    assert.equal(got.status, 200);
    const { client_secret, ...rest } = intent;
    assert.deepEqual(await got.json(), rest);
    assert.ok(client_secret);
  });

  test('the client secret is stored only as a hash', async () => {
    const intent = await (await create({ amount: 500, currency: 'EUR' })).json();
    const row = (await wallet.query('SELECT * FROM payment_intents WHERE id = ?', [intent.id]))[0] as Record<string, unknown>;
    assert.ok(row);
    assert.ok(!JSON.stringify(row).includes(intent.client_secret.split('_secret_')[1]));
    const merchant = await wallet.query('SELECT * FROM merchants');
    assert.ok(!JSON.stringify(merchant).includes(wallet.secretKey));
  });

  test('description and reference are optional', async () => {
    const res = await create({ amount: 1, currency: 'JPY' });
    assert.equal(res.status, 201);
    const intent = await res.json();
    assert.equal(intent.description, null);
    assert.equal(intent.reference, null);
  });

  test('a description of up to 1000 characters is kept whole (each bank gets it shortened to its own statement text)', async () => {
    const description = `${'Paykey Tee 😀 '.repeat(72)}`.slice(0, 1000);
    assert.equal(description.length, 1000);
    const res = await create({ amount: 1999, currency: 'USD', description });
    assert.equal(res.status, 201, await res.clone().text());
    assert.equal((await res.json()).description, description);
  });

  test('every currency and amount the API accepts is one the sandbox bank carries', async () => {
    for (const currency of acceptedCurrencies()) {
      for (const amount of [1, MAX_AMOUNT]) assert.equal(limitBreach(sandboxBankLimits, { amount, currency }), null, `${amount} ${currency}`);
    }
    for (const [amount, currency] of [[MAX_AMOUNT, 'JPY'], [1, 'KWD'], [MAX_AMOUNT, 'ZWG']] as const) {
      assert.equal((await create({ amount, currency })).status, 201, `${amount} ${currency}`);
    }
  });

  for (const [name, amount] of [
    ['a float', 19.99],
    ['a negative number', -100],
    ['zero', 0],
    ['a string', '1999'],
    ['too big', 100_000_000],
    ['unsafe integer', 2 ** 60],
    ['null', null],
  ] as const) {
    test(`amount ${name} is 422 invalid_amount`, async () => {
      await expectError(await create({ amount, currency: 'USD' }), 422, 'invalid_amount');
    });
  }

  test('a missing amount is 422 invalid_amount', async () => {
    await expectError(await create({ currency: 'USD' }), 422, 'invalid_amount');
  });

  for (const [name, currency] of [
    ['lowercase', 'usd'],
    ['unknown', 'XYZ'],
    ['a funds code (UYI)', 'UYI'],
    ['a unit of account (CLF)', 'CLF'],
    ['a unit of account (UYW)', 'UYW'],
    ['gold (XAU)', 'XAU'],
    ['special drawing rights (XDR)', 'XDR'],
    ['too long', 'USDD'],
    ['a number', 840],
  ] as const) {
    test(`currency ${name} is 422 invalid_currency`, async () => {
      await expectError(await create({ amount: 100, currency }), 422, 'invalid_currency');
    });
  }

  test('a missing currency is 422 invalid_currency', async () => {
    await expectError(await create({ amount: 100 }), 422, 'invalid_currency');
  });

  test('over-long description and unknown fields are 422 invalid_request', async () => {
    await expectError(await create({ amount: 100, currency: 'USD', description: 'x'.repeat(1001) }), 422, 'invalid_request');
    await expectError(await create({ amount: 100, currency: 'USD', amont: 5 }), 422, 'invalid_request');
  });

  test('malformed JSON is 400, a non-object body is 400, another content type is 415', async () => {
    await expectError(await create('{"amount": 100,'), 400, 'invalid_request');
    await expectError(await create('[1,2]'), 400, 'invalid_request');
    await expectError(await create('null'), 400, 'invalid_request');
    const form = await wallet.request('POST', '/v1/payment_intents', undefined, {
      ...auth,
      'content-type': 'application/x-www-form-urlencoded',
    });
    await expectError(form, 415, 'unsupported_media_type');
  });

  test('a huge body is 413, not a 500', async () => {
    await expectError(await create({ amount: 100, currency: 'USD', description: 'x'.repeat(200_000) }), 413, 'request_too_large');
  });
});

describe('idempotency', () => {
  test('the same key and body replays the first response', async () => {
    const key = { 'idempotency-key': `order-${Math.random()}` };
    const first = await create({ amount: 2500, currency: 'USD', reference: 'r1' }, key);
    assert.equal(first.status, 201);
    // Same JSON with another key order and whitespace is the same request.
    const second = await create('{ "reference": "r1",  "currency": "USD", "amount": 2500 }', key);
    assert.equal(second.status, 201);
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(await second.json(), await first.json());
    const count = (await wallet.query("SELECT count(*) AS n FROM payment_intents WHERE reference = 'r1'"))[0] as { n: number };
    assert.equal(count.n, 1);
  });

  test('the same key with another body is 422 idempotency_key_reused', async () => {
    const key = { 'idempotency-key': `order-${Math.random()}` };
    assert.equal((await create({ amount: 2500, currency: 'USD' }, key)).status, 201);
    await expectError(await create({ amount: 2600, currency: 'USD' }, key), 422, 'idempotency_key_reused');
  });

  test('different keys create different intents; keys are per merchant', async () => {
    const a = await (await create({ amount: 100, currency: 'USD' }, { 'idempotency-key': 'k-a' })).json();
    const b = await (await create({ amount: 100, currency: 'USD' }, { 'idempotency-key': 'k-b' })).json();
    assert.notEqual(a.id, b.id);
  });

  /** Five requests sent at once; their statuses, replay headers and bodies, in the order sent. */
  async function allAtOnce(send: () => Promise<Response>) {
    const responses = await Promise.all(Array.from({ length: 5 }, send));
    return Promise.all(responses.map(async (r) => ({ status: r.status, replayed: r.headers.get('idempotent-replayed'), body: await r.json() })));
  }

  /**
   * `allAtOnce` on PostgreSQL with the five transactions overlapping for sure, whatever the timing: `hold` (run in a
   * transaction of the test's own) makes each wait at a statement starting `waitsAt` until all five are there.
   */
  async function overlapping(send: () => Promise<Response>, hold: (holder: pg.Client) => Promise<unknown>, waitsAt: string) {
    const holder = new pg.Client({ connectionString: wallet.database.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await hold(holder);
      const sent = allAtOnce(send);
      await waitFor(async () => {
        // Statistics views are read once per transaction unless cleared, and this one is still open.
        await holder.query('SELECT pg_stat_clear_snapshot()');
        const waiting = await holder.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND starts_with(query, $1)",
          [waitsAt],
        );
        return waiting.rows[0].n === 5;
      }, `five requests waiting at ${waitsAt}`);
      await holder.query('COMMIT');
      return await sent;
    } finally {
      await holder.end();
    }
  }

  test('concurrent creates with one key (speculative work): one intent; every other request replays it, on SQLite and PostgreSQL alike', async () => {
    const key = { 'idempotency-key': `race-${Math.random()}` };
    const reference = key['idempotency-key'];
    const send = () => create({ amount: 700, currency: 'USD', reference }, key);
    // On PostgreSQL all five have created their intent and wait to store the key; on SQLite (one transaction at a time)
    // each runs after the one before has committed.
    const answers = wallet.database.databaseUrl
      ? await overlapping(send, (holder) => holder.query('LOCK TABLE idempotency_keys IN SHARE ROW EXCLUSIVE MODE'), 'insert into "idempotency_keys"')
      : await allAtOnce(send);
    // The first to store the key answers; a loser's INSERT … ON CONFLICT DO NOTHING waits for that commit (PostgreSQL)
    // or runs after it (SQLite), finds the key taken, rolls its intent back and replays the stored answer.
    const fresh = answers.filter((a) => a.replayed === null);
    assert.equal(fresh.length, 1, JSON.stringify(answers));
    assert.equal(fresh[0].status, 201);
    for (const answer of answers) assert.deepEqual(answer, answer === fresh[0] ? fresh[0] : { ...fresh[0], replayed: 'true' });
    const rows = await wallet.query<{ n: number }>('SELECT count(*) AS n FROM payment_intents WHERE reference = ?', [reference]);
    assert.equal(Number(rows[0].n), 1);
  });

  test('concurrent cancels with one key on SQLite (one transaction at a time): one cancels, every other request replays it', async (t) => {
    if (wallet.database.databaseUrl) return t.skip('SQLite only: on PostgreSQL the transactions overlap (next test)');
    const intent = await (await create({ amount: 700, currency: 'USD' })).json();
    const key = { 'idempotency-key': `cancel-race-${Math.random()}` };
    const answers = await allAtOnce(() => wallet.request('POST', `/v1/payment_intents/${intent.id}/cancel`, undefined, { ...auth, ...key }));
    const fresh = answers.filter((a) => a.replayed === null);
    assert.equal(fresh.length, 1, JSON.stringify(answers));
    assert.deepEqual({ status: fresh[0].status, intent: fresh[0].body.status }, { status: 200, intent: 'canceled' });
    for (const answer of answers) assert.deepEqual(answer, answer === fresh[0] ? fresh[0] : { ...fresh[0], replayed: 'true' });
  });

  test('concurrent cancels with one key on PostgreSQL: one cancels; each request that looked the key up before that commit is 409 idempotency_key_in_use', async (t) => {
    if (!wallet.database.databaseUrl) return t.skip('PostgreSQL only: SQLite runs one transaction at a time (previous test)');
    const intent = await (await create({ amount: 700, currency: 'USD' })).json();
    const key = { 'idempotency-key': `cancel-race-${Math.random()}` };
    const send = () => wallet.request('POST', `/v1/payment_intents/${intent.id}/cancel`, undefined, { ...auth, ...key });
    // Each looks the key up (not there yet), then waits at the intent's UPDATE while the test holds the intent's row.
    const answers = await overlapping(send, (holder) => holder.query('SELECT id FROM payment_intents WHERE id = $1 FOR UPDATE', [intent.id]), 'update "payment_intents"');
    // The first through cancels and stores the key; each other finds the intent canceled (a refusal, rolled back),
    // then fails to store that refusal under a key the winner holds: 409, as the key was taken while it ran.
    const winners = answers.filter((a) => a.status === 200);
    assert.equal(winners.length, 1, JSON.stringify(answers));
    assert.deepEqual({ replayed: winners[0].replayed, intent: winners[0].body.status }, { replayed: null, intent: 'canceled' });
    for (const answer of answers.filter((a) => a !== winners[0])) {
      assert.deepEqual({ status: answer.status, code: answer.body.error?.code, replayed: answer.replayed }, { status: 409, code: 'idempotency_key_in_use', replayed: null });
    }
    // Once it has committed, the key answers with the winner's response.
    const later = await send();
    assert.equal(later.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(await later.json(), winners[0].body);
  });

  test('a key whose request is still running answers 409 idempotency_key_in_use', async () => {
    const merchant = (await wallet.query<{ id: string }>('SELECT id FROM merchants'))[0];
    const key = `held-${Math.random()}`;
    // What a request in progress leaves: a claimed key, no response yet.
    const body = { amount: 100, currency: 'USD' };
    const { canonicalJson } = await import('../../server/payments/idempotency.ts');
    const { sha256Hex } = await import('../../server/security/secrets.ts');
    const now = wallet.clock.now();
    await wallet.query(
      "INSERT INTO idempotency_keys (merchant_id, idempotency_key, request_hash, state, created_at, locked_until, claimed_by, claim_token) VALUES (?, ?, ?, 'in_flight', ?, ?, 'another-instance', 'held')",
      [merchant.id, key, sha256Hex(`POST /v1/payment_intents\n${canonicalJson(body)}`), now.toISOString(), new Date(now.getTime() + 30_000).toISOString()],
    );
    await expectError(await create(body, { 'idempotency-key': key }), 409, 'idempotency_key_in_use');
    // A claim whose request died (past its lease) is taken over: the request runs.
    wallet.clock.advance(31_000);
    assert.equal((await create(body, { 'idempotency-key': key })).status, 201);
  });

  test('a restarted server frees the keys its previous life held in flight at once (not after the claim lapses)', async () => {
    const merchant = (await wallet.query<{ id: string }>('SELECT id FROM merchants'))[0];
    const key = `crashed-${Math.random()}`;
    const body = { amount: 100, currency: 'USD' };
    const { canonicalJson } = await import('../../server/payments/idempotency.ts');
    const { sha256Hex } = await import('../../server/security/secrets.ts');
    const now = wallet.clock.now();
    // What a request killed mid-way leaves: a claim by this instance, no response.
    await wallet.query(
      "INSERT INTO idempotency_keys (merchant_id, idempotency_key, request_hash, state, created_at, locked_until, claimed_by, claim_token) VALUES (?, ?, ?, 'in_flight', ?, ?, ?, 'dead')",
      [merchant.id, key, sha256Hex(`POST /v1/payment_intents\n${canonicalJson(body)}`), now.toISOString(), new Date(now.getTime() + 30_000).toISOString(), wallet.instanceId],
    );
    await expectError(await create(body, { 'idempotency-key': key }), 409, 'idempotency_key_in_use');
    await wallet.restart();
    assert.equal((await create(body, { 'idempotency-key': key })).status, 201);
  });

  test('a request whose claim was taken over stores nothing and its work is rolled back', async () => {
    const merchant = (await wallet.query<{ id: string }>('SELECT id FROM merchants'))[0];
    const { withIdempotency } = await import('../../server/payments/idempotency.ts');
    const db = await openDatabase(wallet.database);
    try {
      const key = `taken-${Math.random()}`;
      const now = wallet.clock.now();
      // A dead request's lapsed claim: this request takes it over, and runs under that claim.
      await wallet.query(
        "INSERT INTO idempotency_keys (merchant_id, idempotency_key, request_hash, state, created_at, locked_until, claimed_by, claim_token) VALUES (?, ?, 'h', 'in_flight', ?, ?, 'dead-instance', 'dead')",
        [merchant.id, key, new Date(now.getTime() - 60_000).toISOString(), new Date(now.getTime() - 30_000).toISOString()],
      );
      const request = { workerId: 'w', merchantId: merchant.id, key, method: 'POST', path: '/x', body: {}, now };
      const outcome = withIdempotency(db, request, async (trx) => {
        // Meanwhile another request takes the key over (as after a lapsed claim).
        await wallet.query("UPDATE idempotency_keys SET claim_token = 'someone-else' WHERE idempotency_key = ?", [key]);
        await trx.insertInto('wallet_settings').values({ name: key, value: 'work' }).execute();
        return { status: 201, body: {} };
      });
      await assert.rejects(outcome, (error: { code?: string }) => error.code === 'idempotency_key_in_use');
      assert.deepEqual(await wallet.query('SELECT value FROM wallet_settings WHERE name = ?', [key]), []);
    } finally {
      await db.destroy();
    }
  });

  test('a new key is stored with its work in one transaction: the loser of a race stores nothing and its work is rolled back', async (t) => {
    if (!wallet.database.databaseUrl) return t.skip('PostgreSQL only: SQLite runs one transaction at a time');
    const merchant = (await wallet.query<{ id: string }>('SELECT id FROM merchants'))[0];
    const { withIdempotency } = await import('../../server/payments/idempotency.ts');
    const db = await openDatabase(wallet.database);
    try {
      const key = `race-new-${Math.random()}`;
      const request = { workerId: 'w', merchantId: merchant.id, key, method: 'POST', path: '/x', body: {}, now: wallet.clock.now() };
      let winnerStored!: () => void;
      const stored = new Promise<void>((resolve) => (winnerStored = resolve));
      let loserWorking!: () => void;
      const working = new Promise<void>((resolve) => (loserWorking = resolve));
      // The loser looks the key up (not there), works, and only tries to store the key after the winner has committed it.
      const loser = withIdempotency(db, request, async (trx) => {
        await trx.insertInto('wallet_settings').values({ name: `${key}-loser`, value: 'work' }).execute();
        loserWorking();
        await stored;
        return { status: 201, body: { who: 'loser' } };
      });
      await working;
      const winner = await withIdempotency(db, request, async (trx) => {
        await trx.insertInto('wallet_settings').values({ name: `${key}-winner`, value: 'work' }).execute();
        return { status: 201, body: { who: 'winner' } };
      });
      winnerStored();
      assert.deepEqual(winner, { status: 201, body: { who: 'winner' }, replayed: false });
      await assert.rejects(loser, (error: { code?: string }) => error.code === 'idempotency_key_in_use');
      assert.deepEqual(await wallet.query('SELECT name FROM wallet_settings WHERE name LIKE ? ORDER BY name', [`${key}-%`]), [{ name: `${key}-winner` }]);
      // The winner's answer is the key's: a retry replays it.
      assert.deepEqual(await withIdempotency(db, request, async () => assert.fail('a stored key must not run again')), { status: 201, body: { who: 'winner' }, replayed: true });
    } finally {
      await db.destroy();
    }
  });

  test("a unique violation in the work itself is our fault, not the key's: it is thrown as it is and nothing is stored", async () => {
    const merchant = (await wallet.query<{ id: string }>('SELECT id FROM merchants'))[0];
    const { withIdempotency } = await import('../../server/payments/idempotency.ts');
    const db = await openDatabase(wallet.database);
    try {
      const key = `work-violation-${Math.random()}`;
      await wallet.query('INSERT INTO wallet_settings (name, value) VALUES (?, ?)', [key, 'there already']);
      const request = { workerId: 'w', merchantId: merchant.id, key, method: 'POST', path: '/x', body: {}, now: wallet.clock.now() };
      const outcome = withIdempotency(db, request, async (trx) => {
        await trx.insertInto('wallet_settings').values({ name: key, value: 'again' }).execute();
        return { status: 201, body: {} };
      });
      // Exactly the work's own error: the database's unique violation, not the key's 409.
      await assert.rejects(outcome, (error: unknown) => isUniqueViolation(error));
      assert.deepEqual(await wallet.query('SELECT state FROM idempotency_keys WHERE idempotency_key = ?', [key]), []);
      // A retry runs the work again.
      assert.deepEqual(await withIdempotency(db, request, async () => ({ status: 201, body: { ran: true } })), { status: 201, body: { ran: true }, replayed: false });
    } finally {
      await db.destroy();
    }
  });

  test('a refusal of a new key is stored with it and its work undone (rolled back with its transaction, then the key stored)', async () => {
    const merchant = (await wallet.query<{ id: string }>('SELECT id FROM merchants'))[0];
    const { withIdempotency } = await import('../../server/payments/idempotency.ts');
    const { ApiError } = await import('../../server/errors/api-error.ts');
    const db = await openDatabase(wallet.database);
    try {
      const key = `refused-${Math.random()}`;
      const request = { workerId: 'w', merchantId: merchant.id, key, method: 'POST', path: '/x', body: {}, now: wallet.clock.now() };
      const refuse = () =>
        withIdempotency(db, request, async (trx) => {
          await trx.insertInto('wallet_settings').values({ name: key, value: 'work' }).execute();
          throw new ApiError(409, 'payment_intent_unexpected_state', 'refused after writing');
        });
      await assert.rejects(refuse(), (error: { code?: string }) => error.code === 'payment_intent_unexpected_state');
      assert.deepEqual(await wallet.query('SELECT value FROM wallet_settings WHERE name = ?', [key]), []);
      const [row] = await wallet.query<{ state: string; response_status: number; response_body: string }>(
        'SELECT state, response_status, response_body FROM idempotency_keys WHERE idempotency_key = ?',
        [key],
      );
      assert.equal(row.state, 'done');
      assert.equal(Number(row.response_status), 409);
      assert.equal(JSON.parse(row.response_body).error.code, 'payment_intent_unexpected_state');
      const replayed = await withIdempotency(db, request, async () => assert.fail('a stored refusal must not run again'));
      assert.equal(replayed.replayed, true);
      assert.equal(replayed.status, 409);
    } finally {
      await db.destroy();
    }
  });

  test('speculative work (creating an intent): a stored key answers as stored and the work done before looking is rolled back', async () => {
    const merchant = (await wallet.query<{ id: string }>('SELECT id FROM merchants'))[0];
    const { withIdempotency } = await import('../../server/payments/idempotency.ts');
    const { ApiError } = await import('../../server/errors/api-error.ts');
    const db = await openDatabase(wallet.database);
    try {
      const key = `speculative-${Math.random()}`;
      const request = { workerId: 'w', merchantId: merchant.id, key, method: 'POST', path: '/x', body: { n: 1 }, now: wallet.clock.now() };
      const work = (name: string, status = 201) => async (trx: typeof db) => {
        await trx.insertInto('wallet_settings').values({ name: `${key}-${name}`, value: 'work' }).execute();
        return { status, body: { who: name } };
      };
      const speculative = { speculative: true };
      assert.deepEqual(await withIdempotency(db, request, work('first'), speculative), { status: 201, body: { who: 'first' }, replayed: false });
      assert.deepEqual(await withIdempotency(db, request, work('second'), speculative), { status: 201, body: { who: 'first' }, replayed: true });
      assert.deepEqual(await wallet.query('SELECT name FROM wallet_settings WHERE name LIKE ? ORDER BY name', [`${key}-%`]), [{ name: `${key}-first` }]);
      // Another body with the key: refused as at any time, the work undone.
      await assert.rejects(withIdempotency(db, { ...request, body: { n: 2 } }, work('third'), speculative), (error: { code?: string }) => error.code === 'idempotency_key_reused');
      assert.equal((await wallet.query('SELECT name FROM wallet_settings WHERE name = ?', [`${key}-third`])).length, 0);

      // A refusal of a new key is stored with it, its work undone; a refusal of a stored key is that key's answer.
      const refusedKey = `${key}-refused`;
      const refusing = async (trx: typeof db) => {
        await trx.insertInto('wallet_settings').values({ name: `${refusedKey}-work`, value: 'work' }).execute();
        throw new ApiError(409, 'payment_intent_unexpected_state', 'refused after writing');
      };
      const refusedRequest = { ...request, key: refusedKey };
      await assert.rejects(withIdempotency(db, refusedRequest, refusing, speculative), (error: { code?: string }) => error.code === 'payment_intent_unexpected_state');
      const replayed = await withIdempotency(db, refusedRequest, refusing, speculative);
      assert.deepEqual({ status: replayed.status, code: (replayed.body as { error: { code: string } }).error.code, replayed: replayed.replayed }, { status: 409, code: 'payment_intent_unexpected_state', replayed: true });
      assert.deepEqual(await withIdempotency(db, request, refusing, speculative), { status: 201, body: { who: 'first' }, replayed: true });
      assert.equal((await wallet.query('SELECT name FROM wallet_settings WHERE name = ?', [`${refusedKey}-work`])).length, 0);
    } finally {
      await db.destroy();
    }
  });

  test('speculative work racing on one new key: the loser answers with the winner\'s stored response, its own work rolled back', async (t) => {
    if (!wallet.database.databaseUrl) return t.skip('PostgreSQL only: SQLite runs one transaction at a time');
    const merchant = (await wallet.query<{ id: string }>('SELECT id FROM merchants'))[0];
    const { withIdempotency } = await import('../../server/payments/idempotency.ts');
    const db = await openDatabase(wallet.database);
    try {
      const key = `speculative-race-${Math.random()}`;
      const request = { workerId: 'w', merchantId: merchant.id, key, method: 'POST', path: '/x', body: {}, now: wallet.clock.now() };
      let winnerStored!: () => void;
      const stored = new Promise<void>((resolve) => (winnerStored = resolve));
      let loserWorking!: () => void;
      const working = new Promise<void>((resolve) => (loserWorking = resolve));
      const loser = withIdempotency(db, request, async (trx) => {
        await trx.insertInto('wallet_settings').values({ name: `${key}-loser`, value: 'work' }).execute();
        loserWorking();
        await stored;
        return { status: 201, body: { who: 'loser' } };
      }, { speculative: true });
      await working;
      const winner = await withIdempotency(db, request, async (trx) => {
        await trx.insertInto('wallet_settings').values({ name: `${key}-winner`, value: 'work' }).execute();
        return { status: 201, body: { who: 'winner' } };
      }, { speculative: true });
      winnerStored();
      assert.deepEqual(winner, { status: 201, body: { who: 'winner' }, replayed: false });
      assert.deepEqual(await loser, { status: 201, body: { who: 'winner' }, replayed: true });
      assert.deepEqual(await wallet.query('SELECT name FROM wallet_settings WHERE name LIKE ? ORDER BY name', [`${key}-%`]), [{ name: `${key}-winner` }]);
    } finally {
      await db.destroy();
    }
  });

  test('the stored response holds no client secret; a replay derives the same one', async () => {
    const key = `secret-${Math.random()}`;
    const first = await (await create({ amount: 900, currency: 'USD' }, { 'idempotency-key': key })).json();
    const [stored] = await wallet.query<{ response_body: string }>('SELECT response_body FROM idempotency_keys WHERE idempotency_key = ?', [key]);
    assert.ok(!stored.response_body.includes('secret'), stored.response_body);
    const replay = await (await create({ amount: 900, currency: 'USD' }, { 'idempotency-key': key })).json();
    assert.equal(replay.client_secret, first.client_secret);
  });

  test('an error response is stored and replayed too', async () => {
    const key = { 'idempotency-key': `err-${Math.random()}` };
    const intent = await (await create({ amount: 100, currency: 'USD' })).json();
    const cancel = () => wallet.request('POST', `/v1/payment_intents/${intent.id}/refunds`, {}, { ...auth, ...key });
    await expectError(await cancel(), 409, 'payment_intent_unexpected_state');
    const again = await cancel();
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    await expectError(again, 409, 'payment_intent_unexpected_state');
  });
});

describe('GET /v1/payment_intents/:id', () => {
  test('an unknown id is 404 resource_missing', async () => {
    await expectError(await wallet.request('GET', '/v1/payment_intents/pi_doesnotexist', undefined, auth), 404, 'resource_missing');
  });

  test("another merchant's intent is 404 as if it did not exist", async () => {
    const db = await openDatabase(wallet.database);
    const otherKey = 'sk_test_other_merchant';
    await createMerchant(db, { secretKey: otherKey, origins: ['https://other.example'] }, new Date());
    await db.destroy();
    const mine = await (await create({ amount: 100, currency: 'USD' })).json();
    const res = await wallet.request('GET', `/v1/payment_intents/${mine.id}`, undefined, { authorization: `Bearer ${otherKey}` });
    await expectError(res, 404, 'resource_missing');
  });
});

describe('every response is JSON, never a 500', () => {
  test('unknown routes are 404 JSON', async () => {
    await expectError(await wallet.request('GET', '/v2/whatever'), 404, 'resource_missing');
    await expectError(await wallet.request('DELETE', '/v1/payment_intents/pi_1', undefined, auth), 404, 'resource_missing');
  });

  test('responses carry nosniff', async () => {
    const res = await wallet.request('GET', '/v1/payment_intents/pi_1', undefined, auth);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  });

  test('logs name method, path and status, never keys, secrets or query strings', async () => {
    const intent = await (await create({ amount: 100, currency: 'USD' })).json();
    await wallet.request('GET', `/v1/payment_intents/${intent.id}?secret=topsecret`, undefined, auth);
    const text = wallet.logs.join('\n');
    assert.match(text, /"method":"GET","path":"\/v1\/payment_intents\/pi_[0-9A-Za-z]+","status":200/);
    assert.ok(!text.includes(wallet.secretKey));
    assert.ok(!text.includes(intent.client_secret));
    assert.ok(!text.includes('topsecret'));
  });
});
