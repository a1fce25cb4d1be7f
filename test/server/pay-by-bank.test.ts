/**
 * Pay by bank end to end over real HTTP: the wallet server (its routes, outbox, callback), the real Meridian Bank
 * process with the wallet registered as its client (JWKS and redirect URI on the wallet itself), a software
 * passkey. The bank's ledger is the judge: money moves once, or not at all.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { readEnvConfig } from '../../server/config/read-env-config.ts';
import { spawnMeridianBank, type SpawnedMeridianBank } from '../../demo/open-banking/spawn-meridian-bank.ts';
import type { AuthorizationCallback } from '../../server/adapters/open-banking/account-payment-adapter.ts';
import type { BankPaymentResponse, ConfirmOptionsResponse } from '../../widget/shopper-api.ts';
import { decideAtBank, MERCHANT_ACCOUNT, SHOPPER_CURRENT, SHOPPER_SAVER } from '../adapters/meridian-shopper.ts';
import { addCard, bearer, confirmationOptions, createIntent, expectError, getIntent, inFrame, registerShopper, sendConfirmation } from '../support/frame-client.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { startTestBank, type TestBank } from '../support/test-bank.ts';
import { startTestWallet, TEST_ENGINE, type TestWallet } from '../support/wallet-harness.ts';

const CLIENT_ID = 'paykey-wallet';
const CONSENT_TIMEOUT_MS = 10 * 60_000;

let meridian: SpawnedMeridianBank;
let meridianDir: string;
let cardBank: TestBank;
let wallet: TestWallet;
let emailCounter = 0;

/**
 * A free port below Linux's ephemeral range (32768+), so that the processes started meanwhile on port 0 (the
 * banks) cannot take it before the wallet listens on it: the bank must know the wallet's URLs first.
 */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const server = createServer();
    const free = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (free) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return port;
    }
  }
}

before(async () => {
  const port = await freePort();
  const walletOrigin = `http://localhost:${port}`;
  meridianDir = mkdtempSync(path.join(tmpdir(), 'paykey-meridian-pbb-'));
  meridian = await spawnMeridianBank({
    dataDir: meridianDir,
    clients: [{ clientId: CLIENT_ID, redirectUris: [`${walletOrigin}/ob/callback`], jwksUri: `${walletOrigin}/.well-known/jwks.json` }],
  });
  cardBank = await startTestBank();
  wallet = await startTestWallet({
    port,
    bank: cardBank.config,
    accountPayment: {
      baseUrl: meridian.url,
      clientId: CLIENT_ID,
      payee: { name: 'Paykey Demo Shop Ltd', schemeName: 'UK.OBIE.SortCodeAccountNumber', identification: MERCHANT_ACCOUNT },
      timeoutMs: 5_000,
      consentTimeoutMs: CONSENT_TIMEOUT_MS,
    },
  });
});

after(async () => {
  if (meridian) {
    const failures = await admin('GET', '/admin/validation-failures');
    assert.deepEqual(failures.body.failures, [], 'Meridian sent answers that break the standard');
  }
  await wallet?.close();
  await cardBank?.close();
  await meridian?.stop();
  if (meridianDir) rmSync(meridianDir, { recursive: true, force: true });
});

beforeEach(async () => {
  await admin('DELETE', '/admin/faults');
  await admin('DELETE', '/admin/scenarios');
});

