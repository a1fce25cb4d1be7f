import type { Selectable } from 'kysely';
import type { ChargeResult } from '../adapters/bank-adapter.ts';
import { PaykeyError } from '../errors/paykey-error.ts';
import { finishJob } from '../jobs/leased-queue.ts';
import { randomId, randomSecret } from '../security/secrets.ts';
import { inTransaction, type WalletDb } from '../store/database.ts';
import { insertRow, reusableQuery } from '../store/reusable-query.ts';
import type { PaymentAttemptsTable } from '../store/schema.ts';
import { enqueueWebhookEvent } from '../webhooks/enqueue-webhook-event.ts';
import { consumeChallenge } from '../webauthn/challenges.ts';
import { recordCredentialUse } from '../webauthn/credentials.ts';
import { bankJobFor, enqueueBankJobRow, type BankJob } from './bank-outbox.ts';
import { findPaymentIntent, merchantOfferOf, moveIntent, moveIntentReturning, toPaymentIntentJson, type PaymentIntent } from './payment-intents.ts';
import type { PaymentQuote } from './payment-quotes.ts';
import { enqueueTokenRelease } from './release-one-time-card.ts';
import { enqueueOfferRevocation } from './revoke-offer.ts';

/** This module owns `payment_attempts`: one row per try to charge a card for an intent. */
export type PaymentAttempt = Selectable<PaymentAttemptsTable>;

/**
 * In one transaction: move the intent to `processing` — conditional on its
 * current status, so of two racing confirmations only one gets past this
 * point — record the attempt with our bank reference and idempotency key, and
 * queue the charge in the bank outbox (leased to `leaseFor`, the request that
 * sends it at once, so the attempt is noted as sent here: see `sent_at` below). Returns `null` when the intent was no longer confirmable. `offerRedemptionId`: the bank's
 * redemption of the quote's offer (redeem-offer.ts), which the charge then names. A quote deleted meanwhile
 * (housekeeping, once expired) is 409 `quote_expired` and nothing is written.
 */
export async function beginPaymentAttempt(
  db: WalletDb,
  input: {
    intentId: string;
    cardId: string;
    quote: PaymentQuote;
    offerRedemptionId?: string | null;
    now: Date;
    leaseFor: { workerId: string; leaseMs: number };
    /** The passkey's new sign counter, stored in this same transaction — committed even when the intent moved on. */
    credentialUse?: { credentialId: string; newCounter: number };
    /**
     * The payment challenge this confirmation answers, burnt first in this transaction (one commit fewer than on its
     * own): already used by a racing request → 409 `challenge_invalid`, and nothing here is written.
     */
    challengeId?: string;
  },
): Promise<{ attempt: PaymentAttempt; jobId: string; job: BankJob } | null> {
  const { intentId, cardId, quote, now } = input;
  return db.transaction().execute(async (trx) => {
    if (input.challengeId) await consumeChallenge(trx, { id: input.challengeId, purpose: 'payment', intentId }, now);
    if (input.credentialUse) await recordCredentialUse(trx, input.credentialUse.credentialId, input.credentialUse.newCounter, now);
    if (!(await quoteStillThere.first(trx, { id: quote.id }))) {
      throw new PaykeyError('quote_expired', `These terms expired at ${quote.expires_at}; review the new terms and confirm again`);
    }
    if (!(await moveIntent(trx, intentId, 'processing', now))) return null;
    const previous = await lastAttemptNumber.first(trx, { intentId });
    const attemptNumber = Number(previous?.last ?? 0) + 1;
    const attempt: PaymentAttempt = {
      id: randomId('pa'),
      intent_id: intentId,
      card_id: cardId,
      attempt_number: attemptNumber,
      reference: `${intentId}_${attemptNumber}`,
      idempotency_key: `idem_${randomSecret()}`,
      status: 'pending',
      bank_charge_id: null,
      error_code: null,
      error_message: null,
      // Noted as sent in the transaction that queues it: the caller sends it straight after this commits (the job is
      // leased to it), so from the commit on only a lookup can tell whether the bank saw it — as markAttemptSent
      // would say one commit later (one fsync fewer per payment). A crash before the send is resolved by asking.
      sent_at: now.toISOString(),
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      // What the shopper signed, and so exactly what the bank is charged.
      quote_id: quote.id,
      fee_amount: quote.fee_amount,
      debit_amount: quote.debit_amount,
      debit_currency: quote.debit_currency,
      fx_rate: quote.fx_rate,
      fx_source: quote.fx_source,
      offer_redemption_id: input.offerRedemptionId ?? null,
      offer_revoked_at: null,
      offer_cashback_credited_at: null,
    };
    await insertRow(trx, 'payment_attempts', attempt);
    const job = await enqueueBankJobRow(trx, { kind: 'charge', subjectId: attempt.id, now, leaseFor: input.leaseFor });
    return { attempt, jobId: job.id, job };
  });
}

// Every payment runs these: built and compiled once (reusable-query.ts).
const quoteStillThere = reusableQuery(['id'] as const, (db, p) => db.selectFrom('payment_quotes').select('id').where('id', '=', p.id));
const lastAttemptNumber = reusableQuery(['intentId'] as const, (db, p) =>
  db
    .selectFrom('payment_attempts')
    .select((eb) => eb.fn.max<number | null>('attempt_number').as('last'))
    .where('intent_id', '=', p.intentId),
);

