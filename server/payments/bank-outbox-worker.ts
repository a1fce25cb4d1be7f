import type { BankDirectory } from '../adapters/registry.ts';
import { backoffDelay } from '../jobs/backoff.ts';
import { claimDueJobs, claimJob, retryJobLater } from '../jobs/leased-queue.ts';
import { findBankJob } from './bank-outbox.ts';
import { releaseOneTimeCard } from './release-one-time-card.ts';
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
 * Sends the bank outbox: charges, refunds and account payments (pay by bank), each settled or scheduled again; and
 * one-time cards' token releases.
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
      else await settleRefund(ctx, job);
    } catch (error) {
      // Our side failed (say, recording the outcome): the bank's answer is still there to look up; try again soon.
      const at = new Date(ctx.now().getTime() + backoffDelay(job.tries, ctx.settings.backoff));
      await retryJobLater(ctx.db, 'bank_jobs', job.id, ctx, { at, error: error instanceof Error ? error.message : String(error) }).catch(() => {});
      throw error;
    }
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
