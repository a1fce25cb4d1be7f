/**
 * Whatever the merchant API accepts, the merchant's banks can carry (issue 5, #2):
 * each adapter declares its bank's limits; an intent no bank can carry is a 422
 * naming the limit, with nothing written; a card whose bank cannot carry an
 * intent is refused before any attempt; and a description longer than a bank's
 * statement text is shortened for that bank, never a `failed` payment. Real
 * HTTP, real sandbox bank processes (one with its own limits, one started with
 * narrower ones), real database.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sandboxBankLimits } from '../../demo/bank/sandbox-bank-limits.ts';
import { spawnSandboxBank, type SpawnedSandboxBank } from '../../demo/bank/spawn-sandbox-bank.ts';
import { createBankRegistry } from '../../server/adapters/registry.ts';
import { createSandboxBankAdapter } from '../../server/adapters/sandbox-bank.ts';
import { shortenStatementText } from '../../server/adapters/shorten-statement-text.ts';
import { addCard, bearer, expectError, getIntent, pay, registerShopper, requestQuote } from '../support/frame-client.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { startTestBank, type TestBank } from '../support/test-bank.ts';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';

/** A bank narrower than the sandbox bank: three currencies, 0.50–10,000.00, 40 characters of statement text. */
const NARROW = { currencies: ['USD', 'EUR', 'JPY'], amount: { min: 50, max: 1_000_000 }, maxDescriptionLength: 40 };

let bank: TestBank;
let narrowBank: SpawnedSandboxBank;
let narrowDir: string;
/** The sandbox bank with its own limits (500 characters of statement text). */
let wallet: TestWallet;
/** Only the narrow bank. */
let narrowWallet: TestWallet;
/** The narrow bank (the default, where new cards go) and the sandbox bank. */
let twoBankWallet: TestWallet;

const narrowAdapter = () => createSandboxBankAdapter({ baseUrl: narrowBank.url, apiKey: narrowBank.apiKey, id: 'narrow', limits: NARROW });

before(async () => {
  narrowDir = mkdtempSync(path.join(tmpdir(), 'paykey-narrow-bank-'));
  [bank, narrowBank] = await Promise.all([startTestBank(), spawnSandboxBank({ dataDir: narrowDir, limits: NARROW })]);
  wallet = await startTestWallet({ bank: bank.config });
  narrowWallet = await startTestWallet({ banks: createBankRegistry([narrowAdapter()]) });
  twoBankWallet = await startTestWallet({ banks: createBankRegistry([narrowAdapter(), createSandboxBankAdapter({ ...bank.config, bins: [] })]) });
});
after(async () => {
  await Promise.all([wallet?.close(), narrowWallet?.close(), twoBankWallet?.close()]);
  await Promise.all([bank?.close(), narrowBank?.stop()]);
  rmSync(narrowDir, { recursive: true, force: true });
});

