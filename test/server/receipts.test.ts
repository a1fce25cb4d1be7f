/**
 * Receipts and the payments list: a shopper's payments across merchants, newest first, each as what they saw and
 * signed (payee, amount, fee, exchange rate, debit, card, reference) — real SQLite, real HTTP to the sandbox bank's
 * and Lotus Bank's own processes. Another shopper's payment is as missing as one that does not exist.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sha256Hex } from '../../server/security/secrets.ts';
import { finalReceiptOf } from '../../server/shoppers/receipts.ts';
import { openDatabase } from '../../server/store/database.ts';
import type { PaymentListResponse, Receipt, ReceiptResponse, SessionResponse } from '../../widget/shopper-api.ts';
import { addCard, bearer, createIntent, expectError, pay, registerShopper } from '../support/frame-client.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { startTestBank, type TestBank } from '../support/test-bank.ts';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';

let bank: TestBank;
let wallet: TestWallet;
const authenticator = new SoftwareAuthenticator();
let ada: SessionResponse;
/** The intents Ada paid, oldest first: Demo Shop (sandbox card), Tea House (Lotus CNY card paying USD), Demo Shop (declined), Demo Shop in JPY. */
const paid: Record<'shop' | 'tea' | 'declined' | 'yen', string> = { shop: '', tea: '', declined: '', yen: '' };

/** A second merchant, "Tea House", whose checkout is embedded on the same test origin. */
async function teaHouseIntent(amount: number, currency: string): Promise<{ id: string; client_secret: string }> {
  const secretKey = `sk_test_${randomBytes(16).toString('hex')}`;
  const now = wallet.clock.now().toISOString();
  await wallet.query('INSERT INTO merchants (id, display_name, secret_key_hash, allowed_origins, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [
    `mer_tea_${randomBytes(4).toString('hex')}`, 'Tea House', sha256Hex(secretKey), JSON.stringify([wallet.merchantOrigin]), now, now,
  ]);
  const res = await wallet.request('POST', '/v1/payment_intents', { amount, currency, description: 'Longjing tea' }, { authorization: `Bearer ${secretKey}` });
  assert.equal(res.status, 201, await res.clone().text());
  return res.json();
}

async function payAndSettle(intent: { id: string; client_secret: string }, cardId: string): Promise<string> {
  const res = await pay(wallet, authenticator, intent.client_secret, cardId, ada.sessionToken);
  assert.equal(res.status, 200, await res.clone().text());
  wallet.clock.advance(1_000);
  return intent.id;
}

const list = async (query = '', token = ada.sessionToken) => {
  const res = await wallet.request('GET', `/api/frame/payments${query}`, undefined, bearer(token));
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as PaymentListResponse;
};

before(async () => {
  bank = await startTestBank();
  wallet = await startTestWallet({ bank: bank.config, lotus: true });
  const first = await createIntent(wallet);
  ada = await registerShopper(wallet, authenticator, first.client_secret, 'receipts@example.com');
  const visa = await addCard(wallet, ada.sessionToken, '4242424242424242');
  const lotus = await addCard(wallet, ada.sessionToken, '5555555555554444');
  const declining = await addCard(wallet, ada.sessionToken, '4000000000000002');
  paid.shop = await payAndSettle(first, visa.id);
  paid.tea = await payAndSettle(await teaHouseIntent(2500, 'USD'), lotus.id);
  paid.declined = await payAndSettle(await createIntent(wallet, 700), declining.id);
  paid.yen = await payAndSettle(await createIntent(wallet, 500, 'JPY'), visa.id);
});
after(async () => {
  await wallet?.close();
  await bank?.close();
});

