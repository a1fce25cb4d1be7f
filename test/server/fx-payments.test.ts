/**
 * A Lotus Bank card (held in CNY) paying a USD intent, over real HTTP to the Lotus Bank process and real SQLite:
 * the terms its bank quotes (1.5 % cross-currency fee, 1 USD = 7.1234 CNY), exactly that debit charged in CNY with
 * the bank's quote id, refunds that give back exactly the debit, and a ledger that reconciles.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLotusBankAdapter } from '../../server/adapters/lotus-bank.ts';
import { reconcileLedger } from '../../server/payments/reconcile-ledger.ts';
import { openDatabase, type WalletDb } from '../../server/store/database.ts';
import { paymentHash } from '../../server/webauthn/payment-hash.ts';
import { addCard, bearer, createIntent, expectError, getIntent, pay, quoteTerms, registerShopper, requestQuote } from '../support/frame-client.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { startTestBank, type TestBank } from '../support/test-bank.ts';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';

/** Lotus Bank's test card that approves. */
const LOTUS_CARD = '5555555555554444';

let bank: TestBank;
let wallet: TestWallet;
let db: WalletDb;

before(async () => {
  bank = await startTestBank();
  wallet = await startTestWallet({ bank: bank.config, lotus: true });
  db = await openDatabase(wallet.database);
});
after(async () => {
  await db?.destroy();
  await wallet?.close();
  await bank?.close();
});

const lotus = () => ({ url: wallet.lotus!.url, apiKey: wallet.lotus!.apiKey });
const merchant = (method: string, pathname: string, body?: unknown) => wallet.request(method, pathname, body, { authorization: `Bearer ${wallet.secretKey}` });

/** What Lotus Bank's own ledger lists (`charges` or `refunds`) under one of our references, over HTTP. */
async function lotusLedger(kind: 'charges' | 'refunds', reference: string): Promise<Array<{ amount: number; currency: string; status?: string }>> {
  const res = await fetch(`${lotus().url}/v1/${kind}?reference=${encodeURIComponent(reference)}`, { headers: bearer(lotus().apiKey) });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()).data;
}

async function lotusShopper(amount = 1999) {
  const authenticator = new SoftwareAuthenticator();
  const intent = await createIntent(wallet, amount, 'USD');
  const session = await registerShopper(wallet, authenticator, intent.client_secret, `fx${Math.random()}@example.com`);
  const card = await addCard(wallet, session.sessionToken, LOTUS_CARD);
  return { authenticator, intent, session, card };
}

