import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { BankAdapter } from '../adapters/bank-adapter.ts';
import type { BankDirectory } from '../adapters/registry.ts';
import { PaykeyError, type ErrorCode } from '../errors/paykey-error.ts';
import type { Logger } from '../http/logger.ts';
import { findActiveCard, type CardRow } from '../shoppers/cards.ts';
import { shopperIdForSession } from '../shoppers/sessions.ts';
import type { WalletDb } from '../store/database.ts';
import { allowedOrigins, findMerchant, type Merchant } from '../store/merchants.ts';
import { consumeChallenge, issueChallenge } from '../webauthn/challenges.ts';
import { findCredential, shopperCredentials } from '../webauthn/credentials.ts';
import { paymentApprovalOptions } from '../webauthn/payment-approval-options.ts';
import { paymentHash } from '../webauthn/payment-hash.ts';
import { expectedTopOrigins, relyingPartyFor } from '../webauthn/relying-party.ts';
import { verifyAssertion } from '../webauthn/verify-assertion.ts';
import type { BankOutboxWorker } from './bank-outbox-worker.ts';
import { assertBankCarries } from './payable-by-banks.ts';
import { beginPaymentAttempt } from './payment-attempts.ts';
import {
  findPaymentIntent,
  getPaymentIntentByClientSecret,
  isAuthenticationLocked,
  recordFailedAuthentication,
  type PaymentIntent,
} from './payment-intents.ts';
import { CONFIRMABLE_STATUSES } from './payment-state.ts';

/** What confirming a payment needs, and nothing more. */
export interface PaymentConfirmationDeps {
  db: WalletDb;
  banks: Pick<BankDirectory, 'has' | 'get'>;
  /** The wallet's origin: WebAuthn expected origin; its hostname is the rpID. */
  publicOrigin: string;
  now: () => Date;
  logger: Logger;
  outbox: Pick<BankOutboxWorker, 'runNow'>;
  /** This process's claim on the charge it queues, so it can send it at once. */
  lease: { workerId: string; leaseMs: number };
}

export interface ConfirmationOptionsInput {
  clientSecret: string;
  cardId: string;
  /** When the shopper is signed in, the card must be theirs. */
  sessionToken?: string;
}

/**
 * Step 1 of paying: a fresh challenge bound to exactly this payment (intent,
 * amount, currency, payee, card), for the card owner's passkeys only.
 */
export async function preparePaymentConfirmation(
  deps: PaymentConfirmationDeps,
  input: ConfirmationOptionsInput,
): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
  const now = deps.now();
  const intent = await getPaymentIntentByClientSecret(deps.db, input.clientSecret);
  assertNotLocked(intent);
  const card = await findActiveCard(deps.db, input.cardId);
  if (!card) throw new PaykeyError('resource_missing', 'No such card');
  if (input.sessionToken) {
    const shopperId = await shopperIdForSession(deps.db, input.sessionToken, now);
    if (card.shopper_id !== shopperId) throw new PaykeyError('resource_missing', 'No such card');
  }
  assertConfirmable(intent);
  assertCardUsable(deps, card, intent);
  const merchant = await merchantOf(deps.db, intent);

  const challenge = await issueChallenge(
    deps.db,
    { purpose: 'payment', intentId: intent.id, paymentHash: hashOf(intent, merchant, card), cardId: card.id, shopperId: card.shopper_id },
    now,
  );
  // Only a caller who proved to be the card's owner (a session) learns its passkeys; anyone else gets none, and
  // the browser offers the discoverable passkeys it holds (the server then checks it is the owner's).
  const credentials = input.sessionToken ? await shopperCredentials(deps.db, card.shopper_id) : [];
  const options = await paymentApprovalOptions(deps.publicOrigin, challenge.bytes, credentials);
  return { challengeId: challenge.id, options };
}

export interface ConfirmPaymentInput {
  clientSecret: string;
  challengeId: string;
  response: AuthenticationResponseJSON;
  sessionToken?: string;
}

/**
 * Step 2, the money path: verify the shopper's passkey approval of exactly
 * this payment, then charge the card once. Reads top to bottom. Once the
 * attempt has started, the answer is `processing` at worst, never an error:
 * the outbox finishes the charge and the merchant hears of it by webhook.
 */
