import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { PaymentChallenge } from '../../widget/shopper-api.ts';
import type { BankAdapter, Money } from '../adapters/bank-adapter.ts';
import { limitBreach } from '../adapters/limit-breach.ts';
import type { BankDirectory } from '../adapters/registry.ts';
import { PaykeyError, type ErrorCode } from '../errors/paykey-error.ts';
import type { Logger } from '../http/logger.ts';
import { findActiveCard, type CardRow } from '../shoppers/cards.ts';
import { shopperIdForSession } from '../shoppers/sessions.ts';
import type { WalletDb } from '../store/database.ts';
import { allowedOrigins, findMerchant, type Merchant } from '../store/merchants.ts';
import type { WebauthnChallengesTable } from '../store/schema.ts';
import { consumeChallenge, findOpenChallenge, issueChallenge } from '../webauthn/challenges.ts';
import { findCredential, recordCredentialUse, shopperCredentials } from '../webauthn/credentials.ts';
import { paymentApprovalOptions } from '../webauthn/payment-approval-options.ts';
import { paymentHash } from '../webauthn/payment-hash.ts';
import { expectedTopOrigins, relyingPartyFor } from '../webauthn/relying-party.ts';
import { verifyAssertion } from '../webauthn/verify-assertion.ts';
import type { BankOutboxWorker } from './bank-outbox-worker.ts';
import { assertBankCarries } from './payable-by-banks.ts';
import { beginPaymentAttempt } from './payment-attempts.ts';
import { redeemOffer } from './redeem-offer.ts';
import { revokeUnusedRedemption } from './revoke-offer.ts';
import { findQuote, isQuoteExpired, signedTermsOf, type PaymentQuote } from './payment-quotes.ts';
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
  outbox: Pick<BankOutboxWorker, 'runNow' | 'runNewCharge'>;
  /** This process's claim on the charge it queues, so it can send it at once. */
  lease: { workerId: string; leaseMs: number };
}

export interface CardPaymentInput {
  clientSecret: string;
  cardId: string;
  /** When the shopper is signed in, the card must be theirs. */
  sessionToken?: string;
  /** What the route already read for this request (rate limiting): not read again. */
  known?: KnownToRoute;
}

/**
 * Rows a route has read for this very request before calling in: the intent of the client secret (already checked
 * against it) and the shopper of a valid session token (absent when there is no session or it is not valid — then the
 * session is looked up again here, and refused as it would be).
 */
export interface KnownToRoute {
  intent?: PaymentIntent;
  sessionShopperId?: string;
}

/** The intent of the client secret: the one the route read for this request, or read now. */
function intentOf(deps: Pick<PaymentConfirmationDeps, 'db'>, input: { clientSecret: string; known?: KnownToRoute }): Promise<PaymentIntent> {
  return input.known?.intent ? Promise.resolve(input.known.intent) : getPaymentIntentByClientSecret(deps.db, input.clientSecret);
}

/** The shopper of the session token, as the route resolved it or looked up now (an invalid one is refused here). */
function sessionShopperOf(deps: Pick<PaymentConfirmationDeps, 'db'>, input: { sessionToken?: string; known?: KnownToRoute }, now: Date): Promise<string> {
  return input.known?.sessionShopperId ? Promise.resolve(input.known.sessionShopperId) : shopperIdForSession(deps.db, input.sessionToken!, now);
}

export interface ConfirmationOptionsInput extends CardPaymentInput {
  /** The terms the shopper was shown (`POST /quotes`): bound into the challenge. */
  quoteId: string;
}

/**
 * Who may pay `intent` with a card, for a quote and for a challenge alike: the intent not locked and still
 * confirmable, the card saved and not removed — the signed-in shopper's own when a session is sent (anyone else's
 * card is "no such card") — and its bank still configured.
 */
export async function payableCard(
  deps: Pick<PaymentConfirmationDeps, 'db' | 'banks' | 'now'>,
  input: CardPaymentInput,
): Promise<{ intent: PaymentIntent; card: CardRow; bank: BankAdapter }> {
  const intent = await intentOf(deps, input);
  assertNotLocked(intent);
  const card = await findActiveCard(deps.db, input.cardId);
  if (!card) throw new PaykeyError('resource_missing', 'No such card');
  if (input.sessionToken) {
    const shopperId = await sessionShopperOf(deps, input, deps.now());
    if (card.shopper_id !== shopperId) throw new PaykeyError('resource_missing', 'No such card');
  }
  assertConfirmable(intent);
  if (!deps.banks.has(card.bank)) {
    throw new PaykeyError('card_unavailable', 'This card can no longer be used; choose another card');
  }
  return { intent, card, bank: deps.banks.get(card.bank) };
}

