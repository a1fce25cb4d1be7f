/**
 * What the wallet does when a bank's answer is lost, late, wrong or refused:
 * the outbox resolves every unknown outcome by asking the bank, never by
 * paying again. Real sandbox bank process, real HTTP, real database.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { BankTransportError, type BankAdapter } from '../../server/adapters/bank-adapter.ts';
import { createBankRegistry } from '../../server/adapters/registry.ts';
import { createSandboxBankAdapter } from '../../server/adapters/sandbox-bank.ts';
import { addCard, bearer, createIntent, expectError, getIntent, pay, registerShopper, requestQuote } from '../support/frame-client.ts';
import { setBankFaults } from '../support/bank-faults.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { startTestBank, type TestBank } from '../support/test-bank.ts';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';

/**
 * How the bank link misbehaves: `lose-charge-answer` lets the charge reach the
 * bank and then loses the answer; `down` never reaches the bank; `lookup-down`
 * breaks lookups and loses charge answers; `only-lookup-down` breaks lookups alone.
 */
type LinkMode = 'ok' | 'lose-charge-answer' | 'down' | 'lookup-down' | 'only-lookup-down';

const GRACE_MS = 30_000;
let bank: TestBank;
let wallet: TestWallet;
let mode: LinkMode = 'ok';
let chargeCalls = 0;
/** A lookup for this reference hangs until `release()` (a bank call held by a proxy). */
let held: { reference: string; gate: Promise<void>; release: () => void } | undefined;

before(async () => {
  bank = await startTestBank();
  const real = createSandboxBankAdapter({ baseUrl: bank.url, apiKey: bank.apiKey });
  const flaky: BankAdapter = {
    ...real,
    id: real.id,
    async charge(request) {
      chargeCalls += 1;
      if (mode === 'down') throw new BankTransportError('connection refused (test)');
      const result = await real.charge(request);
      if (mode === 'lose-charge-answer' || mode === 'lookup-down') throw new BankTransportError('connection reset (test)');
      return result;
    },
    async lookupCharge(reference) {
      if (held?.reference === reference) await held.gate;
      if (mode === 'down' || mode === 'lookup-down' || mode === 'only-lookup-down') throw new BankTransportError('connection refused (test)');
      return real.lookupCharge(reference);
    },
  };
  wallet = await startTestWallet({ banks: createBankRegistry([flaky]), workers: { graceMs: GRACE_MS, retryBaseMs: 500, retryMaxMs: 4_000 } });
});
after(async () => {
  await wallet?.close();
  await bank?.close();
});
beforeEach(async () => {
  mode = 'ok';
  chargeCalls = 0;
  await setFaults([]);
});

const setFaults = (faults: unknown[]) => setBankFaults(bank, faults);

async function ledger(reference: string): Promise<Array<{ status: string }>> {
  const res = await fetch(`${bank.url}/v1/charges?reference=${encodeURIComponent(reference)}`, { headers: bearer(bank.apiKey) });
  return (await res.json()).data;
}

/** Moves the clock past any backoff and runs every due job. */
async function later(ms = 5_000): Promise<void> {
  wallet.clock.advance(ms);
  await wallet.server.runWorkersNow();
}

async function payingShopper(number?: string) {
  const authenticator = new SoftwareAuthenticator();
  const intent = await createIntent(wallet);
  const session = await registerShopper(wallet, authenticator, intent.client_secret, `r${Math.random()}@example.com`);
  const card = await addCard(wallet, session.sessionToken, number);
  return { authenticator, intent, session, card };
}

describe('a lost bank answer', () => {
  test('is resolved at once by looking the charge up by reference', async () => {
    const { authenticator, intent, session, card } = await payingShopper();
    mode = 'lose-charge-answer';
    const res = await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken);
    assert.equal((await res.json()).status, 'succeeded');
    assert.equal(chargeCalls, 1);
    assert.equal((await ledger(`${intent.id}_1`)).length, 1);
  });

  test('stays processing while unknown, then the outbox records what the bank did', async () => {
    const { authenticator, intent, session, card } = await payingShopper();
    mode = 'lookup-down';
    const res = await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken);
    assert.equal((await res.json()).status, 'processing');
    assert.equal((await getIntent(wallet, intent.id)).status, 'processing');
    // A processing intent cannot be confirmed again: refused already when the shopper asks for the terms.
    await expectError(await requestQuote(wallet, intent.client_secret, card.id), 409, 'payment_intent_unexpected_state');

    mode = 'ok';
    await later();
    assert.equal((await getIntent(wallet, intent.id)).status, 'succeeded');
    assert.equal(chargeCalls, 1, 'the outbox found the charge; it must not send it again');
    assert.equal((await ledger(`${intent.id}_1`)).length, 1);
  });

  test('a charge the bank never saw is re-sent after the grace period with the same reference, once', async () => {
    const { authenticator, intent, session, card } = await payingShopper();
    mode = 'down';
    const res = await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken);
    assert.equal((await res.json()).status, 'processing');
    const [attempt] = await wallet.query<{ reference: string; idempotency_key: string }>(
      'SELECT reference, idempotency_key FROM payment_attempts WHERE intent_id = ?',
      [intent.id],
    );
    assert.equal(attempt.reference, `${intent.id}_1`);

    mode = 'ok';
    await later();
    assert.equal((await getIntent(wallet, intent.id)).status, 'processing', 'within the grace period nothing is re-sent');
    assert.deepEqual(await ledger(`${intent.id}_1`), []);

    await later(GRACE_MS);
    assert.equal((await getIntent(wallet, intent.id)).status, 'succeeded');
    assert.equal((await ledger(`${intent.id}_1`)).length, 1);
    const rows = await wallet.query('SELECT reference, idempotency_key, status FROM payment_attempts WHERE intent_id = ?', [intent.id]);
    assert.deepEqual(rows, [{ ...attempt, status: 'approved' }]);
  });
});

