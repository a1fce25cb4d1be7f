import { BankTransportError } from '../adapters/bank-adapter.ts';
import type { AccountPaymentResult, PaymentSubmission } from '../adapters/open-banking/account-payment-adapter.ts';
import { backoffDelay } from '../jobs/backoff.ts';
import { finishJob, retryJobLater } from '../jobs/leased-queue.ts';
import { accountPaymentOrderFor, type AccountPaymentBank } from './account-payment-bank.ts';
import {
  findAccountPayment,
  markAccountPaymentSent,
  notePendingPayment,
  recordAccountPaymentOutcome,
  recordConsent,
  type AccountPayment,
  type AccountPaymentOutcome,
} from './account-payments.ts';
import type { BankJob } from './bank-outbox.ts';
import { moveToReview } from './move-to-review.ts';
import { findPaymentIntent } from './payment-intents.ts';
import type { SettleChargeContext } from './settle-charge.ts';
import { settleWithBank } from './settle-with-bank.ts';

export interface SettleAccountPaymentContext extends SettleChargeContext {
  /** The pay-by-bank bank; unset when none is configured (an attempt in flight then waits for it). */
  accountPayments?: AccountPaymentBank;
}

/**
 * Settles an account payment's job, in the order the payment lives:
 * 1. No consent yet → create it (its own idempotency key: a lost answer is replayed, never a second consent).
 * 2. Not approved by the shopper → wait until the consent's deadline; then ask the bank (its consent state) and
 *    fail the attempt `consent_rejected` / `consent_expired` — nothing was paid, only we can submit the payment.
 * 3. Approved → submit the payment once (its own key), then settle it like a charge (settle-with-bank.ts): an
 *    unknown or pending outcome is resolved by `lookupPayment` (replaying the same submission), never by paying again.
 */
export async function settleAccountPayment(ctx: SettleAccountPaymentContext, job: BankJob): Promise<void> {
  const payment = await findAccountPayment(ctx.db, job.subject_id);
  if (!payment || payment.status !== 'pending') return finishJob(ctx.db, 'bank_jobs', job.id, ctx.now());
  const bank = ctx.accountPayments;
  if (!bank || bank.adapter.id !== payment.bank) throw new Error(`no account-payment bank "${payment.bank}" is configured for ${payment.reference}`);
  const intent = (await findPaymentIntent(ctx.db, payment.intent_id))!;
  const order = accountPaymentOrderFor(payment, intent, bank);
  const later = (error: string, at = new Date(ctx.now().getTime() + backoffDelay(job.tries, ctx.settings.backoff))) =>
    retryJobLater(ctx.db, 'bank_jobs', job.id, ctx, { at, error });
  const expired = Date.parse(payment.consent_expires_at) <= ctx.now().getTime();

  if (payment.consent_id === null) {
    try {
      const consent = await bank.adapter.createConsent({ ...order, idempotencyKey: payment.consent_idempotency_key });
      await recordConsent(ctx.db, payment.id, consent.consentId, ctx.now());
      return later('awaiting the shopper at the bank', new Date(payment.consent_expires_at));
    } catch (error) {
      ctx.logger.warn('bank_outcome_unknown', { reference: payment.reference, tries: job.tries + 1, reason: `consent: ${messageOf(error)}` });
      // No consent known means no shopper can approve one: past the deadline nothing can ever be paid.
      if (expired) return expire(ctx, job.id, payment, 'consent_expired', 'The bank did not create the consent in time; nothing was paid.');
      return later(`consent: ${messageOf(error)}`);
    }
  }

  if (payment.sealed_grant === null && payment.sent_at === null) {
    if (!expired) return later('awaiting the shopper at the bank', new Date(payment.consent_expires_at));
    // Past the deadline: the bank's word on the consent first (a refusal we never heard of is a refusal).
    try {
      const state = await bank.adapter.consentState(payment.consent_id);
      if (state === 'rejected') return expire(ctx, job.id, payment, 'consent_rejected', 'The shopper or the bank refused the payment at the bank; nothing was paid.');
      if (state !== 'consumed') return expire(ctx, job.id, payment, 'consent_expired', 'The shopper did not approve the payment at the bank in time; nothing was paid.');
      // Consumed without our submission cannot happen (only we submit); look it up below all the same.
    } catch (error) {
      ctx.logger.warn('bank_outcome_unknown', { reference: payment.reference, tries: job.tries + 1, reason: `consent state: ${messageOf(error)}` });
      return later(`consent state: ${messageOf(error)}`);
    }
  }

  const consentId = payment.consent_id;
  const submission = (): PaymentSubmission | undefined =>
    payment.sealed_grant
      ? { ...order, consentId, authorization: bank.grantSeal.open(payment.id, payment.sealed_grant), idempotencyKey: payment.payment_idempotency_key }
      : undefined;
  /** A pending payment is not an answer yet: remember its id and ask again later. */
  const definite = async (result: AccountPaymentResult | null): Promise<AccountPaymentOutcome | null> => {
    if (result === null) return null;
    if (result.status === 'pending') {
      await notePendingPayment(ctx.db, payment.id, result.bankPaymentId, ctx.now());
      throw new BankTransportError(`${payment.reference}: the bank holds the payment as pending`);
    }
    return result.status === 'approved'
      ? { status: 'approved', bankPaymentId: result.bankPaymentId }
      : { status: 'declined', bankPaymentId: result.bankPaymentId, code: result.code, message: result.message };
  };
  const alreadyOverdue = intent.status === 'requires_review';

  await settleWithBank<AccountPaymentOutcome>(ctx, job.id, job.tries, {
    reference: payment.reference,
    sentAt: payment.sent_at,
    createdAt: payment.created_at,
    markSent: (now) => markAccountPaymentSent(ctx.db, payment.id, now),
    async send() {
      const request = submission();
      if (!request) throw new BankTransportError(`${payment.reference}: the shopper's grant is gone; only a look-up can settle it`);
      return (await definite(await bank.adapter.submitPayment(request)))!;
    },
    lookup: async () =>
      definite(await bank.adapter.lookupPayment({ reference: payment.reference, consentId, bankPaymentId: payment.bank_payment_id ?? undefined, submission: submission() })),
    failNeverBooked: (refusal) => ({ status: 'declined', bankPaymentId: null, ...refusal }),
    async record(outcome) {
      const now = ctx.now();
      const settled = await recordAccountPaymentOutcome(ctx.db, payment, outcome, now);
      if (!settled) return;
      ctx.metrics.paymentSettled(outcome.status === 'approved' ? 'succeeded' : 'failed', (now.getTime() - Date.parse(payment.created_at)) / 1000);
      ctx.logger.info('payment_settled', { reference: payment.reference, status: outcome.status });
    },
    async overdue() {
      if (!alreadyOverdue) await moveToReview(ctx, intent.id, { reference: payment.reference, since: payment.created_at });
    },
  });
}

/** Fails an attempt nobody approved (nothing was paid); when an approval got there first, the job runs again at once to submit it. */
async function expire(ctx: SettleAccountPaymentContext, jobId: string, payment: AccountPayment, code: 'consent_expired' | 'consent_rejected', message: string): Promise<void> {
  const settled = await recordAccountPaymentOutcome(ctx.db, payment, { status: 'declined', bankPaymentId: null, code, message }, ctx.now(), { onlyIfUnauthorized: true });
  if (settled) ctx.logger.info('payment_settled', { reference: payment.reference, status: 'declined', code });
  else await retryJobLater(ctx.db, 'bank_jobs', jobId, ctx, { at: ctx.now(), error: 'approved as the consent ran out' });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
