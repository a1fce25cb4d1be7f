/**
 * The merchant's refunds and cancel, the state machine behind them, and the
 * operators' metrics: real sandbox bank process, real HTTP, real database.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { INTENT_MOVES } from '../../server/payments/payment-state.ts';
import { addCard, bearer, createIntent, expectError, getIntent, pay, registerShopper, requestConfirmationOptions, requestQuote } from '../support/frame-client.ts';
import { setBankFaults } from '../support/bank-faults.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { startTestBank, type TestBank } from '../support/test-bank.ts';
import { startTestWallet, TEST_ENGINE, type TestWallet } from '../support/wallet-harness.ts';

let bank: TestBank;
let wallet: TestWallet;
const METRICS_TOKEN = 'metrics-token-for-tests';

before(async () => {
  bank = await startTestBank();
  wallet = await startTestWallet({ bank: bank.config, metricsToken: METRICS_TOKEN });
});
after(async () => {
  await wallet?.close();
  await bank?.close();
});
beforeEach(() => setFaults([]));

const setFaults = (faults: unknown[]) => setBankFaults(bank, faults);

const merchant = (method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}) =>
  wallet.request(method, pathname, body, { authorization: `Bearer ${wallet.secretKey}`, ...headers });

async function paidIntent(amount = 1000) {
  const authenticator = new SoftwareAuthenticator();
  const intent = await createIntent(wallet, amount);
  const session = await registerShopper(wallet, authenticator, intent.client_secret, `p${Math.random()}@example.com`);
  const card = await addCard(wallet, session.sessionToken);
  const res = await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken);
  assert.equal((await res.json()).status, 'succeeded');
  return intent;
}

async function bankRefunds(reference: string): Promise<unknown[]> {
  const res = await fetch(`${bank.url}/v1/refunds?reference=${encodeURIComponent(reference)}`, { headers: bearer(bank.apiKey) });
  return (await res.json()).data;
}

describe('refunds', () => {
  test('a full refund by default: 201, forwarded to the bank under its own reference, listed', async () => {
    const intent = await paidIntent(1500);
    const res = await merchant('POST', `/v1/payment_intents/${intent.id}/refunds`);
    assert.equal(res.status, 201);
    const refund = await res.json();
    assert.match(refund.id, /^re_/);
    assert.deepEqual(
      { object: refund.object, payment_intent: refund.payment_intent, amount: refund.amount, currency: refund.currency, status: refund.status },
      { object: 'refund', payment_intent: intent.id, amount: 1500, currency: 'USD', status: 'succeeded' },
    );
    assert.equal((await bankRefunds(refund.id)).length, 1);
    assert.equal((await getIntent(wallet, intent.id)).amount_refunded, 1500);
    const list = await (await merchant('GET', `/v1/payment_intents/${intent.id}/refunds`)).json();
    assert.deepEqual(list.data.map((r: { id: string }) => r.id), [refund.id]);
    await expectError(await merchant('POST', `/v1/payment_intents/${intent.id}/refunds`, {}), 422, 'amount_too_large');
  });

  test('partial refunds add up to at most what was captured', async () => {
    const intent = await paidIntent(1000);
    assert.equal((await merchant('POST', `/v1/payment_intents/${intent.id}/refunds`, { amount: 600 })).status, 201);
    await expectError(await merchant('POST', `/v1/payment_intents/${intent.id}/refunds`, { amount: 401 }), 422, 'amount_too_large');
    const rest = await merchant('POST', `/v1/payment_intents/${intent.id}/refunds`, { amount: 400 });
    assert.equal((await rest.json()).status, 'succeeded');
    assert.equal((await getIntent(wallet, intent.id)).amount_refunded, 1000);
  });

  test('concurrent refunds cannot together exceed the payment', async () => {
    const intent = await paidIntent(1000);
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => merchant('POST', `/v1/payment_intents/${intent.id}/refunds`, { amount: 300 })),
    );
    const statuses = responses.map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, 201, 201, 422, 422, 422]);
    assert.equal((await getIntent(wallet, intent.id)).amount_refunded, 900);
  });

  test('an Idempotency-Key makes a retried refund one refund', async () => {
    const intent = await paidIntent(1000);
    const key = { 'idempotency-key': `refund-${Math.random()}` };
    const first = await (await merchant('POST', `/v1/payment_intents/${intent.id}/refunds`, { amount: 100 }, key)).json();
    const again = await merchant('POST', `/v1/payment_intents/${intent.id}/refunds`, { amount: 100 }, key);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal((await again.json()).id, first.id);
    assert.equal((await getIntent(wallet, intent.id)).amount_refunded, 100);
  });

  test('a lost answer leaves the refund pending; the outbox finds it at the bank and it succeeds, once', async () => {
    const intent = await paidIntent(1000);
    await setFaults([{ route: 'refund', kind: 'drop_after', count: 1 }, { route: 'refund_lookup', kind: 'error_before', count: 1 }]);
    const refund = await (await merchant('POST', `/v1/payment_intents/${intent.id}/refunds`, { amount: 250 })).json();
    assert.equal(refund.status, 'pending');
    wallet.clock.advance(5_000);
    await wallet.server.runWorkersNow();
    const list = await (await merchant('GET', `/v1/payment_intents/${intent.id}/refunds`)).json();
    assert.equal(list.data[0].status, 'succeeded');
    assert.equal((await bankRefunds(refund.id)).length, 1);
    const events = await wallet.query<{ type: string }>('SELECT type FROM webhook_events WHERE payload LIKE ?', [`%${refund.id}%`]);
    assert.deepEqual(events.map((e) => e.type), ['refund.succeeded']);
  });

  test('only a succeeded payment can be refunded; another merchant\'s is 404', async () => {
    const intent = await createIntent(wallet);
    await expectError(await merchant('POST', `/v1/payment_intents/${intent.id}/refunds`), 409, 'payment_intent_unexpected_state');
    await expectError(await merchant('POST', '/v1/payment_intents/pi_nope/refunds'), 404, 'resource_missing');
    await expectError(await merchant('POST', `/v1/payment_intents/${intent.id}/refunds`, { amount: 1.5 }), 422, 'invalid_amount');
    await expectError(await merchant('POST', `/v1/payment_intents/${intent.id}/refunds`, { amount: 5, extra: 1 }), 422, 'invalid_request');
  });
});

describe('cancel', () => {
  test('an intent not yet confirmed is canceled, with a webhook event, and can no longer be paid', async () => {
    const authenticator = new SoftwareAuthenticator();
    const intent = await createIntent(wallet);
    const session = await registerShopper(wallet, authenticator, intent.client_secret, `c${Math.random()}@example.com`);
    const card = await addCard(wallet, session.sessionToken);
    const res = await merchant('POST', `/v1/payment_intents/${intent.id}/cancel`);
    assert.equal(res.status, 200);
    assert.equal((await res.json()).status, 'canceled');
    const checkout = await (await wallet.request('POST', '/api/frame/checkout', { client_secret: intent.client_secret })).json();
    assert.equal(checkout.status, 'canceled');
    const options = await requestQuote(wallet, intent.client_secret, card.id);
    await expectError(options, 409, 'payment_intent_canceled');
    await expectError(await merchant('POST', `/v1/payment_intents/${intent.id}/cancel`), 409, 'payment_intent_unexpected_state');
    const events = await wallet.query<{ type: string }>('SELECT type FROM webhook_events WHERE payload LIKE ?', [`%${intent.id}%`]);
    assert.deepEqual(events.map((e) => e.type), ['payment_intent.canceled']);
  });

  test('a challenge issued before the cancel cannot pay afterwards', async () => {
    const authenticator = new SoftwareAuthenticator();
    const intent = await createIntent(wallet);
    const session = await registerShopper(wallet, authenticator, intent.client_secret, `c${Math.random()}@example.com`);
    const card = await addCard(wallet, session.sessionToken);
    const optionsRes = await requestConfirmationOptions(wallet, intent.client_secret, card.id, session.sessionToken);
    const { challengeId, options } = await optionsRes.json();
    assert.equal((await merchant('POST', `/v1/payment_intents/${intent.id}/cancel`)).status, 200);
    const response = authenticator.getAssertion(options, { origin: wallet.url, topOrigin: wallet.merchantOrigin });
    const res = await wallet.request('POST', '/api/frame/confirmations', { client_secret: intent.client_secret, challenge_id: challengeId, response }, bearer(session.sessionToken));
    await expectError(res, 409, 'payment_intent_canceled');
    assert.equal(Number((await wallet.query<{ n: number }>('SELECT count(*) AS n FROM payment_attempts WHERE intent_id = ?', [intent.id]))[0].n), 0);
  });

  test('a succeeded intent cannot be canceled', async () => {
    const intent = await paidIntent();
    await expectError(await merchant('POST', `/v1/payment_intents/${intent.id}/cancel`), 409, 'payment_intent_unexpected_state');
  });
});

describe('the state machine in the database', () => {
  test('every move the code does not allow is refused by the database itself', async () => {
    const all = Object.keys(INTENT_MOVES) as Array<keyof typeof INTENT_MOVES>;
    for (const from of all) {
      for (const to of all) {
        if (from === to) continue;
        const intent = await createIntent(wallet);
        // Walk it to `from` along legal moves, then try `to` directly.
        for (const step of pathTo(from)) await wallet.query('UPDATE payment_intents SET status = ? WHERE id = ?', [step, intent.id]);
        const allowed = INTENT_MOVES[from].includes(to);
        const outcome = await wallet.query('UPDATE payment_intents SET status = ? WHERE id = ?', [to, intent.id]).then(
          () => 'moved',
          () => 'refused',
        );
        assert.equal(outcome, allowed ? 'moved' : 'refused', `${from} → ${to}`);
      }
    }
    await assert.rejects(wallet.query("UPDATE payment_intents SET amount_refunded = amount + 1 WHERE status = 'succeeded'"));
  });
});

describe('GET /metrics', () => {
  test('is for operators: 401 without the token, Prometheus text with it', async () => {
    await paidIntent();
    await expectError(await wallet.request('GET', '/metrics'), 401, 'authentication_required');
    const res = await wallet.request('GET', '/metrics', undefined, bearer(METRICS_TOKEN));
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await res.text();
    assert.match(text, /paykey_payment_intents\{status="succeeded"\} [1-9]/);
    assert.match(text, /paykey_bank_call_duration_seconds_count\{operation="charge",outcome="approved"\} [1-9]/);
    assert.match(text, /paykey_payment_processing_seconds_count\{status="succeeded"\} [1-9]/);
    assert.match(text, /paykey_bank_outbox_backlog \d/);
    assert.match(text, /paykey_webhook_backlog \d/);
    assert.match(text, /paykey_worker_passes_total\{worker="bank_outbox"\} /);
    if (TEST_ENGINE === 'sqlite') {
      // The paid intent's writes went through grouped commits and kept statements.
      assert.match(text, /paykey_sqlite_group_commits [1-9]/);
      assert.match(text, /paykey_sqlite_grouped_transactions [1-9]/);
      assert.match(text, /paykey_sqlite_failed_groups 0/);
      assert.match(text, /paykey_sqlite_statement_cache_hits [1-9]/);
      // Statements and commits counted where they ran: a payment is more statements than commits, and commits at least one.
      const figure = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
      assert.ok(figure('paykey_sqlite_commits') >= 1, text);
      assert.ok(figure('paykey_sqlite_statements') > figure('paykey_sqlite_commits'), text);
    } else {
      assert.ok(!text.includes('paykey_sqlite_'), 'no SQLite figures on PostgreSQL');
    }
    assert.ok(!text.includes(wallet.secretKey));
  });

  test('does not exist when PAYKEY_METRICS_TOKEN is unset', async () => {
    const plain = await startTestWallet();
    try {
      await expectError(await plain.request('GET', '/metrics', undefined, bearer('anything')), 404, 'resource_missing');
    } finally {
      await plain.close();
    }
  });
});

/** Legal moves from requires_confirmation to `target`. */
function pathTo(target: keyof typeof INTENT_MOVES): string[] {
  const paths: Record<string, string[]> = {
    requires_confirmation: [],
    processing: ['processing'],
    succeeded: ['processing', 'succeeded'],
    failed: ['processing', 'failed'],
    requires_review: ['processing', 'requires_review'],
    canceled: ['canceled'],
  };
  return paths[target];
}
