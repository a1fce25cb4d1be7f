import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { limitBreach } from '../adapters/limit-breach.ts';
import { PaykeyError } from '../errors/paykey-error.ts';
import { randomSecret, sha256Hex } from '../security/secrets.ts';
import { shopperIdForSession } from '../shoppers/sessions.ts';
import { allowedOrigins, type Merchant } from '../store/merchants.ts';
import { consumeChallenge, issueChallenge } from '../webauthn/challenges.ts';
import { findCredential, shopperCredentials } from '../webauthn/credentials.ts';
import { paymentApprovalOptions } from '../webauthn/payment-approval-options.ts';
import { paymentHash } from '../webauthn/payment-hash.ts';
import { expectedTopOrigins, relyingPartyFor } from '../webauthn/relying-party.ts';
import { verifyAssertion } from '../webauthn/verify-assertion.ts';
import type { AccountPaymentBank } from './account-payment-bank.ts';
import { beginAccountPayment, findAccountPayment } from './account-payments.ts';
import { AUTHENTICATION_FAILURES, assertConfirmable, assertNotLocked, merchantOf, type PaymentConfirmationDeps } from './confirm-payment.ts';
import { findPaymentIntent, getPaymentIntentByClientSecret, recordFailedAuthentication, type PaymentIntent } from './payment-intents.ts';

export interface AccountPaymentConfirmationDeps extends PaymentConfirmationDeps {
  /** Unset when no pay-by-bank bank is configured: then nothing here is offered. */
  accountPayments?: AccountPaymentBank;
}

/**
 * Step 1 of paying by bank: a fresh challenge bound to exactly this payment (intent, amount, currency, payee, and
 * the instrument `bank:<id>` where a card payment names its card). A signed-in shopper's passkeys are named; else
 * the browser offers the passkeys it holds and step 2 finds the account by the one used.
 */
export async function prepareAccountPaymentConfirmation(
  deps: AccountPaymentConfirmationDeps,
  input: { clientSecret: string; bank: string; sessionToken?: string },
): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
  const now = deps.now();
  const intent = await getPaymentIntentByClientSecret(deps.db, input.clientSecret);
  assertNotLocked(intent);
  const bank = bankNamed(deps, input.bank);
  const shopperId = input.sessionToken ? await shopperIdForSession(deps.db, input.sessionToken, now) : undefined;
  assertConfirmable(intent);
  assertBankCarries(bank, intent);
  const merchant = await merchantOf(deps.db, intent);
  const challenge = await issueChallenge(deps.db, { purpose: 'payment', intentId: intent.id, paymentHash: hashOf(intent, merchant, bank), shopperId }, now);
  const credentials = shopperId ? await shopperCredentials(deps.db, shopperId) : [];
  const options = await paymentApprovalOptions(deps.publicOrigin, challenge.bytes, credentials);
  return { challengeId: challenge.id, options };
}

/**
 * Step 2: verify the shopper's passkey approval of exactly this payment by bank, then start it — in one
 * transaction the intent to `processing` and the attempt with its keys and the hash of a fresh `state`; the
 * consent is created at once (through the outbox, its own idempotency key). Answers with the bank page where the
 * shopper approves it (the `state` travels only in that URL), or no URL when the bank has not created the consent
 * yet (the outbox keeps trying; the attempt fails `consent_expired` if it never can).
 */
