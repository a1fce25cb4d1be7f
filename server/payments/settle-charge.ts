import type { BankDirectory } from '../adapters/registry.ts';
import type { ChargeResult } from '../adapters/bank-adapter.ts';
import { finishJob } from '../jobs/leased-queue.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { findCard } from '../shoppers/cards.ts';
import { bankForCard } from './bank-for-card.ts';
import type { CardRow } from '../shoppers/cards.ts';
import type { BankJob } from './bank-outbox.ts';
import { chargeRequestFor } from './charge-request.ts';
import { findAttempt, markAttemptSent, recordChargeOutcome, type PaymentAttempt } from './payment-attempts.ts';
import { moveToReview } from './move-to-review.ts';
import { findQuote, type PaymentQuote } from './payment-quotes.ts';
import { findPaymentIntent, type PaymentIntent } from './payment-intents.ts';
import { settleWithBank, type SettleContext } from './settle-with-bank.ts';

export interface SettleChargeContext extends SettleContext {
  banks: BankDirectory;
  metrics: Metrics;
}

/**
 * The rows a charge is sent with. The confirmation that has just queued the charge holds them all and hands them in
 * (nothing it read can have changed: the attempt is new and pending, and its intent is `processing` under it); a worker
 * reads them.
 */
export interface ChargeRows {
  attempt: PaymentAttempt;
  intent: PaymentIntent;
  card: CardRow;
  quote: PaymentQuote | undefined;
}

/**
 * Settles a charge job: the attempt's charge, sent or looked up by its reference (see settle-with-bank.ts). Returns
 * the intent as the outcome left it when this call recorded one, else null (unknown yet, or recorded by another).
 */
export async function settleCharge(ctx: SettleChargeContext, job: Pick<BankJob, 'id' | 'subject_id' | 'tries'>, rows?: ChargeRows): Promise<PaymentIntent | null> {
  const loaded = rows ?? (await loadChargeRows(ctx, job));
  if (!loaded) {
    await finishJob(ctx.db, 'bank_jobs', job.id, ctx.now());
    return null;
  }
  const { attempt, intent, card, quote } = loaded;
  const bank = () => bankForCard(ctx.banks, card);
  const alreadyOverdue = intent.status === 'requires_review';
  let settled: PaymentIntent | null = null;

  await settleWithBank<ChargeResult>(ctx, job.id, job.tries, {
    reference: attempt.reference,
    sentAt: attempt.sent_at,
    // Rows handed in: the confirmation that queued it (and noted it sent) sends it now, once.
    firstSend: rows !== undefined,
    createdAt: attempt.created_at,
    markSent: (now) => markAttemptSent(ctx.db, attempt.id, now),
    send: () => bank().charge(chargeRequestFor(attempt, intent, card, bank().limits, quote)),
    lookup: () => bank().lookupCharge(attempt.reference),
    failNeverBooked: (refusal) => ({ status: 'declined', bankChargeId: null, reference: attempt.reference, ...refusal }),
    async record(result) {
      const now = ctx.now();
      settled = await recordChargeOutcome(ctx.db, attempt, result, now, job.id);
      if (!settled) return;
      ctx.metrics.paymentSettled(result.status === 'approved' ? 'succeeded' : 'failed', (now.getTime() - Date.parse(attempt.created_at)) / 1000);
      ctx.logger.info('payment_settled', { reference: attempt.reference, status: result.status });
    },
    async overdue() {
      if (!alreadyOverdue) await moveToReview(ctx, intent.id, { reference: attempt.reference, since: attempt.created_at });
    },
  });
  return settled;
}

/** A worker's view of a charge job: its attempt (still pending, else there is nothing to do), intent, card and quote. */
async function loadChargeRows(ctx: SettleChargeContext, job: Pick<BankJob, 'subject_id'>): Promise<ChargeRows | undefined> {
  const attempt = await findAttempt(ctx.db, job.subject_id);
  if (!attempt || attempt.status !== 'pending') return undefined;
  const intent = (await findPaymentIntent(ctx.db, attempt.intent_id))!;
  const card = (await findCard(ctx.db, attempt.card_id))!;
  const quote = attempt.quote_id ? await findQuote(ctx.db, attempt.quote_id) : undefined;
  return { attempt, intent, card, quote };
}