/**
 * Step 1 of paying: a fresh challenge bound to exactly this payment (intent, amount, currency, payee, card) and
 * the terms the shopper was shown (the quote: fee, exchange rate, debit), for the card owner's passkeys only.
 */
export async function preparePaymentConfirmation(
  deps: PaymentConfirmationDeps,
  input: ConfirmationOptionsInput,
): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
  const now = deps.now();
  const { intent, card } = await payableCard(deps, input);
  const quote = await findQuote(deps.db, input.quoteId);
  if (!quote || quote.intent_id !== intent.id) throw new PaykeyError('resource_missing', 'No such quote for this payment; ask for the terms first');
  if (quote.card_id !== card.id) {
    throw new PaykeyError('payment_changed', `This quote is for another card than ${card.id}: ask for this card's terms and show them`);
  }
  if (quote.amount !== intent.amount || quote.currency !== intent.currency) {
    throw new PaykeyError('payment_changed', 'The payment changed after these terms were quoted; ask for the terms again');
  }
  if (isQuoteExpired(quote, now)) throw quoteExpired(quote);
  assertCardUsable(deps, card, debitOf(quote));
  const { challengeId, options } = await issuePaymentChallenge(deps, { intent, card, quote, sessionToken: input.sessionToken }, now);
  return { challengeId, options };
}

/**
 * A fresh challenge bound to exactly this payment (intent, amount, currency, payee, card) and these terms (the quote:
 * fee, exchange rate, debit), with the options for `navigator.credentials.get`: issued by `POST /confirmations/options`
 * and, with the terms themselves, by `POST /quotes`, so Pay goes straight to the passkey. The caller has checked that
 * the card may pay this intent on this quote; `sessionToken`, when given, was verified as the card owner's.
 */
export async function issuePaymentChallenge(
  deps: Pick<PaymentConfirmationDeps, 'db' | 'publicOrigin'>,
  input: { intent: PaymentIntent; card: CardRow; quote: PaymentQuote; merchant?: Merchant; sessionToken?: string },
  now: Date,
): Promise<PaymentChallenge> {
  const { intent, card, quote } = input;
  const merchant = input.merchant ?? (await merchantOf(deps.db, intent));
  const challenge = await issueChallenge(
    deps.db,
    {
      purpose: 'payment',
      intentId: intent.id,
      paymentHash: hashOf(intent, merchant, card, quote),
      cardId: card.id,
      shopperId: card.shopper_id,
      quoteId: quote.id,
    },
    now,
  );
  // Only a caller who proved to be the card's owner (a session) learns its passkeys; anyone else gets none, and
  // the browser offers the discoverable passkeys it holds (the server then checks it is the owner's).
  const credentials = input.sessionToken ? await shopperCredentials(deps.db, card.shopper_id) : [];
  const options = await paymentApprovalOptions(deps.publicOrigin, challenge.bytes, credentials);
  return { challengeId: challenge.id, options, expiresAt: challenge.expiresAt };
}

/**
 * The challenge that comes with new terms (`POST /quotes`), or null when this card's bank cannot carry the debit:
 * then Pay asks `POST /confirmations/options`, which refuses with the reason, as before terms carried a challenge.
 */
export async function challengeWithTerms(
  deps: Pick<PaymentConfirmationDeps, 'db' | 'publicOrigin'>,
  input: { intent: PaymentIntent; card: CardRow; bank: BankAdapter; quote: PaymentQuote; merchant?: Merchant; sessionToken?: string },
  now: Date,
): Promise<PaymentChallenge | null> {
  if (limitBreach(input.bank.limits, debitOf(input.quote))) return null;
  return issuePaymentChallenge(deps, input, now);
}

export interface ConfirmPaymentInput {
  clientSecret: string;
  challengeId: string;
  response: AuthenticationResponseJSON;
  sessionToken?: string;
  known?: KnownToRoute;
}

/**
 * Step 2, the money path: verify the shopper's passkey approval of exactly
 * this payment, then charge the card once. Reads top to bottom. Once the
 * attempt has started, the answer is `processing` at worst, never an error:
 * the outbox finishes the charge and the merchant hears of it by webhook.
 */
/** A confirmation's outcome, and whose passkey confirmed it (verified: the card's owner). */
export interface ConfirmedPayment {
  intent: PaymentIntent;
  shopperId: string;
}