export async function confirmAccountPayment(
  deps: AccountPaymentConfirmationDeps,
  input: { clientSecret: string; challengeId: string; response: AuthenticationResponseJSON; sessionToken?: string },
): Promise<{ intent: PaymentIntent; authorizationUrl: string | null }> {
  const now = deps.now();
  const rp = relyingPartyFor(deps.publicOrigin);
  const intent = await getPaymentIntentByClientSecret(deps.db, input.clientSecret);
  assertNotLocked(intent);

  // Single use: burn the challenge before looking at anything the client sent.
  const challenge = await consumeChallenge(deps.db, { id: input.challengeId, purpose: 'payment', intentId: intent.id }, now);

  // The challenge must be one for paying by this bank (not a card's), and the payment still exactly what it showed.
  const bank = deps.accountPayments;
  const merchant = await merchantOf(deps.db, intent);
  if (!bank || challenge.card_id !== null || hashOf(intent, merchant, bank) !== challenge.payment_hash) {
    throw new PaykeyError('payment_changed', 'The payment changed after it was shown; review it and confirm again');
  }
  assertConfirmable(intent);

  // The passkey must be a wallet account's (the signed-in shopper's, when signed in), and its assertion must verify.
  let shopperId: string;
  try {
    const credential = await findCredential(deps.db, input.response.id);
    if (!credential || (challenge.shopper_id !== null && credential.shopper_id !== challenge.shopper_id)) {
      throw new PaykeyError('credential_mismatch', 'This passkey does not belong to the signed-in shopper');
    }
    if (input.sessionToken && (await shopperIdForSession(deps.db, input.sessionToken, now)) !== credential.shopper_id) {
      throw new PaykeyError('credential_mismatch', 'This passkey does not belong to the signed-in shopper');
    }
    await verifyAssertion(deps.db, { response: input.response, challenge: challenge.challenge, credential, rp, topOrigins: expectedTopOrigins(allowedOrigins(merchant), rp), now });
    shopperId = credential.shopper_id;
  } catch (error) {
    if (error instanceof PaykeyError && AUTHENTICATION_FAILURES.includes(error.code)) await recordFailedAuthentication(deps.db, intent.id, now);
    throw error;
  }
  assertBankCarries(bank, intent);

  // One transaction: the intent to processing, the attempt, its job. A racing confirmation stops here.
  const state = randomSecret(24);
  const started = await beginAccountPayment(deps.db, {
    intentId: intent.id,
    shopperId,
    bank: bank.adapter.id,
    stateHash: sha256Hex(state),
    now,
    consentTimeoutMs: bank.consentTimeoutMs,
    leaseFor: deps.lease,
  });
  if (!started) throw new PaykeyError('payment_intent_unexpected_state', 'This payment is already being processed or complete');

  // The consent now; whatever happens from here on, the outbox owns the attempt.
  try {
    await deps.outbox.runNow(started.jobId);
  } catch (error) {
    deps.logger.error('consent_pending', { reference: started.payment.reference, error: error instanceof Error ? error.message : String(error) });
  }
  const payment = await findAccountPayment(deps.db, started.payment.id);
  const current = (await findPaymentIntent(deps.db, intent.id))!;
  if (!payment?.consent_id || payment.status !== 'pending') return { intent: current, authorizationUrl: null };
  return { intent: current, authorizationUrl: await bank.adapter.authorizationUrl({ consentId: payment.consent_id, state }) };
}

function bankNamed(deps: AccountPaymentConfirmationDeps, id: string): AccountPaymentBank {
  const bank = deps.accountPayments;
  if (!bank || bank.adapter.id !== id) throw new PaykeyError('resource_missing', `No such bank for paying by bank: ${JSON.stringify(id.slice(0, 40))}`);
  return bank;
}

/** The bank must carry this payment (Meridian: GBP only): refused before any attempt, nothing changes. */
function assertBankCarries(bank: AccountPaymentBank, intent: PaymentIntent): void {
  const breach = limitBreach(bank.adapter.limits, { amount: intent.amount, currency: intent.currency });
  if (breach) throw new PaykeyError(breach.code, `Paying by bank ("${bank.adapter.id}") is not possible for this payment (${breach.code.replace(/_/g, ' ')}); choose a card`);
}

function hashOf(intent: PaymentIntent, merchant: Merchant, bank: AccountPaymentBank): string {
  return paymentHash({ intentId: intent.id, amount: intent.amount, currency: intent.currency, payee: merchant.display_name, bank: bank.adapter.id });
}
