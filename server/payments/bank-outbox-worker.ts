import type { BankDirectory } from '../adapters/registry.ts';
import { backoffDelay } from '../jobs/backoff.ts';
import { claimDueJobs, claimJob, retryJobLater } from '../jobs/leased-queue.ts';
import { bankJobFor, findBankJob, type BankJob } from './bank-outbox.ts';
import { findRefund } from './refunds.ts';
import { releaseOneTimeCard } from './release-one-time-card.ts';
import { revokeAppliedOffer } from './revoke-offer.ts';
import { settleAccountPayment, type SettleAccountPaymentContext } from './settle-account-payment.ts';
import { settleCharge, type ChargeRows } from './settle-charge.ts';
import type { PaymentIntent } from './payment-intents.ts';
import { settleRefund } from './settle-refund.ts';

export interface BankOutboxWorker {
  /** For the job worker: claim due jobs (leased to this process). */
  claim(limit: number): Promise<string[]>;
  /** Runs one job this process holds. */
  run(jobId: string): Promise<void>;
  /** Runs a job now if no other process holds it (the request that queued it). */
  runNow(jobId: string): Promise<void>;
  /**
   * Sends a charge the caller has just queued, leased to this process in the same transaction (`beginPaymentAttempt`
   * with `leaseFor`), with the rows the caller holds: no claim and no re-reading. Returns the intent as the bank's
   * answer left it, or null when the outcome is not known yet (the outbox then owns it).
   */
  runNewCharge(job: BankJob, rows: ChargeRows): Promise<PaymentIntent | null>;
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
    await settle(job);
  };
  const settle = async (job: BankJob, rows?: ChargeRows): Promise<PaymentIntent | null> => {
    let settled: PaymentIntent | null = null;
    try {
      if (job.kind === 'charge') settled = await settleCharge(ctx, job, rows);
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
    // A charge made without an offer queues no revocation: nothing to look for.
    const noOffer = job.kind === 'charge' && rows !== undefined && rows.attempt.offer_redemption_id === null;
    if ((job.kind === 'charge' || job.kind === 'refund') && !noOffer) await runOfferRevocationOf(job).catch(() => {});
    return settled;
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
    runNewCharge: (job, rows) => settle(job, rows),
  };
}
