import { BankConfigurationError, BankTransportError, type BankDeclineCode } from '../adapters/bank-adapter.ts';
import type { Logger } from '../http/logger.ts';
import { backoffDelay, type BackoffPolicy } from '../jobs/backoff.ts';
import { retryJobLater } from '../jobs/leased-queue.ts';
import type { WalletDb } from '../store/database.ts';

/** How the engine waits on banks; every value comes from the environment (see server/config). */
export interface SettlementSettings {
  /**
   * How long after the first send a bank's "never seen" is believed. Until
   * then the request may still be on its way (held by a proxy); after it,
   * the same charge is sent again (same reference and key, so at most once).
   */
  graceMs: number;
  /** An attempt with no definite answer for this long goes to `requires_review` (default 24 h). */
  reviewAfterMs: number;
  /** Retries of one job: 0.5 s, 1 s, 2 s … capped, jittered. */
  backoff: BackoffPolicy;
  /** A claim on a job lasts this long (more than a bank call may take). */
  leaseMs: number;
}

/** One money movement to settle with a bank (a charge or a refund), as the generic loop below sees it. */
export interface BankOperation<R> {
  /** Our reference at the bank, for logs. */
  reference: string;
  /** When it was first sent, or null when it never was. */
  sentAt: string | null;
  /**
   * The transaction that queued it noted it as sent (`sentAt`) for this very call to send it, which has not
   * happened yet: send it now without noting it again. Only the caller holding that transaction's lease says so.
   */
  firstSend?: boolean;
  createdAt: string;
  markSent(now: Date): Promise<void>;
  /** Sends it with our reference and idempotency key; `BankTransportError` when the outcome is unknown. */
  send(): Promise<R>;
  /** What the bank has under our reference; `null` when it never saw it. */
  lookup(): Promise<R | null>;
  /** Records the bank's definite word (and finishes the job) in one transaction. */
  record(result: R): Promise<void>;
  /** The bank never saw it, well past the grace, and refused the re-send without booking: a definite failure. */
  failNeverBooked(refusal: { code: BankDeclineCode; message: string }): R;
  /** Called on every unknown outcome once the operation is older than `reviewAfterMs`. */
  overdue(): Promise<void>;
}

export interface SettleContext {
  db: WalletDb;
  logger: Logger;
  now: () => Date;
  workerId: string;
  settings: SettlementSettings;
}

type Call<R> = { ok: true; value: R } | { ok: false; refusal?: { code: BankDeclineCode; message: string }; error: string };

/**
 * Settles one operation with its bank, or schedules the next try. The rules of
 * the money path, in order:
 * 1. Never sent → note it as sent, then send it (noted already when the caller queued it for this very send:
 *    `firstSend`). A definite answer is recorded.
 * 2. Otherwise (or the answer was unknown) → ask the bank by our reference. Found → recorded.
 * 3. The bank never saw it, and the grace since the first send is over → send the
 *    same request again (same reference and key: the bank books it at most once).
 *    If the bank refuses that without a decline and still has nothing under the
 *    reference, nothing was booked: a definite failure.
 * 4. Still unknown → try again after a backoff; past `reviewAfterMs`, `overdue()`.
 * Nothing here starts a new charge: only the same reference is ever sent again.
 */
export async function settleWithBank<R>(ctx: SettleContext, jobId: string, tries: number, op: BankOperation<R>): Promise<void> {
  let reason = 'no answer yet';
  if (op.sentAt === null || op.firstSend) {
    if (op.sentAt === null) await op.markSent(ctx.now());
    const sent = await call(op.send);
    if (sent.ok) return op.record(sent.value);
    reason = sent.error;
  }
  const found = await call(op.lookup);
  if (found.ok && found.value) return op.record(found.value);
  if (!found.ok) reason = found.error;
  if (found.ok && age(op.sentAt ?? ctx.now().toISOString(), ctx) >= ctx.settings.graceMs) {
    const again = await call(op.send);
    if (again.ok) return op.record(again.value);
    reason = again.error;
    if (again.refusal) {
      const check = await call(op.lookup);
      if (check.ok && check.value) return op.record(check.value);
      if (check.ok) return op.record(op.failNeverBooked(again.refusal));
    }
  } else if (found.ok) {
    reason = 'the bank has not seen it yet';
  }

  ctx.logger.warn('bank_outcome_unknown', { reference: op.reference, tries: tries + 1, reason });
  if (age(op.createdAt, ctx) >= ctx.settings.reviewAfterMs) await op.overdue();
  const delay = backoffDelay(tries, ctx.settings.backoff);
  await retryJobLater(ctx.db, 'bank_jobs', jobId, ctx, { at: new Date(ctx.now().getTime() + delay), error: reason });
}

/** Runs a bank call; an unknown outcome (or a misconfigured adapter) becomes a value. */
async function call<R>(fn: () => Promise<R>): Promise<Call<R>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    if (error instanceof BankTransportError) return { ok: false, refusal: error.refusal, error: error.message };
    if (error instanceof BankConfigurationError) return { ok: false, error: `misconfigured: ${error.message}` };
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

function age(since: string, ctx: SettleContext): number {
  return ctx.now().getTime() - Date.parse(since);
}
