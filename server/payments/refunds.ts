import type { Selectable } from 'kysely';
import type { RefundResult } from '../adapters/bank-adapter.ts';
import { PaykeyError } from '../errors/paykey-error.ts';
import { finishJob } from '../jobs/leased-queue.ts';
import { randomId, randomSecret } from '../security/secrets.ts';
import { inTransaction, type WalletDb } from '../store/database.ts';
import type { RefundsTable } from '../store/schema.ts';
import { enqueueWebhookEvent } from '../webhooks/enqueue-webhook-event.ts';
import { bankJobFor, enqueueBankJob } from './bank-outbox.ts';
import { approvedAttemptOf } from './payment-attempts.ts';
import { findPaymentIntent, releaseRefundAmount, reserveRefundAmount, type PaymentIntent } from './payment-intents.ts';
import { refundDebit } from './refund-debit.ts';
import { enqueueOfferRevocation } from './revoke-offer.ts';

/** This module owns `refunds`. */
export type Refund = Selectable<RefundsTable>;

export interface RefundJson {
  id: string;
  object: 'refund';
  payment_intent: string;
  amount: number;
  currency: string;
  status: Refund['status'];
  failure: { code: string; message: string } | null;
  created_at: string;
}

/**
 * In one transaction: set the amount aside on the intent (never more than was
 * captured, concurrent refunds included), record the refund `pending` — with what
 * the bank gives back when the charge's debit differs from its amount (a fee, a
 * conversion: refund-debit.ts) — and queue it in the bank outbox, leased to the
 * request that sends it at once.
 */
export async function createRefund(
  db: WalletDb,
  input: { intent: PaymentIntent; amount: number; now: Date; leaseFor: { workerId: string; leaseMs: number } },
): Promise<{ refund: Refund; jobId: string }> {
  const { intent, amount, now } = input;
  return inTransaction(db, async (trx) => {
    if (!(await reserveRefundAmount(trx, intent.id, amount, now))) {
      const current = (await findPaymentIntent(trx, intent.id))!;
      if (current.status !== 'succeeded') {
        throw new PaykeyError('payment_intent_unexpected_state', `Only a succeeded payment can be refunded; this one is ${current.status}`);
      }
      const refundable = current.amount - Number(current.amount_refunded);
      throw new PaykeyError('amount_too_large',
        `Expected a refund of at most ${refundable} (captured ${current.amount}, already refunded or refunding ${current.amount_refunded}), received ${amount}`,
      );
    }
    const id = randomId('re');
    const debit = await bankSideOf(trx, intent.id, amount);
    const refund: Refund = {
      id,
      intent_id: intent.id,
      merchant_id: intent.merchant_id,
      amount,
      currency: intent.currency,
      status: 'pending',
      reference: id,
      idempotency_key: `idem_${randomSecret()}`,
      bank_refund_id: null,
      failure_code: null,
      failure_message: null,
      sent_at: null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      debit_amount: debit?.amount ?? null,
      debit_currency: debit?.currency ?? null,
    };
    await trx.insertInto('refunds').values(refund).execute();
    const jobId = await enqueueBankJob(trx, { kind: 'refund', subjectId: id, now, leaseFor: input.leaseFor });
    return { refund, jobId };
  });
}

/**
 * For a charge whose debit differs from the payment (fee or conversion), what the bank gives back for a refund of
 * `amount`, just reserved on the intent (whose row the reservation holds); `null` when it is simply `amount`.
 */
async function bankSideOf(trx: WalletDb, intentId: string, amount: number): Promise<{ amount: number; currency: string } | null> {
  const charge = await approvedAttemptOf(trx, intentId);
  const intent = (await findPaymentIntent(trx, intentId))!;
  if (!charge || charge.debit_amount === null || charge.debit_currency === null) return null;
  if (charge.debit_amount === intent.amount && charge.debit_currency === intent.currency) return null;
  const others = await trx
    .selectFrom('refunds')
    .select(['amount', 'debit_amount'])
    .where('intent_id', '=', intentId)
    .where('status', '!=', 'failed')
    .execute();
  const otherDebits = others.reduce((sum, refund) => sum + Number(refund.debit_amount ?? refund.amount), 0);
  const after = Number(intent.amount_refunded);
  return {
    amount: refundDebit({ amount: intent.amount, debit: charge.debit_amount }, { after, otherDebits }),
    currency: charge.debit_currency,
  };
}

/** What the bank is asked to give back for a refund: its debit in the card's currency, or its amount. */
export function bankAmountOfRefund(refund: Refund): { amount: number; currency: string } {
  return refund.debit_amount !== null && refund.debit_currency !== null
    ? { amount: refund.debit_amount, currency: refund.debit_currency }
    : { amount: refund.amount, currency: refund.currency };
}

