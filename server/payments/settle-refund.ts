import type { RefundResult } from '../adapters/bank-adapter.ts';
import { finishJob } from '../jobs/leased-queue.ts';
import { findCard } from '../shoppers/cards.ts';
import { bankForCard } from './bank-for-card.ts';
import type { BankJob } from './bank-outbox.ts';
import { approvedAttemptOf } from './payment-attempts.ts';
import { bankAmountOfRefund, findRefund, markRefundSent, recordRefundOutcome } from './refunds.ts';
import type { SettleChargeContext } from './settle-charge.ts';
import { settleWithBank } from './settle-with-bank.ts';

/** Settles a refund job against the intent's approved charge, by the refund's own reference. */
export async function settleRefund(ctx: SettleChargeContext, job: BankJob): Promise<void> {
  const refund = await findRefund(ctx.db, job.subject_id);
  if (!refund || refund.status !== 'pending') return finishJob(ctx.db, 'bank_jobs', job.id, ctx.now());
  const charge = (await approvedAttemptOf(ctx.db, refund.intent_id))!;
  const card = (await findCard(ctx.db, charge.card_id))!;
  const bank = () => bankForCard(ctx.banks, card);

  await settleWithBank<RefundResult>(ctx, job.id, job.tries, {
    reference: refund.reference,
    sentAt: refund.sent_at,
    createdAt: refund.created_at,
    markSent: (now) => markRefundSent(ctx.db, refund.id, now),
    send: () =>
      bank().refund({
        bankChargeId: charge.bank_charge_id!,
        ...bankAmountOfRefund(refund),
        reference: refund.reference,
        idempotencyKey: refund.idempotency_key,
      }),
    lookup: () => bank().lookupRefund(refund.reference),
    failNeverBooked: (refusal) => ({ status: 'failed', bankRefundId: null, reference: refund.reference, ...refusal }),
    async record(result) {
      if (await recordRefundOutcome(ctx.db, refund, result, ctx.now())) {
        ctx.logger.info('refund_settled', { reference: refund.reference, status: result.status });
      }
    },
    async overdue() {
      ctx.logger.error('refund_unsettled', { alert: true, reference: refund.reference, since: refund.created_at });
    },
  });
}
