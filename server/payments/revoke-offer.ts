import type { BankAdapter } from '../adapters/bank-adapter.ts';
import type { BankDirectory } from '../adapters/registry.ts';
import type { Logger } from '../http/logger.ts';
import { backoffDelay } from '../jobs/backoff.ts';
import { finishJob, retryJobLater } from '../jobs/leased-queue.ts';
import { findCard } from '../shoppers/cards.ts';
import { inTransaction, type WalletDb } from '../store/database.ts';
import { bankForCard } from './bank-for-card.ts';
import { enqueueBankJobOnce, type BankJob } from './bank-outbox.ts';
import { findAttempt } from './payment-attempts.ts';
import type { SettlementSettings } from './settle-with-bank.ts';

/**
 * Revoking an applied offer at its bank, exactly once: a declined attempt that had a redemption, or a refund under the
 * offer's refund policy, queues a `revoke_offer` job for the attempt inside the transaction that recorded it. The
 * outbox's `(kind, subject_id)` uniqueness makes a second queueing (a second refund) a no-op; the bank dedups by our
 * idempotency key `revoke_<attempt id>`, so a retried call counts once there too.
 */
export async function enqueueOfferRevocation(trx: WalletDb, attemptId: string, now: Date): Promise<void> {
  await enqueueBankJobOnce(trx, { kind: 'revoke_offer', subjectId: attemptId, now });
}

export interface RevokeOfferContext {
  db: WalletDb;
  banks: Pick<BankDirectory, 'has' | 'get'>;
  logger: Logger;
  now: () => Date;
  workerId: string;
  settings: Pick<SettlementSettings, 'backoff'>;
}

/**
 * Runs a `revoke_offer` job: the bank revokes the attempt's redemption (`payment_failed` for a declined attempt,
 * `refunded` otherwise), then `offer_revoked_at` is set and the job done in one transaction. An unknown outcome is
 * tried again after a backoff, with the same key. Nothing about the offer is logged.
 */
export async function revokeAppliedOffer(ctx: RevokeOfferContext, job: BankJob): Promise<void> {
  const attempt = await findAttempt(ctx.db, job.subject_id);
  if (!attempt || attempt.offer_redemption_id === null || attempt.offer_revoked_at !== null) return finishJob(ctx.db, 'bank_jobs', job.id, ctx.now());
  const card = (await findCard(ctx.db, attempt.card_id))!;
  let bank: BankAdapter;
  try {
    bank = bankForCard(ctx.banks, card);
  } catch (error) {
    return retryLater(ctx, job, attempt.reference, error);
  }
  if (!bank.revokeOffer) {
    // The bank dropped the capability: nothing Paykey can call; its redemption lapses or is settled at the bank.
    ctx.logger.error('offer_revoke_unsupported', { alert: true, reference: attempt.reference, bank: bank.id });
    return finishJob(ctx.db, 'bank_jobs', job.id, ctx.now());
  }
  try {
    await bank.revokeOffer({
      redemptionId: attempt.offer_redemption_id,
      reason: attempt.status === 'declined' ? 'payment_failed' : 'refunded',
      idempotencyKey: `revoke_${attempt.id}`,
    });
  } catch (error) {
    return retryLater(ctx, job, attempt.reference, error);
  }
  await inTransaction(ctx.db, async (trx) => {
    await trx.updateTable('payment_attempts').set({ offer_revoked_at: ctx.now().toISOString() }).where('id', '=', attempt.id).where('offer_revoked_at', 'is', null).execute();
    await finishJob(trx, 'bank_jobs', job.id, ctx.now());
  });
  ctx.logger.info('offer_revoked', { reference: attempt.reference });
}

/**
 * For a confirmation that redeemed an offer but could not start its attempt (another confirmation won the race):
 * the redemption is revoked `not_charged` at once, best-effort — if the bank cannot be reached it lapses there unused.
 */
export async function revokeUnusedRedemption(bank: BankAdapter, logger: Logger, redemptionId: string, reference: string): Promise<void> {
  try {
    await bank.revokeOffer?.({ redemptionId, reason: 'not_charged', idempotencyKey: `revoke_${reference}` });
  } catch (error) {
    logger.warn('offer_revoke_pending', { reference, error: error instanceof Error ? error.name : 'unknown' });
  }
}

async function retryLater(ctx: RevokeOfferContext, job: BankJob, reference: string, error: unknown): Promise<void> {
  const reason = error instanceof Error ? error.message : String(error);
  ctx.logger.warn('offer_revoke_pending', { reference, tries: job.tries + 1 });
  const at = new Date(ctx.now().getTime() + backoffDelay(job.tries, ctx.settings.backoff));
  return retryJobLater(ctx.db, 'bank_jobs', job.id, ctx, { at, error: reason });
}