export async function confirmPayment(deps: PaymentConfirmationDeps, input: ConfirmPaymentInput): Promise<ConfirmedPayment> {
  const now = deps.now();
  const rp = relyingPartyFor(deps.publicOrigin);
  const intent = await intentOf(deps, input);
  assertNotLocked(intent);

  // Single use. The challenge is burnt in the attempt's transaction (one commit fewer per payment), or on its own
  // whenever that transaction does not commit, so even a failed attempt burns it; of two requests racing with it,
  // the conditional UPDATE lets exactly one through.
  const binding = { id: input.challengeId, purpose: 'payment' as const, intentId: intent.id };
  const challenge = await findOpenChallenge(deps.db, binding, now);
  let burntHere = false;
  const burnOnItsOwn = async () => {
    await consumeChallenge(deps.db, binding, now);
    burntHere = true;
  };
  let attempted: CommittedAttempt;
  try {
    attempted = await attemptWithChallenge(deps, input, intent, challenge, now, rp, burnOnItsOwn);
  } catch (error) {
    // The attempt's transaction did not commit: burn the challenge now (unless this request did before an offer's
    // redemption). Found used, a racing request used it first, and that is the answer (400 `challenge_invalid`),
    // whatever this one ran into after (the payment it made, the sign counter it moved on).
    if (!burntHere) {
      const usedByAnother = await burnOnItsOwn().then(
        () => undefined,
        (refusal: unknown) => (refusal instanceof PaykeyError && refusal.code === 'challenge_invalid' ? refusal : undefined),
      );
      if (usedByAnother) throw usedByAnother;
    }
    throw error;
  }

  const { started, card, quote } = attempted;
  if (!started) {
    await attempted.giveBackRedemption();
    throw new PaykeyError('payment_intent_unexpected_state', 'This payment is already being processed or complete');
  }
  // Send it now, with the rows in hand (the job is leased to this process by the transaction that queued it);
  // whatever happens from here on, the outbox owns the charge.
  const processing: PaymentIntent = { ...intent, status: 'processing', last_error_code: null, last_error_message: null, updated_at: now.toISOString() };
  try {
    const settled = await deps.outbox.runNewCharge(started.job, { attempt: started.attempt, intent: processing, card, quote });
    return { intent: settled ?? (await findPaymentIntent(deps.db, intent.id))!, shopperId: card.shopper_id };
  } catch (error) {
    deps.logger.error('confirm_outcome_pending', { reference: started.attempt.reference, error: error instanceof Error ? error.message : String(error) });
    return { intent: processing, shopperId: card.shopper_id };
  }
}

/** The attempt's transaction committed: with it the challenge (unless burnt before), the passkey's counter and, when `started`, the charge. */
interface CommittedAttempt {
  /** The attempt and its queued charge; `null` when the intent had moved on (a racing confirmation won). */
  started: Awaited<ReturnType<typeof beginPaymentAttempt>>;
  card: CardRow;
  quote: PaymentQuote;
  /** Gives back the signed offer's redemption this confirmation made, if it made one (its payment will not happen). */
  giveBackRedemption(): Promise<void>;
}

/**
 * Checks the confirmation and begins the attempt; returns only once the attempt's transaction committed, so
 * whatever it throws left the challenge unburnt by that transaction.
 */
