/**
 * Receipts of payments made by bank (Open Banking, the real Meridian Bank process): a payment is the shopper's
 * through `account_payments.shopper_id`; its receipt names the bank instead of a card, with no fee and no rate, and
 * it sits in the payments list with the shopper's card payments, newest first.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { spawnMeridianBank, type SpawnedMeridianBank } from '../../demo/open-banking/spawn-meridian-bank.ts';
import type { BankPaymentResponse, ConfirmOptionsResponse, PaymentListResponse, SessionResponse } from '../../widget/shopper-api.ts';
import { decideAtBank, MERCHANT_ACCOUNT } from '../adapters/meridian-shopper.ts';
import { addCard, bearer, createIntent, getIntent, inFrame, pay, registerShopper } from '../support/frame-client.ts';
import { freePort } from '../support/free-port.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { startTestBank, type TestBank } from '../support/test-bank.ts';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';

const CLIENT_ID = 'paykey-wallet';
let meridian: SpawnedMeridianBank;
let meridianDir: string;
let cardBank: TestBank;
let wallet: TestWallet;
const authenticator = new SoftwareAuthenticator();
let ada: SessionResponse;

before(async () => {
  // Meridian must know the wallet's redirect URI and JWKS before the wallet starts: the wallet's port comes first.
  const port = await freePort();
  const walletOrigin = `http://localhost:${port}`;
  meridianDir = mkdtempSync(path.join(tmpdir(), 'paykey-meridian-receipts-'));
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
    },
  });
});
after(async () => {
  await wallet?.close();
  await cardBank?.close();
  await meridian?.stop();
  if (meridianDir) rmSync(meridianDir, { recursive: true, force: true });
});

/** Options → passkey → POST /bank-payments → the shopper approves at Meridian → back on the wallet's callback. */
async function payByBank(clientSecret: string): Promise<void> {
  const optionsRes = await wallet.request('POST', '/api/frame/bank-payments/options', { client_secret: clientSecret, bank: 'meridian' }, bearer(ada.sessionToken));
  assert.equal(optionsRes.status, 200, await optionsRes.clone().text());
  const { challengeId, options } = (await optionsRes.json()) as ConfirmOptionsResponse;
  const response = authenticator.getAssertion(options, inFrame(wallet));
  const res = await wallet.request('POST', '/api/frame/bank-payments', { client_secret: clientSecret, challenge_id: challengeId, response }, bearer(ada.sessionToken));
  assert.equal(res.status, 200, await res.clone().text());
  const started = (await res.json()) as BankPaymentResponse;
  const query = await decideAtBank(started.authorizationUrl!, 'approve');
  const back = await wallet.request('GET', `/ob/callback?${new URLSearchParams(query as unknown as Record<string, string>)}`);
  assert.equal(back.status, 200);
}

describe('receipts of payments by bank', () => {
  test('the bank payment is listed with the card payment, newest first; its receipt names the bank, no card, no fee', async () => {
    const byCard = await createIntent(wallet, 900, 'GBP');
    ada = await registerShopper(wallet, authenticator, byCard.client_secret, 'bank-receipts@example.com');
    const card = await addCard(wallet, ada.sessionToken);
    assert.equal((await (await pay(wallet, authenticator, byCard.client_secret, card.id, ada.sessionToken)).json()).status, 'succeeded');
    wallet.clock.advance(1_000);
    const byBank = await createIntent(wallet, 1250, 'GBP');
    await payByBank(byBank.client_secret);
    assert.equal((await getIntent(wallet, byBank.id)).status, 'succeeded');

    const listRes = await wallet.request('GET', '/api/frame/payments', undefined, bearer(ada.sessionToken));
    const { payments } = (await listRes.json()) as PaymentListResponse;
    assert.deepEqual(payments.map((p) => p.paymentIntentId), [byBank.id, byCard.id]);
    const [receipt] = payments;
    const [row] = await wallet.query<{ reference: string; created_at: string; updated_at: string }>(
      'SELECT reference, created_at, updated_at FROM account_payments WHERE intent_id = ?',
      [byBank.id],
    );
    assert.deepEqual(receipt, {
      paymentIntentId: byBank.id,
      reference: row.reference,
      payee: 'Demo Shop',
      description: 'Test order',
      status: 'succeeded',
      amount: 1250,
      currency: 'GBP',
      currencyDigits: 2,
      fee: 0,
      fx: null,
      debit: { amount: 1250, currency: 'GBP', currencyDigits: 2 },
      card: null,
      payByBank: receipt.payByBank,
      createdAt: row.created_at,
      settledAt: row.updated_at,
      offer: null,
      // The demo merchant is a tea shop (MCC 5499).
      category: 'groceries',
    });
    assert.match(receipt.payByBank!.en, /Meridian/, JSON.stringify(receipt.payByBank));
    assert.equal(payments[1].card?.last4, '4242');
  });
});
