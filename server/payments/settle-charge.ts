import type { BankDirectory } from '../adapters/registry.ts';
import type { ChargeResult } from '../adapters/bank-adapter.ts';
import { finishJob } from '../jobs/leased-queue.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { findCard } from '../shoppers/cards.ts';
import { bankForCard } from './bank-for-card.ts';
import type { BankJob } from './bank-outbox.ts';
import { chargeRequestFor } from './charge-request.ts';
import { findAttempt, markAttemptSent, recordChargeOutcome } from './payment-attempts.ts';
import { moveToReview } from './move-to-review.ts';
import { findQuote } from './payment-quotes.ts';
import { findPaymentIntent } from './payment-intents.ts';
import { settleWithBank, type SettleContext } from './settle-with-bank.ts';

export interface SettleChargeContext extends SettleContext {
  banks: BankDirectory;
  metrics: Metrics;
}

/** Settles a charge job: the attempt's charge, sent or looked up by its reference (see settle-with-bank.ts). */
export async function settleCharge(ctx: SettleChargeContext, job: BankJob): Promise<void> {
  const attempt = await findAttempt(ctx.db, job.subject_id);
  if (!attempt || attempt.status !== 'pending') return finishJob(ctx.db, 'bank_jobs', job.id, ctx.now());
  const intent = (await findPaymentIntent(ctx.db, attempt.intent_id))!;
  const card = (await findCard(ctx.db, attempt.card_id))!;
  const quote = attempt.quote_id ? await findQuote(ctx.db, attempt.quote_id) : undefined;
  const bank = () => bankForCard(ctx.banks, card);
  const alreadyOverdue = intent.status === 'requires_review';

  await settleWithBank<ChargeResult>(ctx, job.id, job.tries, {
    reference: attempt.reference,
    sentAt: attempt.sent_at,
    createdAt: attempt.created_at,
    markSent: (now) => markAttemptSent(ctx.db, attempt.id, now),
    send: () => bank().charge(chargeRequestFor(attempt, intent, card, bank().limits, quote)),
    lookup: () => bank().lookupCharge(attempt.reference),
    failNeverBooked: (refusal) => ({ status: 'declined', bankChargeId: null, reference: attempt.reference, ...refusal }),
    async record(result) {
      const now = ctx.now();
      const settled = await recordChargeOutcome(ctx.db, attempt, result, now);
      if (!settled) return;
      ctx.metrics.paymentSettled(result.status === 'approved' ? 'succeeded' : 'failed', (now.getTime() - Date.parse(attempt.created_at)) / 1000);
      ctx.logger.info('payment_settled', { reference: attempt.reference, status: result.status });
    },
    async overdue() {
      if (!alreadyOverdue) await moveToReview(ctx, intent.id, { reference: attempt.reference, since: attempt.created_at });
    },
  });
}