async function attemptWithChallenge(
  deps: PaymentConfirmationDeps,
  input: ConfirmPaymentInput,
  intent: PaymentIntent,
  challenge: WebauthnChallengesTable,
  now: Date,
  rp: ReturnType<typeof relyingPartyFor>,
  burnOnItsOwn: () => Promise<unknown>,
): Promise<CommittedAttempt> {
  // The payment must still be exactly what the challenge was issued for: intent, card and the quoted terms.
  const card = challenge.card_id ? await findActiveCard(deps.db, challenge.card_id) : undefined;
  const quote = challenge.quote_id ? await findQuote(deps.db, challenge.quote_id) : undefined;
  const merchant = await merchantOf(deps.db, intent);
  // A signed offer is redeemed at the bank under the challenge's id before the attempt's transaction: burn it first,
  // so two requests racing with one challenge never both redeem (and the loser give back the winner's redemption).
  const withOffer = quote !== undefined && quote.offer_id !== null;
  if (withOffer) await burnOnItsOwn();
  // A quote retired since (the shopper asked for newer terms) is as void as an expired one.
  if (card && challenge.quote_id && !quote) throw new PaykeyError('quote_expired', 'These terms were replaced by newer ones; review the new terms and confirm again');
  if (!card || !quote || quote.intent_id !== intent.id || quote.card_id !== card.id || hashOf(intent, merchant, card, quote) !== challenge.payment_hash) {
    throw new PaykeyError('payment_changed', 'The payment changed after it was shown; review it and confirm again');
  }
  assertConfirmable(intent);
  // The terms ran out between the challenge and the passkey: nothing is charged, the frame quotes again.
  if (isQuoteExpired(quote, now)) throw quoteExpired(quote);

  // The passkey must be the card owner's (and the signed-in shopper's), and its assertion must verify:
  // the signature, origin, top origin, rpID and user verification. Each failure counts. The new sign counter is
  // stored with the attempt below (one transaction), or on its own on any path where that one does not commit.
  const verified = await countingFailures(deps, intent, now, async () => {
    const credential = await findCredential(deps.db, input.response.id);
    if (!credential || credential.shopper_id !== card.shopper_id) {
      throw new PaykeyError('credential_mismatch', 'This passkey does not belong to the owner of this card');
    }
    if (input.sessionToken && (await sessionShopperOf(deps, input, now)) !== credential.shopper_id) {
      throw new PaykeyError('credential_mismatch', 'This passkey does not belong to the signed-in shopper');
    }
    return verifyAssertion(deps.db, {
      response: input.response,
      challenge: challenge.challenge,
      credential,
      rp,
      topOrigins: expectedTopOrigins(allowedOrigins(merchant), rp),
      now,
      recordUse: false,
    });
  });

  try {
    // Everything that can still fail without the bank is checked before the intent moves.
    const bank = assertCardUsable(deps, card, debitOf(quote));

    // A signed offer is redeemed at the bank before anything moves: refused → 409 `offer_unavailable`, and nothing is
    // attempted or charged (the shopper confirms the new amount; never full price silently). The challenge id is the
    // redemption's reference: one per confirmation.
    const redemptionId = withOffer ? await redeemOffer(bank, { intent, merchant, card, quote, reference: challenge.id }) : null;
    const giveBackRedemption = async () => {
      if (redemptionId) await revokeUnusedRedemption(bank, deps.logger, redemptionId, challenge.id);
    };

    // One transaction: the challenge (unless burnt above), the passkey's counter, the intent to processing, the
    // attempt (with the signed terms), the charge in the outbox. A racing confirmation stops here.
    const started = await countingFailures(deps, intent, now, () =>
      beginPaymentAttempt(deps.db, {
        intentId: intent.id,
        cardId: card.id,
        quote,
        offerRedemptionId: redemptionId,
        now,
        leaseFor: deps.lease,
        credentialUse: verified,
        challengeId: withOffer ? undefined : challenge.id,
      }),
    ).catch(async (error: unknown) => {
      await giveBackRedemption();
      throw error;
    });
    return { started, card, quote, giveBackRedemption };
  } catch (error) {
    // Refused before the attempt's transaction committed: the counter is stored on its own (what refused it is the answer).
    await recordCredentialUse(deps.db, verified.credentialId, verified.newCounter, now).catch((failure: unknown) =>
      deps.logger.warn('credential_counter_not_stored', { error: failure instanceof Error ? failure.message : String(failure) }),
    );
    throw error;
  }
}

/**
 * Runs `fn`; a passkey failure it throws (as opposed to a stale challenge or a changed payment) counts against the
 * intent — unless the intent has moved on meanwhile: then a racing confirmation of the same payment won, and its
 * committed sign counter is what made this genuine assertion look behind. The payment's state is the answer then
 * (409), not a clone, and nothing is counted (the counter and the intent's move commit together, so whoever sees
 * the one sees the other).
 */
async function countingFailures<T>(deps: Pick<PaymentConfirmationDeps, 'db'>, intent: PaymentIntent, now: Date, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof PaykeyError && AUTHENTICATION_FAILURES.includes(error.code)) {
      const current = await findPaymentIntent(deps.db, intent.id);
      if (current) assertConfirmable(current);
      await recordFailedAuthentication(deps.db, intent.id, now);
    }
    throw error;
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
 * The card's bank adapter; 409 `card_unavailable` when that bank is no longer configured, or cannot carry what the
 * card is charged (the quoted debit; its declared limits) — before any attempt, so nothing is charged and the intent stays.
 */
function assertCardUsable(deps: Pick<PaymentConfirmationDeps, 'banks'>, card: CardRow, debit: Money): BankAdapter {
  if (!deps.banks.has(card.bank)) {
    throw new PaykeyError('card_unavailable', 'This card can no longer be used; choose another card');
  }
  const bank = deps.banks.get(card.bank);
  assertBankCarries(bank, debit);
  return bank;
}

function debitOf(quote: PaymentQuote): Money {
  return { amount: quote.debit_amount, currency: quote.debit_currency };
}

function quoteExpired(quote: PaymentQuote): PaykeyError {
  return new PaykeyError('quote_expired', `These terms expired at ${quote.expires_at}; review the new terms and confirm again`);
}

export async function merchantOf(db: WalletDb, intent: PaymentIntent): Promise<Merchant> {
  const merchant = await findMerchant(db, intent.merchant_id);
  if (!merchant) throw new Error(`Payment intent ${intent.id} has no merchant`);
  return merchant;
}

function hashOf(intent: PaymentIntent, merchant: Merchant, card: CardRow, quote: PaymentQuote): string {
  return paymentHash({
    intentId: intent.id,
    amount: intent.amount,
    currency: intent.currency,
    payee: merchant.display_name,
    cardToken: card.bank_token,
    terms: signedTermsOf(quote),
  });
}