async function admin(method: string, pathname: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${meridian.url}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${meridian.adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function balances(): Promise<Record<string, number>> {
  const answer = await admin('GET', '/admin/accounts');
  return Object.fromEntries((answer.body.accounts as Array<{ identification: string; balance: number }>).map((a) => [a.identification, a.balance]));
}

/** A new shopper (passkey + session) on a new GBP intent. */
async function shopperWithIntent(amount = 1250) {
  const intent = await createIntent(wallet, amount, 'GBP');
  const authenticator = new SoftwareAuthenticator();
  const session = await registerShopper(wallet, authenticator, intent.client_secret, `bank${++emailCounter}-${Date.now()}@example.com`);
  return { intent, authenticator, session };
}

async function bankOptions(clientSecret: string, sessionToken?: string): Promise<ConfirmOptionsResponse> {
  const res = await wallet.request('POST', '/api/frame/bank-payments/options', { client_secret: clientSecret, bank: 'meridian' }, bearer(sessionToken));
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

/** Options → passkey → POST /bank-payments, as the frame's "Pay by bank" does. */
async function payByBank(shopper: Awaited<ReturnType<typeof shopperWithIntent>>): Promise<BankPaymentResponse> {
  const { challengeId, options } = await bankOptions(shopper.intent.client_secret, shopper.session.sessionToken);
  const response = shopper.authenticator.getAssertion(options, inFrame(wallet));
  const res = await wallet.request('POST', '/api/frame/bank-payments', { client_secret: shopper.intent.client_secret, challenge_id: challengeId, response }, bearer(shopper.session.sessionToken));
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

function callback(query: AuthorizationCallback): Promise<Response> {
  return wallet.request('GET', `/ob/callback?${new URLSearchParams(query as Record<string, string>)}`);
}

async function webhookTypes(intentId: string): Promise<string[]> {
  const rows = await wallet.query<{ type: string; payload: string }>('SELECT type, payload FROM webhook_events ORDER BY created_at');
  return rows.filter((row) => JSON.parse(row.payload).data.object.id === intentId).map((row) => row.type);
}

describe(`pay by bank with Meridian (${TEST_ENGINE})`, () => {
  test('the wallet publishes its JWKS; the passkey confirms, the shopper approves at the bank: succeeded, money moved once, one webhook', async () => {
    const jwks = await (await wallet.request('GET', '/.well-known/jwks.json')).json();
    assert.equal(jwks.keys.length, 1);
    assert.ok(!('d' in jwks.keys[0]));

    const before = await balances();
    const shopper = await shopperWithIntent(1250);
    const started = await payByBank(shopper);
    assert.equal(started.status, 'processing');
    assert.ok(started.authorizationUrl?.startsWith(`${meridian.url}/authorize?`), JSON.stringify(started) + wallet.logs.slice(-4).join('\n'));
    assert.equal((await getIntent(wallet, shopper.intent.id)).status, 'processing');

    const query = await decideAtBank(started.authorizationUrl!, 'approve');
    const page = await callback(query);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const html = await page.text();
    assert.match(html, /data-status="succeeded"/);

    const intent = await getIntent(wallet, shopper.intent.id);
    assert.equal(intent.status, 'succeeded');
    const after = await balances();
    assert.equal(after[MERCHANT_ACCOUNT] - before[MERCHANT_ACCOUNT], 1250);
    assert.equal(before[SHOPPER_CURRENT] - after[SHOPPER_CURRENT], 1250);

    // The same return again (a reload, a replay): nothing more happens.
    const again = await callback(query);
    assert.equal(again.status, 200);
    assert.match(await again.text(), /data-status="succeeded"/);
    await wallet.server.runWorkersNow();
    assert.deepEqual(await balances(), after);
    assert.deepEqual(await webhookTypes(shopper.intent.id), ['payment_intent.succeeded']);

    const [row] = await wallet.query<{ sealed_grant: string | null; reference: string; consent_id: string; state_hash: string }>(
      'SELECT sealed_grant, reference, consent_id, state_hash FROM account_payments WHERE intent_id = ?',
      [shopper.intent.id],
    );
    assert.equal(row.sealed_grant, null, 'the grant is dropped once the payment is settled');
    assert.equal(row.reference, `${shopper.intent.id}_b1`);
    assert.ok(!started.authorizationUrl!.includes(row.state_hash));
  });

  test('the shopper rejects at the bank: failed consent_rejected, nothing moved; paying by bank again then works', async () => {
    const before = await balances();
    const shopper = await shopperWithIntent(700);
    const started = await payByBank(shopper);
    const page = await callback(await decideAtBank(started.authorizationUrl!, 'reject'));
    assert.equal(page.status, 200);
    const intent = await getIntent(wallet, shopper.intent.id);
    assert.equal(intent.status, 'failed');
    assert.equal(intent.last_error.code, 'consent_rejected');
    assert.deepEqual(await balances(), before);
    assert.deepEqual(await webhookTypes(shopper.intent.id), ['payment_intent.payment_failed']);

    const second = await payByBank(shopper);
    await callback(await decideAtBank(second.authorizationUrl!, 'approve'));
    assert.equal((await getIntent(wallet, shopper.intent.id)).status, 'succeeded');
    assert.equal((await balances())[MERCHANT_ACCOUNT] - before[MERCHANT_ACCOUNT], 700);
  });

  test('insufficient funds at the bank: failed insufficient_funds, nothing moved', async () => {
    const before = await balances();
    const shopper = await shopperWithIntent(2000);
    const started = await payByBank(shopper);
    await callback(await decideAtBank(started.authorizationUrl!, 'approve', SHOPPER_SAVER)); // £15.00 < £20.00
    const intent = await getIntent(wallet, shopper.intent.id);
    assert.equal(intent.status, 'failed');
    assert.equal(intent.last_error.code, 'insufficient_funds');
    assert.deepEqual(await balances(), before);
  });

  test("the payment's answer is lost (booked, connection dropped): resolved by asking the bank, booked once", async () => {
    const before = await balances();
    const shopper = await shopperWithIntent(1111);
    const started = await payByBank(shopper);
    const query = await decideAtBank(started.authorizationUrl!, 'approve');
    assert.equal((await admin('POST', '/admin/faults', { route: 'payment', kind: 'drop_after', count: 1 })).status, 201);
    const page = await callback(query);
    assert.equal(page.status, 200);
    await wallet.server.runWorkersNow();
    assert.equal((await getIntent(wallet, shopper.intent.id)).status, 'succeeded');
    assert.equal((await balances())[MERCHANT_ACCOUNT] - before[MERCHANT_ACCOUNT], 1111, 'booked exactly once');
  });

  test('a payment the bank holds as pending stays processing; the outbox looks it up until it is settled, then succeeded', async () => {
    const before = await balances();
    const shopper = await shopperWithIntent(1234);
    const started = await payByBank(shopper);
    const query = await decideAtBank(started.authorizationUrl!, 'approve');
    assert.equal((await admin('POST', '/admin/scenarios', { kind: 'pending_then_settled' })).status, 201);
    const page = await callback(query);
    assert.match(await page.text(), /data-status="processing"/);
    const [row] = await wallet.query<{ bank_payment_id: string | null }>('SELECT bank_payment_id FROM account_payments WHERE intent_id = ?', [shopper.intent.id]);
    assert.ok(row.bank_payment_id, 'the pending payment id is kept for the look-ups');
    wallet.clock.advance(60_000);
    await wallet.server.runWorkersNow();
    assert.equal((await getIntent(wallet, shopper.intent.id)).status, 'processing', 'still pending at the bank');
    assert.equal((await admin('POST', `/admin/payments/${row.bank_payment_id}/settle`)).status, 200);
    wallet.clock.advance(60_000);
    await wallet.server.runWorkersNow();
    assert.equal((await getIntent(wallet, shopper.intent.id)).status, 'succeeded');
    assert.equal((await balances())[MERCHANT_ACCOUNT] - before[MERCHANT_ACCOUNT], 1234);
  });

  test('a forged or mismatched state is 400 and changes nothing; the real return still pays', async () => {
    const before = await balances();
    const shopper = await shopperWithIntent(900);
    const started = await payByBank(shopper);
    const query = await decideAtBank(started.authorizationUrl!, 'approve');
    await expectError(await callback({ ...query, state: 'x'.repeat(48) }), 400, 'invalid_request');
    await expectError(await callback({ code: query.code }), 400, 'invalid_request');
    await expectError(await callback({ ...query, iss: 'http://evil.example' }), 400, 'invalid_request');
    assert.equal((await getIntent(wallet, shopper.intent.id)).status, 'processing');
    assert.deepEqual(await balances(), before);

    await callback(query);
    assert.equal((await getIntent(wallet, shopper.intent.id)).status, 'succeeded');
  });

  test('a consent not approved in time fails consent_expired after asking the bank; a late approval pays nothing', async () => {
    const before = await balances();
    const shopper = await shopperWithIntent(800);
    const started = await payByBank(shopper);
    wallet.clock.advance(CONSENT_TIMEOUT_MS + 1_000);
    await wallet.server.runWorkersNow();
    const intent = await getIntent(wallet, shopper.intent.id);
    assert.equal(intent.status, 'failed');
    assert.equal(intent.last_error.code, 'consent_expired');

    const late = await callback(await decideAtBank(started.authorizationUrl!, 'approve'));
    assert.equal(late.status, 200);
    await wallet.server.runWorkersNow();
    assert.equal((await getIntent(wallet, shopper.intent.id)).status, 'failed');
    assert.deepEqual(await balances(), before);
  });

  test('a refund of a payment made by bank is 422 refund_not_supported', async () => {
    const shopper = await shopperWithIntent(600);
    const started = await payByBank(shopper);
    await callback(await decideAtBank(started.authorizationUrl!, 'approve'));
    const res = await wallet.request('POST', `/v1/payment_intents/${shopper.intent.id}/refunds`, {}, { authorization: `Bearer ${wallet.secretKey}` });
    await expectError(res, 422, 'refund_not_supported');
    assert.equal((await getIntent(wallet, shopper.intent.id)).amount_refunded, 0);
  });

  test("the challenge binds the instrument: a card's assertion cannot pay by bank, nor a bank's pay with a card", async () => {
    const shopper = await shopperWithIntent(500);
    const card = await addCard(wallet, shopper.session.sessionToken);
    const before = await balances();

    const cardChallenge = await confirmationOptions(wallet, shopper.intent.client_secret, card.id, shopper.session.sessionToken);
    const cardAssertion = shopper.authenticator.getAssertion(cardChallenge.options, inFrame(wallet));
    await expectError(
      await wallet.request('POST', '/api/frame/bank-payments', { client_secret: shopper.intent.client_secret, challenge_id: cardChallenge.challengeId, response: cardAssertion }, bearer(shopper.session.sessionToken)),
      409,
      'payment_changed',
    );

    const bankChallenge = await bankOptions(shopper.intent.client_secret, shopper.session.sessionToken);
    const bankAssertion = shopper.authenticator.getAssertion(bankChallenge.options, inFrame(wallet));
    await expectError(await sendConfirmation(wallet, shopper.intent.client_secret, bankChallenge.challengeId, bankAssertion, shopper.session.sessionToken), 409, 'payment_changed');

    assert.equal((await getIntent(wallet, shopper.intent.id)).status, 'requires_confirmation');
    assert.deepEqual(await balances(), before);
  });

  test('the checkout offers Meridian for GBP; the shopper closing the window ends it consent_window_closed, nothing paid, and they may pay again', async () => {
    const before = await balances();
    const shopper = await shopperWithIntent(400);
    const view = await (await wallet.request('POST', '/api/frame/checkout', { client_secret: shopper.intent.client_secret })).json();
    assert.equal(view.payByBank?.id, 'meridian');
    assert.deepEqual(view.payByBank?.name, { en: 'Meridian Bank', 'zh-CN': '子午线银行' });
    const started = await payByBank(shopper);
    const closed = await wallet.request('POST', '/api/frame/bank-payments/abandon', { client_secret: shopper.intent.client_secret });
    assert.equal(closed.status, 200);
    const body = await closed.json();
    assert.equal(body.status, 'failed');
    assert.equal(body.lastError.code, 'consent_window_closed');
    // An approval that arrives afterwards pays nothing.
    await callback(await decideAtBank(started.authorizationUrl!, 'approve'));
    assert.equal((await getIntent(wallet, shopper.intent.id)).status, 'failed');
    assert.deepEqual(await balances(), before);
    const again = await payByBank(shopper);
    await callback(await decideAtBank(again.authorizationUrl!, 'approve'));
    assert.equal((await getIntent(wallet, shopper.intent.id)).status, 'succeeded');
    // Once approved, closing the window changes nothing.
    const late = await (await wallet.request('POST', '/api/frame/bank-payments/abandon', { client_secret: shopper.intent.client_secret })).json();
    assert.equal(late.status, 'succeeded');
  });

  test('hostile input on the pay-by-bank routes: always a coded 4xx, never a 5xx, nothing changes', async () => {
    const shopper = await shopperWithIntent(300);
    const secret = shopper.intent.client_secret;
    const cases: Array<[string, string, unknown, number, string]> = [
      ['POST', '/api/frame/bank-payments/options', { client_secret: secret, bank: 'meridian', extra: 1 }, 422, 'invalid_request'],
      ['POST', '/api/frame/bank-payments/options', { client_secret: secret, bank: 'nobank' }, 404, 'resource_missing'],
      ['POST', '/api/frame/bank-payments/options', { client_secret: 'pi_x_secret_y', bank: 'meridian' }, 401, 'invalid_client_secret'],
      ['POST', '/api/frame/bank-payments', { client_secret: secret, challenge_id: 'chl_nope', response: { id: 'x', rawId: 'x', type: 'public-key', response: {}, clientExtensionResults: {} } }, 422, 'invalid_request'],
      ['POST', '/api/frame/bank-payments/abandon', { client_secret: secret }, 409, 'payment_intent_unexpected_state'],
      ['POST', '/api/frame/bank-payments/abandon', { client_secret: 'nope' }, 401, 'invalid_client_secret'],
    ];
    for (const [method, pathname, body, status, code] of cases) {
      const res = await wallet.request(method, pathname, body);
      assert.ok(res.status < 500, `${pathname}: ${res.status}`);
      if (res.status !== status) assert.fail(`${pathname} ${JSON.stringify(body)}: expected ${status} ${code}, got ${res.status} ${await res.text()}`);
    }
    for (const query of ['', '?state=', `?state=${'a'.repeat(5000)}&code=x`, '?state=%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00', '?state=a&state=b&code=c', '?error=access_denied', '?code=x&iss=y&state=%F0%9F%92%A5%F0%9F%92%A5%F0%9F%92%A5%F0%9F%92%A5%F0%9F%92%A5']) {
      await expectError(await wallet.request('GET', `/ob/callback${query}`), 400, 'invalid_request');
    }
    assert.equal((await getIntent(wallet, shopper.intent.id)).status, 'requires_confirmation');
  });

  test('a currency the bank does not carry is refused before anything starts', async () => {
    const intent = await createIntent(wallet, 1000, 'USD');
    const authenticator = new SoftwareAuthenticator();
    const session = await registerShopper(wallet, authenticator, intent.client_secret, `usd${Date.now()}@example.com`);
    const res = await wallet.request('POST', '/api/frame/bank-payments/options', { client_secret: intent.client_secret, bank: 'meridian' }, bearer(session.sessionToken));
    await expectError(res, 422, 'currency_not_supported');
    const view = await (await wallet.request('POST', '/api/frame/checkout', { client_secret: intent.client_secret })).json();
    assert.equal(view.payByBank, null, 'not offered for USD');
  });
});

describe('pay by bank configuration', () => {
  test('offered only with OB_BANK_URL; the client id, payee and deadline from OB_*; a malformed value refused by name', () => {
    assert.equal(readEnvConfig({}).accountPayment, undefined);
    const config = readEnvConfig({ OB_BANK_URL: 'http://127.0.0.1:8790', PAYKEY_DATA_DIR: '/tmp/pk', OB_CONSENT_TIMEOUT_MS: '60000' }).accountPayment!;
    assert.deepEqual(config, {
      baseUrl: 'http://127.0.0.1:8790',
      clientId: 'paykey-wallet',
      signingKeyFile: '/tmp/pk/open-banking-signing-key.pem',
      payee: { name: 'Paykey Demo Shop Ltd', schemeName: 'UK.OBIE.SortCodeAccountNumber', identification: MERCHANT_ACCOUNT },
      consentTimeoutMs: 60_000,
    });
    assert.throws(() => readEnvConfig({ OB_BANK_URL: 'http://x', OB_PAYEE_ACCOUNT: '0400' }), /OB_PAYEE_ACCOUNT: expected/);
    assert.throws(() => readEnvConfig({ OB_BANK_URL: 'not a url' }), /OB_BANK_URL: expected/);
  });
});
