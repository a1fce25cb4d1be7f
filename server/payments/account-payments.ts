import type { Selectable } from 'kysely';
import { finishJob } from '../jobs/leased-queue.ts';
import { randomUUID } from 'node:crypto';
import { randomId } from '../security/secrets.ts';
import { inTransaction, type WalletDb } from '../store/database.ts';
import type { AccountPaymentsTable } from '../store/schema.ts';
import { enqueueWebhookEvent } from '../webhooks/enqueue-webhook-event.ts';
import { bankJobFor, enqueueBankJob } from './bank-outbox.ts';
import { findPaymentIntent, moveIntent, toPaymentIntentJson, type PaymentIntent } from './payment-intents.ts';

/** This module owns `account_payments`: pay by bank, one row per try (consent → shopper's approval → payment). */
export type AccountPayment = Selectable<AccountPaymentsTable>;

/** The bank's definite word on an account payment (a pending payment is not one). */
export type AccountPaymentOutcome =
  | { status: 'approved'; bankPaymentId: string }
  | { status: 'declined'; bankPaymentId: string | null; code: string; message: string };

/**
 * In one transaction: the intent to `processing` (conditional, so of two racing confirmations one gets here), the
 * attempt with our reference, its consent and payment idempotency keys and the hash of its `state`, and its job in
 * the bank outbox (leased to the request, which creates the consent at once). `null` when the intent was no longer
 * confirmable.
 */
export async function beginAccountPayment(
  db: WalletDb,
  input: { intentId: string; shopperId: string; bank: string; stateHash: string; now: Date; consentTimeoutMs: number; leaseFor: { workerId: string; leaseMs: number } },
): Promise<{ payment: AccountPayment; jobId: string } | null> {
  const { intentId, now } = input;
  return db.transaction().execute(async (trx) => {
    if (!(await moveIntent(trx, intentId, 'processing', now))) return null;
    const previous = await trx
      .selectFrom('account_payments')
      .select((eb) => eb.fn.max<number | null>('attempt_number').as('last'))
      .where('intent_id', '=', intentId)
      .executeTakeFirst();
    const attemptNumber = Number(previous?.last ?? 0) + 1;
    const payment: AccountPayment = {
      id: randomId('ap'),
      intent_id: intentId,
      shopper_id: input.shopperId,
      bank: input.bank,
      attempt_number: attemptNumber,
      reference: `${intentId}_b${attemptNumber}`,
      // UUIDs: Open Banking takes at most 40 characters of x-idempotency-key.
      consent_idempotency_key: randomUUID(),
      payment_idempotency_key: randomUUID(),
      consent_id: null,
      state_hash: input.stateHash,
      status: 'pending',
      bank_payment_id: null,
      error_code: null,
      error_message: null,
      sealed_grant: null,
      sent_at: null,
      consent_expires_at: new Date(now.getTime() + input.consentTimeoutMs).toISOString(),
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    await trx.insertInto('account_payments').values(payment).execute();
    const jobId = await enqueueBankJob(trx, { kind: 'account_payment', subjectId: payment.id, now, leaseFor: input.leaseFor });
    return { payment, jobId };
  });
}

export async function findAccountPayment(db: WalletDb, id: string): Promise<AccountPayment | undefined> {
  return db.selectFrom('account_payments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findAccountPaymentByStateHash(db: WalletDb, stateHash: string): Promise<AccountPayment | undefined> {
  return db.selectFrom('account_payments').selectAll().where('state_hash', '=', stateHash).executeTakeFirst();
}

/** The intent's approved account payment (refunds of it are not supported). */
export async function approvedAccountPaymentOf(db: WalletDb, intentId: string): Promise<AccountPayment | undefined> {
  return db.selectFrom('account_payments').selectAll().where('intent_id', '=', intentId).where('status', '=', 'approved').executeTakeFirst();
}

/** The consent the bank created for this attempt (the same one on a replay). */
export async function recordConsent(db: WalletDb, id: string, consentId: string, now: Date): Promise<void> {
  await db.updateTable('account_payments').set({ consent_id: consentId, updated_at: now.toISOString() }).where('id', '=', id).where('consent_id', 'is', null).execute();
}

/**
 * The shopper approved at the bank: their grant, sealed, is stored and the job made due — only while the attempt
 * is pending, not authorized yet, and its consent has not run out (the expiry below is the other side of this
 * fence: exactly one of them wins). False when it lost: a replayed callback, or too late.
 */
export async function recordAuthorization(db: WalletDb, payment: AccountPayment, sealedGrant: string, now: Date): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const updated = await trx
      .updateTable('account_payments')
      .set({ sealed_grant: sealedGrant, updated_at: now.toISOString() })
      .where('id', '=', payment.id)
      .where('status', '=', 'pending')
      .where('sealed_grant', 'is', null)
      .where('sent_at', 'is', null)
      .where('consent_expires_at', '>', now.toISOString())
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n) return false;
    await trx.updateTable('bank_jobs').set({ next_run_at: now.toISOString() }).where('kind', '=', 'account_payment').where('subject_id', '=', payment.id).where('done_at', 'is', null).execute();
    return true;
  });
}