describe('the payments list', () => {
  test("every merchant's payments, newest first, with status, payee and fees", async () => {
    const { payments, hasMore } = await list();
    assert.equal(hasMore, false);
    assert.deepEqual(
      payments.map((p) => `${p.paymentIntentId} ${p.payee} ${p.status} ${p.amount} ${p.currency}`),
      [
        `${paid.yen} Demo Shop succeeded 500 JPY`,
        `${paid.declined} Demo Shop failed 700 USD`,
        `${paid.tea} Tea House succeeded 2500 USD`,
        `${paid.shop} Demo Shop succeeded 1999 USD`,
      ],
    );
  });

  test('pages with limit and starting_after, and refuses a bad page request with what it expected', async () => {
    const first = await list('?limit=2');
    assert.deepEqual(first.payments.map((p) => p.paymentIntentId), [paid.yen, paid.declined]);
    assert.equal(first.hasMore, true);
    const second = await list(`?limit=2&starting_after=${first.payments[1].paymentIntentId}`);
    assert.deepEqual(second.payments.map((p) => p.paymentIntentId), [paid.tea, paid.shop]);
    assert.equal(second.hasMore, false);
    assert.deepEqual((await list(`?starting_after=${paid.shop}`)).payments, []);

    for (const query of ['?limit=0', '?limit=101', '?limit=two', '?limit=1.5', '?page=2', '?starting_after=pi_nope']) {
      const res = await wallet.request('GET', `/api/frame/payments${query}`, undefined, bearer(ada.sessionToken));
      await expectError(res.clone(), 422, 'invalid_request');
      assert.match((await res.json()).error.message, /expected|Invalid/, query);
    }
    await expectError(await wallet.request('GET', '/api/frame/payments'), 401, 'authentication_required');
  });
});

describe('a receipt', () => {
  const receipt = async (intentId: string, token = ada.sessionToken) => {
    const res = await wallet.request('GET', `/api/frame/payments/${intentId}`, undefined, bearer(token));
    assert.equal(res.status, 200, await res.clone().text());
    return ((await res.json()) as ReceiptResponse).receipt;
  };
  const attemptOf = async (intentId: string) =>
    (
      await wallet.query<{ reference: string; created_at: string; updated_at: string; fee_amount: number; debit_amount: number; fx_source: string }>(
        'SELECT * FROM payment_attempts WHERE intent_id = ? ORDER BY attempt_number DESC',
        [intentId],
      )
    )[0];

  test('a card in the payment\'s currency: no fee, no rate, the amount debited, the card and its bank', async () => {
    const r = await receipt(paid.shop);
    const attempt = await attemptOf(paid.shop);
    assert.deepEqual(r, {
      paymentIntentId: paid.shop,
      reference: attempt.reference,
      payee: 'Demo Shop',
      description: 'Test order',
      status: 'succeeded',
      amount: 1999,
      currency: 'USD',
      currencyDigits: 2,
      fee: 0,
      fx: null,
      debit: { amount: 1999, currency: 'USD', currencyDigits: 2 },
      card: { bank: 'sandbox', brand: 'visa', last4: '4242', bankName: r.card!.bankName },
      payByBank: null,
      createdAt: attempt.created_at,
      settledAt: attempt.updated_at,
      offer: null,
      // The demo merchant is a tea shop (MCC 5499).
      category: 'groceries',
    } satisfies Receipt);
    assert.ok(r.card!.bankName.en.length > 0);
    assert.ok(r.settledAt! >= r.createdAt);
  });

  test('a Lotus Bank CNY card paying USD: the fee, 1 USD = 7.1234 CNY and its source, the CNY debit as charged', async () => {
    const r = await receipt(paid.tea);
    const attempt = await attemptOf(paid.tea);
    assert.equal(r.payee, 'Tea House');
    assert.equal(r.description, 'Longjing tea');
    assert.equal(r.amount, 2500);
    assert.equal(r.currency, 'USD');
    assert.ok(r.fee > 0, 'Lotus charges a cross-currency fee');
    assert.equal(r.fee, attempt.fee_amount);
    assert.equal(r.fx?.rate, '7.1234');
    assert.equal(r.fx?.source, attempt.fx_source);
    assert.ok(r.fx!.source.length > 0);
    assert.deepEqual(r.debit, { amount: attempt.debit_amount, currency: 'CNY', currencyDigits: 2 });
    // The debit is (amount + fee) at the rate, to the CNY minor unit.
    assert.ok(Math.abs(r.debit.amount - ((r.amount + r.fee) * 71234) / 10000) <= 1, JSON.stringify(r.debit));
    assert.deepEqual(r.card, { bank: 'lotus', brand: 'mastercard', last4: '4444', bankName: { en: 'Lotus Bank', 'zh-CN': '莲花银行' } });
    assert.equal(r.status, 'succeeded');
  });

  test('a declined payment is failed, settled; a JPY one has 0 minor-unit digits', async () => {
    const declined = await receipt(paid.declined);
    assert.equal(declined.status, 'failed');
    assert.ok(declined.settledAt);
    assert.equal(declined.card?.last4, '0002');
    const yen = await receipt(paid.yen);
    assert.deepEqual([yen.amount, yen.currency, yen.currencyDigits, yen.debit.currencyDigits], [500, 'JPY', 0, 0]);
  });

  test('the list shows exactly the receipts one by one', async () => {
    const { payments } = await list();
    for (const item of payments) assert.deepEqual(item, await receipt(item.paymentIntentId));
  });

  test("another shopper's payment is 404, like one that does not exist; their own list is empty", async () => {
    const intent = await createIntent(wallet);
    const grace = await registerShopper(wallet, new SoftwareAuthenticator(), intent.client_secret, 'grace-receipts@example.com');
    await expectError(await wallet.request('GET', `/api/frame/payments/${paid.tea}`, undefined, bearer(grace.sessionToken)), 404, 'resource_missing');
    await expectError(await wallet.request('GET', '/api/frame/payments/pi_nope', undefined, bearer(grace.sessionToken)), 404, 'resource_missing');
    assert.deepEqual(await list('', grace.sessionToken), { payments: [], hasMore: false });
    await expectError(await wallet.request('GET', `/api/frame/payments/${paid.tea}`), 401, 'authentication_required');
  });
});