export async function findRefund(db: WalletDb, id: string): Promise<Refund | undefined> {
  return db.selectFrom('refunds').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function refundsOfIntent(db: WalletDb, intentId: string): Promise<Refund[]> {
  return db.selectFrom('refunds').selectAll().where('intent_id', '=', intentId).orderBy('created_at').orderBy('id').execute();
}

export async function refundsCreatedSince(db: WalletDb, since: Date): Promise<Refund[]> {
  return db.selectFrom('refunds').selectAll().where('created_at', '>=', since.toISOString()).execute();
}

export async function markRefundSent(db: WalletDb, id: string, now: Date): Promise<void> {
  await db.updateTable('refunds').set({ sent_at: now.toISOString() }).where('id', '=', id).where('sent_at', 'is', null).execute();
}

/**
 * Records the bank's word on a pending refund, in one transaction: the refund,
 * the amount given back to the intent when it failed, the merchant's webhook
 * event, the outbox job done, and — when the charge had a bank offer whose refund
 * policy this refund meets — the offer's revocation queued (once per charge).
 * Returns the refund when this call recorded it.
 */
export async function recordRefundOutcome(db: WalletDb, refund: Refund, result: RefundResult, now: Date): Promise<Refund | null> {
  return inTransaction(db, async (trx) => {
    const updated = await trx
      .updateTable('refunds')
      .set({
        status: result.status,
        bank_refund_id: result.bankRefundId,
        failure_code: result.status === 'failed' ? result.code : null,
        failure_message: result.status === 'failed' ? result.message : null,
        updated_at: now.toISOString(),
      })
      .where('id', '=', refund.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n) return null;
    if (result.status === 'failed') await releaseRefundAmount(trx, refund.intent_id, refund.amount, now);
    else await revokeOfferIfRefundPolicySays(trx, refund.intent_id, now);
    const job = await bankJobFor(trx, 'refund', refund.id);
    if (job) await finishJob(trx, 'bank_jobs', job.id, now);
    const recorded = (await findRefund(trx, refund.id))!;
    await enqueueWebhookEvent(trx, {
      merchantId: refund.merchant_id,
      type: result.status === 'succeeded' ? 'refund.succeeded' : 'refund.failed',
      object: toRefundJson(recorded),
      now,
    });
    return recorded;
  });
}

/**
 * After a refund succeeded: the charge's offer is revoked per its refund policy — `revoke_on_any_refund` at the first
 * refund that succeeds, `revoke_on_full_refund` once the succeeded refunds add up to the whole amount. The outbox's
 * uniqueness on (kind, attempt) keeps it to one revocation whatever the number of refunds.
 */
async function revokeOfferIfRefundPolicySays(trx: WalletDb, intentId: string, now: Date): Promise<void> {
  const charge = await trx
    .selectFrom('payment_attempts')
    .innerJoin('payment_quotes', 'payment_quotes.id', 'payment_attempts.quote_id')
    .select(['payment_attempts.id', 'payment_quotes.offer_refund_policy', 'payment_quotes.amount'])
    .where('payment_attempts.intent_id', '=', intentId)
    .where('payment_attempts.status', '=', 'approved')
    .where('payment_attempts.offer_redemption_id', 'is not', null)
    .executeTakeFirst();
  if (!charge) return;
  if (charge.offer_refund_policy === 'revoke_on_full_refund') {
    const refunded = await trx
      .selectFrom('refunds')
      .select((eb) => eb.fn.sum<number | string | null>('amount').as('total'))
      .where('intent_id', '=', intentId)
      .where('status', '=', 'succeeded')
      .executeTakeFirst();
    if (Number(refunded?.total ?? 0) < Number(charge.amount)) return;
  }
  await enqueueOfferRevocation(trx, charge.id, now);
}

export function toRefundJson(refund: Refund): RefundJson {
  return {
    id: refund.id,
    object: 'refund',
    payment_intent: refund.intent_id,
    amount: refund.amount,
    currency: refund.currency,
    status: refund.status,
    failure: refund.failure_code ? { code: refund.failure_code, message: refund.failure_message ?? '' } : null,
    created_at: refund.created_at,
  };
}

/** Our refunds under these bank references (ledger reconciliation). */
export async function refundsByReference(db: WalletDb, references: string[]): Promise<Refund[]> {
  if (references.length === 0) return [];
  return db.selectFrom('refunds').selectAll().where('reference', 'in', references).execute();
}