export async function confirmPayment(deps: PaymentConfirmationDeps, input: ConfirmPaymentInput): Promise<PaymentIntent> {
  const now = deps.now();
  const rp = relyingPartyFor(deps.publicOrigin);
  const intent = await getPaymentIntentByClientSecret(deps.db, input.clientSecret);
  assertNotLocked(intent);

  // Single use: burn the challenge before looking at anything the client sent.
  const challenge = await consumeChallenge(deps.db, { id: input.challengeId, purpose: 'payment', intentId: intent.id }, now);

  // The payment must still be exactly what the challenge was issued for.
  const card = challenge.card_id ? await findActiveCard(deps.db, challenge.card_id) : undefined;
  const merchant = await merchantOf(deps.db, intent);
  if (!card || hashOf(intent, merchant, card) !== challenge.payment_hash) {
    throw new PaykeyError('payment_changed', 'The payment changed after it was shown; review it and confirm again');
  }
  assertConfirmable(intent);

  // The passkey must be the card owner's (and the signed-in shopper's), and its assertion must verify:
  // the signature, origin, top origin, rpID and user verification; the new counter is stored. Each failure counts.
  try {
    const credential = await findCredential(deps.db, input.response.id);
    if (!credential || credential.shopper_id !== card.shopper_id) {
      throw new PaykeyError('credential_mismatch', 'This passkey does not belong to the owner of this card');
    }
    if (input.sessionToken && (await shopperIdForSession(deps.db, input.sessionToken, now)) !== credential.shopper_id) {
      throw new PaykeyError('credential_mismatch', 'This passkey does not belong to the signed-in shopper');
    }
    await verifyAssertion(deps.db, {
      response: input.response,
      challenge: challenge.challenge,
      credential,
      rp,
      topOrigins: expectedTopOrigins(allowedOrigins(merchant), rp),
      now,
    });
  } catch (error) {
    if (error instanceof PaykeyError && AUTHENTICATION_FAILURES.includes(error.code)) await recordFailedAuthentication(deps.db, intent.id, now);
    throw error;
  }

  // Everything that can still fail without the bank is checked before the intent moves.
  assertCardUsable(deps, card, intent);

  // One transaction: the intent to processing, the attempt, the charge in the outbox. A racing confirmation stops here.
  const started = await beginPaymentAttempt(deps.db, { intentId: intent.id, cardId: card.id, now, leaseFor: deps.lease });
  if (!started) {
    throw new PaykeyError('payment_intent_unexpected_state', 'This payment is already being processed or complete');
  }

  // Send it now; whatever happens from here on, the outbox owns the charge.
  try {
    await deps.outbox.runNow(started.jobId);
    return (await findPaymentIntent(deps.db, intent.id))!;
  } catch (error) {
    deps.logger.error('confirm_outcome_pending', { reference: started.attempt.reference, error: error instanceof Error ? error.message : String(error) });
    return { ...intent, status: 'processing', last_error_code: null, last_error_message: null };
  }
}

/** What a failed passkey verification is (as opposed to a stale challenge or a changed payment). */
export const AUTHENTICATION_FAILURES: ErrorCode[] = ['credential_mismatch', 'invalid_passkey_response', 'passkey_verification_failed', 'origin_not_allowed'];

export function assertNotLocked(intent: PaymentIntent): void {
  if (isAuthenticationLocked(intent)) {
    throw new PaykeyError('authentication_locked', 'Too many failed passkey confirmations for this payment; it can no longer be confirmed');
  }
}

export function assertConfirmable(intent: PaymentIntent): void {
  if (intent.status === 'canceled') {
    throw new PaykeyError('payment_intent_canceled', 'The merchant canceled this payment; nothing was charged');
  }
  if (!CONFIRMABLE_STATUSES.includes(intent.status)) {
    throw new PaykeyError('payment_intent_unexpected_state', `This payment is ${intent.status.replace('_', ' ')}`);
  }
}

/**
 * The card's bank adapter; 409 `card_unavailable` when that bank is no longer configured, or cannot carry this
 * payment's currency or amount (its declared limits) — before any attempt, so nothing is charged and the intent stays.
 */
function assertCardUsable(deps: Pick<PaymentConfirmationDeps, 'banks'>, card: CardRow, intent: PaymentIntent): BankAdapter {
  if (!deps.banks.has(card.bank)) {
    throw new PaykeyError('card_unavailable', 'This card can no longer be used; choose another card');
  }
  const bank = deps.banks.get(card.bank);
  assertBankCarries(bank, { amount: intent.amount, currency: intent.currency });
  return bank;
}

export async function merchantOf(db: WalletDb, intent: PaymentIntent): Promise<Merchant> {
  const merchant = await findMerchant(db, intent.merchant_id);
  if (!merchant) throw new Error(`Payment intent ${intent.id} has no merchant`);
  return merchant;
}

function hashOf(intent: PaymentIntent, merchant: Merchant, card: CardRow): string {
  return paymentHash({
    intentId: intent.id,
    amount: intent.amount,
    currency: intent.currency,
    payee: merchant.display_name,
    cardToken: card.bank_token,
  });
}