describe("the confirmation's receipt (finalReceiptOf)", () => {
  test('is the receipt of the latest attempt once final, whoever asks with the client secret; null before any attempt', async () => {
    const db = await openDatabase(wallet.database);
    try {
      const deps = { db, bankName: async (id: string) => ({ en: `bank ${id}` }) };
      const viaApi = ((await (await wallet.request('GET', `/api/frame/payments/${paid.tea}`, undefined, bearer(ada.sessionToken))).json()) as ReceiptResponse).receipt;
      assert.deepEqual(await finalReceiptOf(deps, paid.tea), { ...viaApi, card: { ...viaApi.card!, bankName: { en: 'bank lotus' } } });
      assert.equal((await finalReceiptOf(deps, paid.declined))?.status, 'failed');
      const unpaid = await createIntent(wallet);
      assert.equal(await finalReceiptOf(deps, unpaid.id), null);
    } finally {
      await db.destroy();
    }
  });

  test('told by the confirmation who paid and how it stands, it is the same receipt without looking that up; null unless final', async () => {
    const db = await openDatabase(wallet.database);
    try {
      const deps = { db, bankName: async (id: string) => ({ en: `bank ${id}` }) };
      const [payer] = await wallet.query<{ shopper_id: string }>(
        'SELECT cards.shopper_id AS shopper_id FROM payment_attempts JOIN cards ON cards.id = payment_attempts.card_id WHERE payment_attempts.intent_id = ?',
        [paid.tea],
      );
      assert.deepEqual(await finalReceiptOf(deps, paid.tea, { shopperId: payer.shopper_id, status: 'succeeded' }), await finalReceiptOf(deps, paid.tea));
      assert.equal((await finalReceiptOf(deps, paid.declined, { shopperId: payer.shopper_id, status: 'failed' }))?.status, 'failed');
      assert.equal(await finalReceiptOf(deps, paid.tea, { shopperId: payer.shopper_id, status: 'processing' }), null);
      assert.equal(await finalReceiptOf(deps, paid.tea, { shopperId: 'shp_someone_else', status: 'succeeded' }), null);
    } finally {
      await db.destroy();
    }
  });
});
