/**
 * What you see is what you sign: an attacker who can change the terms between the screen and the bank — the
 * stored quote's rate, fee or debit, the quote a challenge names, the attempt's debit on its way to the bank —
 * never gets the shopper's passkey approval to pay other terms. A Lotus Bank CNY card pays a USD intent (FX and a
 * fee: the v2 hash); each refusal has its exact status and code and leaves the intent, the attempts, the passkey
 * counter and Lotus Bank's ledger as they were; the control pays.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PaymentTerms, SavedCard, SessionResponse } from '../../widget/shopper-api.ts';
import { addCard, confirmationOptions, createIntent, inFrame, quoteTerms, registerShopper, sendConfirmation } from '../support/frame-client.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { startTestBank, type TestBank } from '../support/test-bank.ts';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';
import { expectRefusal, paymentState } from './attack-state.ts';

let bank: TestBank;
let wallet: TestWallet;
let authenticator: SoftwareAuthenticator;
let shopper: SessionResponse;
let card: SavedCard;

before(async () => {
  bank = await startTestBank();
  wallet = await startTestWallet({ bank: bank.config, lotus: true });
  authenticator = new SoftwareAuthenticator();
  const setup = await createIntent(wallet);
  shopper = await registerShopper(wallet, authenticator, setup.client_secret, `terms${Math.random()}@example.com`);
  card = await addCard(wallet, shopper.sessionToken, '5555555555554444');
  assert.equal(card.currency, 'CNY', 'a Lotus Bank card');
});
after(async () => {
  await wallet?.close();
  await bank?.close();
});

const lotusLedger = () => ({ url: wallet.lotus!.url, apiKey: wallet.lotus!.apiKey });

/** A USD intent, its FX terms, a challenge naming them and the shopper's signed approval. */
async function signedFxPayment(): Promise<{ intent: { id: string; client_secret: string }; terms: PaymentTerms; challengeId: string; response: unknown }> {
  const intent = await createIntent(wallet, 1999, 'USD');
  const terms = await quoteTerms(wallet, intent.client_secret, card.id, shopper.sessionToken);
  assert.deepEqual([terms.fee, terms.fx?.rate, terms.debit.amount, terms.debit.currency], [30, '7.1234', 14_453, 'CNY']);
  // The shopper keeps at most 5 open challenges, the oldest retired first, and every quote comes with one: on the test's
  // frozen clock the challenge below must be newer than the earlier tests' unused ones, or it could be the one retired.
  wallet.clock.advance(1);
  const { challengeId, options } = await confirmationOptions(wallet, intent.client_secret, card.id, shopper.sessionToken, terms.quoteId);
  return { intent, terms, challengeId, response: authenticator.getAssertion(options, inFrame(wallet)) };
}

/** Confirms after `tamper` and expects the refusal, with nothing moved anywhere. */
async function refusedAfter(label: string, tamper: (signed: Awaited<ReturnType<typeof signedFxPayment>>) => Promise<void>, status = 409, code = 'payment_changed') {
  const signed = await signedFxPayment();
  await tamper(signed);
  const ids = { intentId: signed.intent.id, shopperId: shopper.shopper.id };
  const before = await paymentState(wallet, lotusLedger(), ids);
  const res = await sendConfirmation(wallet, signed.intent.client_secret, signed.challengeId, signed.response, shopper.sessionToken);
  await expectRefusal(res, status, code, label);
  const afterState = await paymentState(wallet, lotusLedger(), ids);
  assert.deepEqual(afterState, before, `${label}: nothing moved`);
  assert.equal(afterState.intent.status, 'requires_confirmation');
}

describe('changed terms after the challenge are refused', () => {
  test('control: the signed terms pay, and Lotus Bank is charged exactly the signed debit', async () => {
    const signed = await signedFxPayment();
    const res = await sendConfirmation(wallet, signed.intent.client_secret, signed.challengeId, signed.response, shopper.sessionToken);
    assert.equal((await res.json()).status, 'succeeded');
    const [attempt] = await wallet.query<{ reference: string }>('SELECT reference FROM payment_attempts WHERE intent_id = ?', [signed.intent.id]);
    const charge = await fetch(`${lotusLedger().url}/v1/charges?reference=${attempt.reference}`, { headers: { authorization: `Bearer ${lotusLedger().apiKey}` } });
    assert.deepEqual((await charge.json()).data.map((c: { amount: number; currency: string }) => [c.amount, c.currency]), [[14_453, 'CNY']]);
  });

  test('a better rate written into the stored quote', () =>
    refusedAfter('rate', ({ terms }) => wallet.query("UPDATE payment_quotes SET fx_rate = '7.2000', debit_amount = 14609 WHERE id = ?", [terms.quoteId]).then(() => {})));

  test('the fee changed in the stored quote', () =>
    refusedAfter('fee', ({ terms }) => wallet.query('UPDATE payment_quotes SET fee_amount = 0, debit_amount = 14240 WHERE id = ?', [terms.quoteId]).then(() => {})));

  test('the debit alone changed (same rate and fee)', () =>
    refusedAfter('debit', ({ terms }) => wallet.query('UPDATE payment_quotes SET debit_amount = 14454 WHERE id = ?', [terms.quoteId]).then(() => {})));

  test('the debit currency changed', () =>
    refusedAfter('currency', ({ terms }) => wallet.query("UPDATE payment_quotes SET debit_currency = 'USD' WHERE id = ?", [terms.quoteId]).then(() => {})));

  test("the challenge swapped to another quote with the same figures", () =>
    refusedAfter('swap', async ({ intent, challengeId }) => {
      const other = await quoteTerms(wallet, intent.client_secret, card.id, shopper.sessionToken);
      await wallet.query('UPDATE webauthn_challenges SET quote_id = ? WHERE id = ?', [other.quoteId, challengeId]);
    }));

  test('the quote moved to another card of the shopper', () =>
    refusedAfter('card', async ({ terms }) => {
      const other = await addCard(wallet, shopper.sessionToken, '4242424242424242');
      assert.notEqual(other.id, card.id);
      await wallet.query('UPDATE payment_quotes SET card_id = ? WHERE id = ?', [other.id, terms.quoteId]);
    }));

  test('the quote expired meanwhile (its expiry moved back): 409 quote_expired', () =>
    refusedAfter('expired', ({ terms }) => wallet.query('UPDATE payment_quotes SET expires_at = ? WHERE id = ?', [new Date(wallet.clock.now().getTime() - 1).toISOString(), terms.quoteId]).then(() => {}), 409, 'quote_expired'));
});