describe('the outbox', () => {
  test('sends nothing again while it cannot ask the bank: "no answer" is not "never seen"', async () => {
    const { authenticator, intent, session, card } = await payingShopper();
    mode = 'down';
    const res = await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken);
    assert.equal((await res.json()).status, 'processing');
    assert.equal(chargeCalls, 1);

    // Past the grace period, the bank takes charges but cannot answer lookups.
    mode = 'only-lookup-down';
    await later(GRACE_MS + 1_000);
    assert.equal(chargeCalls, 1, 'a charge was re-sent without asking the bank first');
    assert.equal((await getIntent(wallet, intent.id)).status, 'processing');

    // Once the bank says it never saw the charge, the same charge is sent.
    mode = 'ok';
    await later();
    assert.equal(chargeCalls, 2);
    assert.equal((await getIntent(wallet, intent.id)).status, 'succeeded');
    assert.equal((await ledger(`${intent.id}_1`)).length, 1);
  });

  test('one attempt it cannot settle does not hold up the others', async () => {
    // First in line: an attempt whose card's bank is no longer configured.
    const stuck = await payingShopper();
    mode = 'down';
    await pay(wallet, stuck.authenticator, stuck.intent.client_secret, stuck.card.id, stuck.session.sessionToken);
    await wallet.query("UPDATE cards SET bank = 'retired-bank' WHERE id = ?", [stuck.card.id]);
    // Behind it: an ordinary lost answer.
    const fine = await payingShopper();
    mode = 'lookup-down';
    await pay(wallet, fine.authenticator, fine.intent.client_secret, fine.card.id, fine.session.sessionToken);

    mode = 'ok';
    await later();
    assert.equal((await getIntent(wallet, fine.intent.id)).status, 'succeeded');
    assert.equal((await getIntent(wallet, stuck.intent.id)).status, 'processing');
    assert.ok(wallet.logs.some((line) => line.includes('bank_outcome_unknown') && line.includes(`${stuck.intent.id}_1`) && line.includes('retired-bank')));
    // Do not leave it for the next tests' passes.
    await wallet.query("UPDATE bank_jobs SET done_at = 'x' WHERE subject_id IN (SELECT id FROM payment_attempts WHERE intent_id = ?)", [stuck.intent.id]);
  });
});