const createIntent = (on: TestWallet, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  on.request('POST', '/v1/payment_intents', body, { authorization: `Bearer ${on.secretKey}`, ...headers });

async function created(on: TestWallet, body: Record<string, unknown>): Promise<{ id: string; client_secret: string; description: string | null }> {
  const res = await createIntent(on, body);
  assert.equal(res.status, 201, await res.clone().text());
  return res.json();
}

/** Every row a refused request could have written. */
async function rows(on: TestWallet) {
  const count = async (table: string) => Number(((await on.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]).n);
  return {
    payment_intents: await count('payment_intents'),
    idempotency_keys: await count('idempotency_keys'),
    payment_attempts: await count('payment_attempts'),
    bank_jobs: await count('bank_jobs'),
  };
}

/** A bank's whole ledger of charges. */
async function bankCharges(at: { url: string; apiKey: string }): Promise<Array<{ reference: string; status: string; description: string | null }>> {
  const res = await fetch(`${at.url}/v1/charges?created_since=2000-01-01T00:00:00Z&limit=500`, { headers: bearer(at.apiKey) });
  assert.equal(res.status, 200);
  return (await res.json()).data;
}

let shoppers = 0;
/** A shopper with a passkey, a session and one saved card (at the wallet's default bank). */
async function shopperWithCard(on: TestWallet, clientSecret: string) {
  const authenticator = new SoftwareAuthenticator();
  const session = await registerShopper(on, authenticator, clientSecret, `limits${++shoppers}-${Date.now()}@example.com`);
  const card = await addCard(on, session.sessionToken);
  return { authenticator, session, card };
}

const hasLoneSurrogate = (text: string) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

describe('a description longer than a bank takes is shortened for that bank, and the payment succeeds', () => {
  // 1000 code units, with an emoji straddling each bank's limit (500 and 40).
  const description = `Order 42: Paykey Tee ${'x'.repeat(17)}😀${'y'.repeat(459)}😀${'z'.repeat(499)}`;

  for (const [name, on, at, limit] of [
    ['the sandbox bank (500)', () => wallet, () => bank, sandboxBankLimits.maxDescriptionLength],
    ['a bank that takes 40', () => narrowWallet, () => narrowBank, NARROW.maxDescriptionLength],
  ] as const) {
    test(`${name}: a 1000-character description is paid end to end; the bank books it shortened to ${limit}`, async () => {
      assert.equal(description.length, 1000);
      const intent = await created(on(), { amount: 1999, currency: 'USD', description });
      assert.equal(intent.description, description, 'the merchant keeps the whole description');

      const shopper = await shopperWithCard(on(), intent.client_secret);
      const res = await pay(on(), shopper.authenticator, intent.client_secret, shopper.card.id, shopper.session.sessionToken);
      assert.equal(res.status, 200, await res.clone().text());
      const { receipt: _receipt, session, ...answer } = await res.json();
      assert.equal(session, null, 'the shopper was signed in already');
      assert.deepEqual(answer, { paymentIntentId: intent.id, status: 'succeeded', lastError: null });
      const stored = await getIntent(on(), intent.id);
      assert.deepEqual([stored.status, stored.description, stored.last_error], ['succeeded', description, null]);

      const [charge] = (await bankCharges(at())).filter((row) => row.reference === `${intent.id}_1`);
      assert.equal(charge.status, 'approved');
      assert.equal(charge.description, shortenStatementText(description, limit));
      assert.ok(charge.description!.length <= limit && charge.description!.endsWith('…'), charge.description!);
      assert.ok(description.startsWith(charge.description!.slice(0, -1)));
      assert.ok(!hasLoneSurrogate(charge.description!), 'no half of the emoji at the cut');
    });
  }

  test('a description within the limit reaches the bank as it is', async () => {
    const intent = await created(narrowWallet, { amount: 1999, currency: 'EUR', description: 'x'.repeat(NARROW.maxDescriptionLength) });
    const shopper = await shopperWithCard(narrowWallet, intent.client_secret);
    const res = await pay(narrowWallet, shopper.authenticator, intent.client_secret, shopper.card.id, shopper.session.sessionToken);
    assert.equal((await res.json()).status, 'succeeded');
    const [charge] = (await bankCharges(narrowBank)).filter((row) => row.reference === `${intent.id}_1`);
    assert.equal(charge.description, 'x'.repeat(NARROW.maxDescriptionLength));
  });
});

describe('an intent no bank can carry is 422 naming the limit, and nothing is written', () => {
  for (const [name, body, code, message] of [
    [
      'an amount over the bank\'s largest',
      { amount: 1_000_001, currency: 'USD' },
      'amount_too_large',
      'amount: expected at most 1000000 (minor units of USD, the most bank "narrow" carries); received 1000001',
    ],
    [
      'an amount under the bank\'s smallest',
      { amount: 49, currency: 'EUR' },
      'amount_too_small',
      'amount: expected at least 50 (minor units of EUR, the least bank "narrow" carries); received 49',
    ],
    [
      'a currency the bank does not carry',
      { amount: 1999, currency: 'GBP' },
      'currency_not_supported',
      'currency: expected a currency your bank "narrow" carries (USD, EUR, JPY); received GBP',
    ],
  ] as const) {
    test(`${name}: 422 ${code}; no intent, no idempotency key (the key stays free)`, async () => {
      const key = `limits-${randomUUID()}`;
      const rowsBefore = await rows(narrowWallet);
      const res = await createIntent(narrowWallet, { ...body, description: 'Paykey Tee' }, { 'idempotency-key': key });
      assert.equal(res.status, 422);
      assert.deepEqual(await res.json(), { error: { code, message } });
      assert.deepEqual(await rows(narrowWallet), rowsBefore);
      assert.deepEqual(await narrowWallet.query('SELECT state FROM idempotency_keys WHERE idempotency_key = ?', [key]), []);

      // The same request again is refused the same way (nothing was stored to replay) …
      const again = await createIntent(narrowWallet, { ...body, description: 'Paykey Tee' }, { 'idempotency-key': key });
      assert.equal(again.headers.get('idempotent-replayed'), null);
      await expectError(again, 422, code);
      // … and the key still serves a payable request.
      const payable = await createIntent(narrowWallet, { amount: 1999, currency: 'USD' }, { 'idempotency-key': key });
      assert.equal(payable.status, 201, await payable.clone().text());
    });
  }

  test('at the limits themselves the intent is accepted', async () => {
    for (const body of [
      { amount: 1_000_000, currency: 'USD' },
      { amount: 50, currency: 'JPY' },
    ]) {
      await created(narrowWallet, body);
    }
  });

  test('with several banks, one carrying it is enough; none carrying it names them all', async () => {
    // The sandbox bank carries GBP and 2,000,000 USD; the narrow one does not.
    await created(twoBankWallet, { amount: 1999, currency: 'GBP' });
    await created(twoBankWallet, { amount: 2_000_000, currency: 'USD' });
    const rowsBefore = await rows(twoBankWallet);
    const res = await createIntent(twoBankWallet, { amount: 1999, currency: 'XDR' });
    // XDR is no currency a shopper pays in: the API's own check answers first.
    await expectError(res, 422, 'invalid_currency');
    assert.deepEqual(await rows(twoBankWallet), rowsBefore);
  });
});

describe("a card whose bank cannot carry the intent is refused before anything is attempted", () => {
  for (const [name, body, expected] of [
    ['a currency its bank does not carry', { amount: 1999, currency: 'GBP' }, /expected a currency it carries \(USD, EUR, JPY\), received GBP/],
    ['an amount over its bank\'s largest', { amount: 2_000_000, currency: 'USD' }, /expected at most 1000000 USD minor units, received 2000000/],
  ] as const) {
    test(`${name}: 409 card_unavailable; the intent stays requires_confirmation, no attempt, nothing at the bank`, async () => {
      // Accepted: the sandbox bank carries it. The shopper's card is at the narrow bank (the default for new cards).
      const intent = await created(twoBankWallet, body);
      const shopper = await shopperWithCard(twoBankWallet, intent.client_secret);
      assert.equal(shopper.card.bankName.en, 'Sandbox Bank');
      const rowsBefore = await rows(twoBankWallet);
      const ledgerBefore = await bankCharges(narrowBank);

      // Refused when the shopper asks for the terms (no quote to sign, so no payment challenge either).
      const res = await requestQuote(twoBankWallet, intent.client_secret, shopper.card.id, shopper.session.sessionToken);
      const text = await res.text();
      assert.equal(res.status, 409, text);
      const { error } = JSON.parse(text);
      assert.equal(error.code, 'card_unavailable');
      assert.match(error.message, /^This card's bank \("narrow"\) cannot carry this payment: /);
      assert.match(error.message, expected);

      const stored = await getIntent(twoBankWallet, intent.id);
      assert.deepEqual([stored.status, stored.last_error], ['requires_confirmation', null]);
      assert.deepEqual(await rows(twoBankWallet), rowsBefore);
      assert.deepEqual(await bankCharges(narrowBank), ledgerBefore);
    });
  }

  test('the same card pays an intent its bank carries', async () => {
    const intent = await created(twoBankWallet, { amount: 1999, currency: 'USD' });
    const shopper = await shopperWithCard(twoBankWallet, intent.client_secret);
    const res = await pay(twoBankWallet, shopper.authenticator, intent.client_secret, shopper.card.id, shopper.session.sessionToken);
    assert.equal((await res.json()).status, 'succeeded');
  });
});