/** The bank's word on an attempt still `pending` (`from`). */
const settleAttempt = reusableQuery(['id', 'from', 'status', 'bankChargeId', 'errorCode', 'errorMessage', 'now'] as const, (db, p) =>
  db
    .updateTable('payment_attempts')
    .set({
      status: p.status as never,
      bank_charge_id: p.bankChargeId,
      error_code: p.errorCode,
      error_message: p.errorMessage,
      updated_at: p.now,
    })
    .where('id', '=', p.id)
    .where('status', '=', p.from as never),
);

export async function findAttempt(db: WalletDb, id: string): Promise<PaymentAttempt | undefined> {
  return db.selectFrom('payment_attempts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The intent's approved attempt (the charge refunds go against). */
export async function approvedAttemptOf(db: WalletDb, intentId: string): Promise<PaymentAttempt | undefined> {
  return db.selectFrom('payment_attempts').selectAll().where('intent_id', '=', intentId).where('status', '=', 'approved').executeTakeFirst();
}

/** Notes the first send, before it happens: from then on only a lookup can tell whether the bank saw it. */
export async function markAttemptSent(db: WalletDb, id: string, now: Date): Promise<void> {
  await db.updateTable('payment_attempts').set({ sent_at: now.toISOString() }).where('id', '=', id).where('sent_at', 'is', null).execute();
}

/**
 * Records the bank's word on a pending attempt, in one transaction: the
 * attempt, its intent (`succeeded`, or `failed` and retryable with another
 * card), the merchant's webhook event, the outbox job done, and — for a card
 * paid with once (not saved) — its token's release queued. Conditional on
 * the attempt still pending, so recording the same answer twice (the request
 * and a worker) is harmless. Returns the intent when this call recorded it.
 */
export async function recordChargeOutcome(
  db: WalletDb,
  attempt: PaymentAttempt,
  result: ChargeResult,
  now: Date,
  /** The attempt's charge job when the caller holds it (else found by the attempt). */
  jobId?: string,
): Promise<PaymentIntent | null> {
  return inTransaction(db, async (trx) => {
    const updated = await settleAttempt.run(trx, {
      id: attempt.id,
      from: 'pending',
      status: result.status,
      bankChargeId: result.bankChargeId,
      errorCode: result.status === 'declined' ? result.code : null,
      errorMessage: result.status === 'declined' ? result.message : null,
      now: now.toISOString(),
    });
    if (!updated.numAffectedRows) return null;
    const job = jobId ?? (await bankJobFor(trx, 'charge', attempt.id))?.id;
    if (job) await finishJob(trx, 'bank_jobs', job, now);
    await enqueueTokenRelease(trx, attempt.card_id, now);
    if (result.status === 'declined' && attempt.offer_redemption_id !== null) await enqueueOfferRevocation(trx, attempt.id, now);

    // The moved intent comes back from its UPDATE; only one that did not move (moved on meanwhile) is read.
    const moved =
      result.status === 'approved'
        ? await moveIntentReturning(trx, attempt.intent_id, 'succeeded', now)
        : await moveIntentReturning(trx, attempt.intent_id, 'failed', now, { code: result.code, message: result.message });
    const intent = moved ?? (await findPaymentIntent(trx, attempt.intent_id))!;
    if (moved) {
      // A merchant-funded offer reaches the merchant as its id and discount; a bank-funded one not at all. This
      // attempt is the intent's approved one: without a redemption it carries no offer, and nothing is looked up.
      const offer = result.status === 'approved' && attempt.offer_redemption_id !== null ? await merchantOfferOf(trx, intent.id) : null;
      await enqueueWebhookEvent(trx, {
        merchantId: intent.merchant_id,
        type: result.status === 'approved' ? 'payment_intent.succeeded' : 'payment_intent.payment_failed',
        object: toPaymentIntentJson(intent, undefined, offer),
        now,
      });
    }
    return intent;
  });
}

/** What the bank is charged for an attempt: the quoted debit, or (an attempt made before quotes) the intent's amount. */
export function debitOfAttempt(attempt: PaymentAttempt, intent: Pick<PaymentIntent, 'amount' | 'currency'>): { amount: number; currency: string } {
  return attempt.debit_amount !== null && attempt.debit_currency !== null
    ? { amount: attempt.debit_amount, currency: attempt.debit_currency }
    : { amount: intent.amount, currency: intent.currency };
}

/** Attempts created at or after `since` (ledger reconciliation). */
export async function attemptsCreatedSince(db: WalletDb, since: Date): Promise<PaymentAttempt[]> {
  return db.selectFrom('payment_attempts').selectAll().where('created_at', '>=', since.toISOString()).execute();
}

/** Our attempts under these bank references (ledger reconciliation). */
export async function attemptsByReference(db: WalletDb, references: string[]): Promise<PaymentAttempt[]> {
  if (references.length === 0) return [];
  return db.selectFrom('payment_attempts').selectAll().where('reference', 'in', references).execute();
}