describe('what was found (regressions)', () => {
  test('a 409 in place of the bank\'s 201 is not a decline: the charge is found, never charged twice', async () => {
    const { authenticator, intent, session, card } = await payingShopper();
    await setFaults([{ route: 'charge', kind: 'conflict_after', count: 1 }]);
    const res = await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken);
    assert.equal((await res.json()).status, 'succeeded', 'the lookup by reference must find the booked charge');
    assert.equal((await getIntent(wallet, intent.id)).status, 'succeeded');
    // The shopper cannot pay again, so there is no second reference to charge.
    await expectError(await requestQuote(wallet, intent.client_secret, card.id, session.sessionToken), 409, 'payment_intent_unexpected_state');
    assert.equal((await ledger(`${intent.id}_1`)).length, 1);
    assert.deepEqual(await ledger(`${intent.id}_2`), []);
  });

  test('a 502 after booking and a dropped connection after booking are found by reference too', async () => {
    for (const kind of ['error_after', 'drop_after', 'garbled_after']) {
      const { authenticator, intent, session, card } = await payingShopper();
      await setFaults([{ route: 'charge', kind, count: 1 }]);
      const res = await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken);
      assert.equal((await res.json()).status, 'succeeded', kind);
      assert.equal((await ledger(`${intent.id}_1`)).length, 1, kind);
    }
  });

  test('a real decline still fails the intent at once, and another card may pay it', async () => {
    const { authenticator, intent, session } = await payingShopper('4000000000000002');
    const declining = (await wallet.query<{ id: string }>('SELECT id FROM cards WHERE shopper_id = ?', [session.shopper.id]))[0];
    const res = await pay(wallet, authenticator, intent.client_secret, declining.id, session.sessionToken);
    const body = await res.json();
    assert.equal(body.status, 'failed');
    assert.equal(body.lastError.code, 'card_declined');
    const good = await addCard(wallet, session.sessionToken);
    const second = await pay(wallet, authenticator, intent.client_secret, good.id, session.sessionToken);
    assert.equal((await second.json()).status, 'succeeded');
  });

  test('a failure to record the bank\'s answer gives the shopper "processing", never a 500; the outbox finishes it', async () => {
    const { authenticator, intent, session, card } = await payingShopper();
    // Recording the outcome writes a webhook event; make that write fail.
    await wallet.query('ALTER TABLE webhook_events RENAME TO webhook_events_away');
    let res: Response;
    try {
      res = await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken);
    } finally {
      await wallet.query('ALTER TABLE webhook_events_away RENAME TO webhook_events');
    }
    assert.equal(res.status, 200);
    assert.equal((await res.json()).status, 'processing');
    assert.equal((await ledger(`${intent.id}_1`)).length, 1, 'the bank did charge');
    await later();
    assert.equal((await getIntent(wallet, intent.id)).status, 'succeeded');
    const events = await wallet.query<{ type: string }>("SELECT type FROM webhook_events WHERE payload LIKE ?", [`%${intent.id}%`]);
    assert.deepEqual(events.map((e) => e.type), ['payment_intent.succeeded']);
  });

  test('an attempt with no answer past review-after goes to requires_review with an alert, and the bank\'s later word settles it', async () => {
    const { authenticator, intent, session, card } = await payingShopper();
    mode = 'lookup-down';
    await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken);
    await later(24 * 60 * 60 * 1000);
    assert.equal((await getIntent(wallet, intent.id)).status, 'requires_review');
    assert.ok(wallet.logs.some((line) => line.includes('payment_requires_review') && line.includes('"alert":true') && line.includes(intent.id)));
    const events = await wallet.query<{ type: string }>('SELECT type FROM webhook_events WHERE payload LIKE ?', [`%${intent.id}%`]);
    assert.deepEqual(events.map((e) => e.type), ['payment_intent.requires_review']);
    // Never failed without the bank's word: once it answers, the charge it booked stands.
    mode = 'ok';
    await later();
    assert.equal((await getIntent(wallet, intent.id)).status, 'succeeded');
  });

  test('a restarted server settles what was in flight at once (a pass at start-up, not after an interval)', async () => {
    const { authenticator, intent, session, card } = await payingShopper();
    mode = 'lookup-down';
    assert.equal((await (await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken)).json()).status, 'processing');
    mode = 'ok';
    // Restart with a one-hour poll and the retry still backing off: only the start-up pass can settle it.
    await wallet.restart({ workers: { pollMs: 3_600_000 } });
    const deadline = Date.now() + 5_000;
    while ((await getIntent(wallet, intent.id)).status === 'processing' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal((await getIntent(wallet, intent.id)).status, 'succeeded');
  });
});

describe('bounded parallelism', () => {
  test('one held bank call does not stall the other in-flight payments', async () => {
    const payments = [];
    mode = 'lookup-down';
    for (let i = 0; i < 4; i += 1) {
      const p = await payingShopper();
      assert.equal((await (await pay(wallet, p.authenticator, p.intent.client_secret, p.card.id, p.session.sessionToken)).json()).status, 'processing');
      payments.push(p);
    }
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    held = { reference: `${payments[0].intent.id}_1`, gate, release };
    mode = 'ok';
    // Real polling from here: the workers run on their own.
    await wallet.restart({ workers: { pollMs: 50, concurrency: 2 } });
    try {
      const deadline = Date.now() + 5_000;
      const others = payments.slice(1).map((p) => p.intent.id);
      while (Date.now() < deadline) {
        const statuses = await Promise.all(others.map(async (id) => (await getIntent(wallet, id)).status));
        if (statuses.every((status) => status === 'succeeded')) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      for (const id of others) assert.equal((await getIntent(wallet, id)).status, 'succeeded', `${id} waited behind the held call`);
      assert.equal((await getIntent(wallet, payments[0].intent.id)).status, 'processing');
    } finally {
      held = undefined;
      release();
    }
    await wallet.restart({ workers: { pollMs: 3_600_000 } });
    await later();
    assert.equal((await getIntent(wallet, payments[0].intent.id)).status, 'succeeded');
  });
});
