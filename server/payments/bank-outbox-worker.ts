import type { BankDirectory } from '../adapters/registry.ts';
import { backoffDelay } from '../jobs/backoff.ts';
import { claimDueJobs, claimJob, retryJobLater } from '../jobs/leased-queue.ts';
import { bankJobFor, findBankJob } from './bank-outbox.ts';
import { findRefund } from './refunds.ts';
import { releaseOneTimeCard } from './release-one-time-card.ts';
import { revokeAppliedOffer } from './revoke-offer.ts';
import { settleAccountPayment, type SettleAccountPaymentContext } from './settle-account-payment.ts';
import { settleCharge } from './settle-charge.ts';
import { settleRefund } from './settle-refund.ts';

export interface BankOutboxWorker {
  /** For the job worker: claim due jobs (leased to this process). */
  claim(limit: number): Promise<string[]>;
  /** Runs one job this process holds. */
  run(jobId: string): Promise<void>;
  /** Runs a job now if no other process holds it (the request that queued it). */
  runNow(jobId: string): Promise<void>;
  /** The banks it sends charges to: the merchant's banks, whose limits decide which intents can be paid. */
  readonly banks: Pick<BankDirectory, 'all'>;
}

/**
 * Sends the bank outbox: charges, refunds and account payments (pay by bank), each settled or scheduled again;
 * one-time cards' token releases; and revocations of applied bank offers — run straight after the charge or refund
 * that queued one, so the bank hears of it without waiting for the next pass.
 */
export function createBankOutboxWorker(ctx: SettleAccountPaymentContext): BankOutboxWorker {
  const holder = () => ({ workerId: ctx.workerId, now: ctx.now(), leaseMs: ctx.settings.leaseMs });
  const run = async (jobId: string) => {
    const job = await findBankJob(ctx.db, jobId);
    if (!job || job.done_at) return;
    try {
      if (job.kind === 'charge') await settleCharge(ctx, job);
      else if (job.kind === 'account_payment') await settleAccountPayment(ctx, job);
      else if (job.kind === 'release_token') await releaseOneTimeCard(ctx, job);
      else if (job.kind === 'revoke_offer') await revokeAppliedOffer(ctx, job);
      else await settleRefund(ctx, job);
    } catch (error) {
      // Our side failed (say, recording the outcome): the bank's answer is still there to look up; try again soon.
      const at = new Date(ctx.now().getTime() + backoffDelay(job.tries, ctx.settings.backoff));
      await retryJobLater(ctx.db, 'bank_jobs', job.id, ctx, { at, error: error instanceof Error ? error.message : String(error) }).catch(() => {});
      throw error;
    }
    if (job.kind === 'charge' || job.kind === 'refund') await runOfferRevocationOf(job).catch(() => {});
  };
  /** The revocation a charge (declined) or refund (under the offer's policy) just queued, if any: sent now. */
  const runOfferRevocationOf = async (job: { kind: string; subject_id: string }) => {
    const attemptId = job.kind === 'charge' ? job.subject_id : await attemptOfRefund(job.subject_id);
    const revocation = attemptId ? await bankJobFor(ctx.db, 'revoke_offer', attemptId) : undefined;
    if (revocation && !revocation.done_at && (await claimJob(ctx.db, 'bank_jobs', revocation.id, holder()))) await run(revocation.id);
  };
  const attemptOfRefund = async (refundId: string) => {
    const refund = await findRefund(ctx.db, refundId);
    if (!refund) return undefined;
    const attempt = await ctx.db.selectFrom('payment_attempts').select('id').where('intent_id', '=', refund.intent_id).where('status', '=', 'approved').executeTakeFirst();
    return attempt?.id;
  };
  return {
    banks: ctx.banks,
    claim: (limit) => claimDueJobs(ctx.db, 'bank_jobs', holder(), limit),
    run,
    async runNow(jobId) {
      if (await claimJob(ctx.db, 'bank_jobs', jobId, holder())) await run(jobId);
    },
  };
}