/** Notes the first submission, before it happens: from then on only the bank can tell whether it paid. */
export async function markAccountPaymentSent(db: WalletDb, id: string, now: Date): Promise<void> {
  await db.updateTable('account_payments').set({ sent_at: now.toISOString() }).where('id', '=', id).where('sent_at', 'is', null).execute();
}

/** A pending payment's id at the bank, for the look-ups that follow. */
export async function notePendingPayment(db: WalletDb, id: string, bankPaymentId: string, now: Date): Promise<void> {
  await db.updateTable('account_payments').set({ bank_payment_id: bankPaymentId, updated_at: now.toISOString() }).where('id', '=', id).where('status', '=', 'pending').execute();
}

/**
 * Records the bank's word in one transaction: the attempt (its grant dropped), the intent (`succeeded`, or
 * `failed` with the code: the shopper may try again), the merchant's webhook event, the outbox job done.
 * Conditional on the attempt still pending — and with `onlyIfUnauthorized`, on no grant having been recorded
 * (the shopper's refusal or the consent's expiry, which must never overtake an approval). Returns the intent
 * when this call recorded it.
 */
export async function recordAccountPaymentOutcome(
  db: WalletDb,
  payment: AccountPayment,
  outcome: AccountPaymentOutcome,
  now: Date,
  options: { onlyIfUnauthorized?: boolean } = {},
): Promise<PaymentIntent | null> {
  return inTransaction(db, async (trx) => {
    let update = trx
      .updateTable('account_payments')
      .set({
        status: outcome.status,
        bank_payment_id: outcome.bankPaymentId,
        error_code: outcome.status === 'declined' ? outcome.code : null,
        error_message: outcome.status === 'declined' ? outcome.message : null,
        sealed_grant: null,
        updated_at: now.toISOString(),
      })
      .where('id', '=', payment.id)
      .where('status', '=', 'pending');
    if (options.onlyIfUnauthorized) update = update.where('sealed_grant', 'is', null).where('sent_at', 'is', null);
    const updated = await update.executeTakeFirst();
    if (updated.numUpdatedRows === 0n) return null;
    const job = await bankJobFor(trx, 'account_payment', payment.id);
    if (job) await finishJob(trx, 'bank_jobs', job.id, now);

    const moved =
      outcome.status === 'approved'
        ? await moveIntent(trx, payment.intent_id, 'succeeded', now)
        : await moveIntent(trx, payment.intent_id, 'failed', now, { code: outcome.code, message: outcome.message });
    const intent = (await findPaymentIntent(trx, payment.intent_id))!;
    if (moved) {
      await enqueueWebhookEvent(trx, {
        merchantId: intent.merchant_id,
        type: outcome.status === 'approved' ? 'payment_intent.succeeded' : 'payment_intent.payment_failed',
        object: toPaymentIntentJson(intent),
        now,
      });
    }
    return intent;
  });
}
