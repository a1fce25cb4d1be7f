import type { Selectable } from 'kysely';
import type { ChargeResult } from '../adapters/bank-adapter.ts';
import { randomId, randomSecret } from '../security/secrets.ts';
import type { WalletDb } from '../store/database.ts';
import type { PaymentAttemptsTable, PaymentIntentStatus } from '../store/schema.ts';

export type PaymentAttempt = Selectable<PaymentAttemptsTable>;

/** An intent may be (re)confirmed from these states; `failed` lets a shopper retry with another card. */
export const CONFIRMABLE_STATUSES: PaymentIntentStatus[] = ['requires_confirmation', 'failed'];

/**
 * In one transaction: move the intent to `processing` — conditional on its
 * current status, so of two racing confirmations only one gets past this
 * point — and record the attempt with our bank reference and idempotency key.
 * Returns `null` when the intent was no longer confirmable.
 */
export async function beginPaymentAttempt(
  db: WalletDb,
  { intentId, cardId }: { intentId: string; cardId: string },
  now: Date,
): Promise<PaymentAttempt | null> {
  return db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable('payment_intents')
      .set({ status: 'processing', last_error_code: null, last_error_message: null, updated_at: now.toISOString() })
      .where('id', '=', intentId)
      .where('status', 'in', CONFIRMABLE_STATUSES)
      .executeTakeFirst();
    if (moved.numUpdatedRows === 0n) return null;

    const previous = await trx
      .selectFrom('payment_attempts')
      .select((eb) => eb.fn.max<number | null>('attempt_number').as('last'))
      .where('intent_id', '=', intentId)
      .executeTakeFirst();
    const attemptNumber = (previous?.last ?? 0) + 1;
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
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    await trx.insertInto('payment_attempts').values(attempt).execute();
    return attempt;
  });
}

/**
 * Records the bank's answer for a pending attempt and settles its intent, in one
 * transaction. Both updates are conditional on the pending/processing state,
 * so recording the same answer twice (confirm path and reconciler) is harmless.
 */
export async function recordChargeOutcome(db: WalletDb, attempt: PaymentAttempt, result: ChargeResult, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('payment_attempts')
      .set({
        status: result.status,
        bank_charge_id: result.bankChargeId,
        error_code: result.status === 'declined' ? result.code : null,
        error_message: result.status === 'declined' ? result.message : null,
        updated_at: now.toISOString(),
      })
      .where('id', '=', attempt.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n) return;
    await trx
      .updateTable('payment_intents')
      .set(
        result.status === 'approved'
          ? { status: 'succeeded', last_error_code: null, last_error_message: null, updated_at: now.toISOString() }
          : { status: 'failed', last_error_code: result.code, last_error_message: result.message, updated_at: now.toISOString() },
      )
      .where('id', '=', attempt.intent_id)
      .where('status', '=', 'processing')
      .execute();
  });
}

export async function pendingPaymentAttempts(db: WalletDb): Promise<PaymentAttempt[]> {
  return db.selectFrom('payment_attempts').selectAll().where('status', '=', 'pending').orderBy('created_at').execute();
}