describe('a Lotus Bank CNY card paying USD', () => {
  test("the terms: the bank's 1.5 % fee, its rate 7.1234 and the exact debit in CNY", async () => {
    const { intent, session, card } = await lotusShopper(1999);
    assert.equal(card.bank, 'lotus');
    assert.equal(card.currency, 'CNY');
    const terms = await quoteTerms(wallet, intent.client_secret, card.id, session.sessionToken);
    // 19.99 USD + 1.5 % (29.985 → 0.30) = 20.29 USD; × 7.1234 = 144.533786 CNY → 144.53.
    assert.match(terms.quoteId, /^quo_/);
    assert.deepEqual(
      { cardId: terms.cardId, amount: terms.amount, currency: terms.currency, fee: terms.fee, fx: terms.fx, debit: terms.debit },
      {
        cardId: card.id,
        amount: 1999,
        currency: 'USD',
        fee: 30,
        fx: { rate: '7.1234', source: 'Lotus Bank treasury' },
        debit: { amount: 14_453, currency: 'CNY', currencyDigits: 2 },
      },
    );
    const expiresIn = Date.parse(terms.expiresAt) - wallet.clock.now().getTime();
    assert.ok(expiresIn > 0 && expiresIn <= 10 * 60_000, `expires in ${expiresIn} ms`);
    const [row] = await wallet.query<Record<string, unknown>>('SELECT * FROM payment_quotes WHERE id = ?', [terms.quoteId]);
    assert.equal(row.bank, 'lotus');
    assert.match(String(row.bank_quote_id), /^fxq_/);
  });

  test('paying charges Lotus Bank exactly the signed debit in CNY; the attempt records what was signed', async () => {
    const { authenticator, intent, session, card } = await lotusShopper(1999);
    const res = await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal((await res.json()).status, 'succeeded');

    const [attempt] = await wallet.query<Record<string, unknown>>(
      'SELECT reference, quote_id, fee_amount, debit_amount, debit_currency, fx_rate, fx_source FROM payment_attempts WHERE intent_id = ?',
      [intent.id],
    );
    assert.match(String(attempt.quote_id), /^quo_/);
    assert.deepEqual(
      { fee: Number(attempt.fee_amount), debit: Number(attempt.debit_amount), currency: attempt.debit_currency, rate: attempt.fx_rate, source: attempt.fx_source },
      { fee: 30, debit: 14_453, currency: 'CNY', rate: '7.1234', source: 'Lotus Bank treasury' },
    );
    const charges = await lotusLedger('charges', String(attempt.reference));
    assert.deepEqual(charges.map((c) => ({ amount: c.amount, currency: c.currency, status: c.status })), [{ amount: 14_453, currency: 'CNY', status: 'approved' }]);

    // The challenge was the v2 hash: quote id, fee, rate and debit bound with the payment.
    const [challenge] = await wallet.query<{ payment_hash: string; quote_id: string }>(
      "SELECT payment_hash, quote_id FROM webauthn_challenges WHERE intent_id = ? AND purpose = 'payment'",
      [intent.id],
    );
    assert.equal(challenge.quote_id, attempt.quote_id);
    const details = { intentId: intent.id, amount: 1999, currency: 'USD', payee: 'Demo Shop', cardToken: card.bankToken };
    assert.notEqual(challenge.payment_hash, paymentHash(details));
    assert.equal(
      challenge.payment_hash,
      paymentHash({ ...details, terms: { quoteId: challenge.quote_id, fee: 30, fx: { rate: '7.1234', source: 'Lotus Bank treasury' }, debit: { amount: 14_453, currency: 'CNY' } } }),
    );
    // The merchant is paid the amount: its objects stay in USD.
    const merchantView = await getIntent(wallet, intent.id);
    assert.deepEqual({ amount: merchantView.amount, currency: merchantView.currency, status: merchantView.status }, { amount: 1999, currency: 'USD', status: 'succeeded' });
  });

  test('refunds go back in CNY at the charge ratio and together return exactly the debit, fee included', async () => {
    const { authenticator, intent, session, card } = await lotusShopper(1999);
    assert.equal((await (await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken)).json()).status, 'succeeded');
    const refunds = [];
    for (const amount of [1, 999, undefined]) {
      const res = await merchant('POST', `/v1/payment_intents/${intent.id}/refunds`, amount === undefined ? undefined : { amount });
      assert.equal(res.status, 201, await res.clone().text());
      const refund = await res.json();
      assert.equal(refund.status, 'succeeded');
      assert.equal(refund.currency, 'USD', "the merchant's refund stays in the merchant's currency");
      refunds.push(refund);
    }
    assert.deepEqual(refunds.map((r) => r.amount), [1, 999, 999]);
    const atBank = [];
    for (const refund of refunds) atBank.push(...(await lotusLedger('refunds', refund.id)));
    assert.deepEqual(atBank.map((r) => r.currency), ['CNY', 'CNY', 'CNY']);
    // 1 of 1999 → round(7.23) = 7; 1000 of 1999 → round(7230.11) = 7230, so 7223; the rest makes 14453.
    assert.deepEqual(atBank.map((r) => r.amount), [7, 7223, 7223]);
    assert.equal(atBank.reduce((sum, r) => sum + r.amount, 0), 14_453);
  });

  test("Lotus Bank's ledger reconciles with ours: charges and refunds compared in CNY", async () => {
    const report = await reconcileLedger(db, createLotusBankAdapter({ baseUrl: lotus().url, apiKey: lotus().apiKey }), new Date(Date.now() - 3_600_000));
    assert.ok(report.charges >= 2 && report.refunds >= 3, JSON.stringify(report));
    assert.deepEqual(report.mismatches, []);
    assert.equal(report.inFlight, 0);
  });

  test('a card in another currency whose bank quotes no rate is 409 card_unavailable, before any challenge', async () => {
    const authenticator = new SoftwareAuthenticator();
    const intent = await createIntent(wallet, 500, 'USD');
    const session = await registerShopper(wallet, authenticator, intent.client_secret, `nofx${Math.random()}@example.com`);
    const card = await addCard(wallet, session.sessionToken);
    // A sandbox card drawing on a CNY account: the sandbox bank has no `fx_quote` capability.
    await wallet.query('UPDATE cards SET currency = ? WHERE id = ?', ['CNY', card.id]);
    const res = await requestQuote(wallet, intent.client_secret, card.id, session.sessionToken);
    await expectError(res, 409, 'card_unavailable');
    assert.equal(Number((await wallet.query<{ n: number }>('SELECT count(*) AS n FROM payment_quotes WHERE intent_id = ?', [intent.id]))[0].n), 0);
  });

  test('a payment in a currency the card\'s bank does not convert from is 409 card_unavailable naming what it converts', async () => {
    const { session, card } = await lotusShopper(1000);
    const chf = await createIntent(wallet, 1000, 'CHF');
    const res = await requestQuote(wallet, chf.client_secret, card.id, session.sessionToken);
    const text = await res.text();
    assert.equal(res.status, 409, text);
    assert.equal(JSON.parse(text).error.code, 'card_unavailable');
    assert.match(JSON.parse(text).error.message, /expected a currency it carries \(CNY, USD, EUR, GBP, JPY\), received CHF/);
  });

  test('the same card paying CNY needs no conversion and pays no cross-currency fee', async () => {
    const { intent: usd, session, card } = await lotusShopper(1000);
    const cny = await createIntent(wallet, 1000, 'CNY');
    const terms = await quoteTerms(wallet, cny.client_secret, card.id, session.sessionToken);
    assert.deepEqual({ fee: terms.fee, fx: terms.fx, debit: terms.debit }, { fee: 0, fx: null, debit: { amount: 1000, currency: 'CNY', currencyDigits: 2 } });
    assert.ok(usd.id);
  });
});
