/**
 * A payment the bank gave no definite answer for in time: its intent moves to requires_review, the merchant's
 * payment_intent.requires_review webhook is queued in the same transaction, and an operator is alerted (they must
 * ask the bank). Card charges and account payments both go this way; the bank's word still settles it later.
 */
import type { Logger } from '../http/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { WalletDb } from '../store/database.ts';
import { enqueueWebhookEvent } from '../webhooks/enqueue-webhook-event.ts';
import { findPaymentIntent, moveIntent, toPaymentIntentJson } from './payment-intents.ts';

export interface MoveToReviewContext {
  db: WalletDb;
  logger: Logger;
  metrics: Metrics;
  now: () => Date;
}

/** `reference` and `since` name the attempt (or account payment) in the alert. Nothing happens if the intent cannot move. */
export async function moveToReview(ctx: MoveToReviewContext, intentId: string, attempt: { reference: string; since: string }): Promise<void> {
  const now = ctx.now();
  const moved = await ctx.db.transaction().execute(async (trx) => {
    if (!(await moveIntent(trx, intentId, 'requires_review', now))) return false;
    const current = (await findPaymentIntent(trx, intentId))!;
    await enqueueWebhookEvent(trx, { merchantId: current.merchant_id, type: 'payment_intent.requires_review', object: toPaymentIntentJson(current), now });
    return true;
  });
  if (!moved) return;
  ctx.metrics.paymentNeedsReview();
  // The alert: an operator must ask the bank. We keep asking too; the bank's word still settles it.
  ctx.logger.error('payment_requires_review', {
    alert: true,
    reference: attempt.reference,
    payment_intent: intentId,
    since: attempt.since,
    reason: 'no definite answer from the bank',
  });
}
