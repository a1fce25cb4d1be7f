import type { AppDeps } from '../app.ts';
import { forwardCharge, lookupQuietly } from './forward-charge.ts';
import { pendingPaymentAttempts, recordChargeOutcome, type PaymentAttempt } from './payment-attempts.ts';

export interface ReconcileOptions {
  /**
   * How long an attempt the bank has never seen may be in flight before we
   * re-send it. Re-sending uses the same reference and idempotency key, so it
   * can never charge twice; the grace only avoids racing a slow first call.
   */
  graceMs: number;
}

type ReconcileDeps = Pick<AppDeps, 'db' | 'banks' | 'logger' | 'now'>;

/**
 * Settles payments whose bank answer was lost: asks the bank by reference
 * and records what it says; if the bank says it never saw the charge, re-sends
 * the same charge (same reference and idempotency key), never a new one. When
 * the bank cannot be asked, nothing is sent. One attempt that fails to settle
 * does not hold up the others.
 */
export async function reconcilePayments(deps: ReconcileDeps, options: ReconcileOptions): Promise<void> {
  for (const attempt of await pendingPaymentAttempts(deps.db)) {
    try {
      await reconcileAttempt(deps, options, attempt);
    } catch (error) {
      deps.logger.error('reconcile_attempt_failed', { reference: attempt.reference, error: messageOf(error) });
    }
  }
}

async function reconcileAttempt(deps: ReconcileDeps, options: ReconcileOptions, attempt: PaymentAttempt): Promise<void> {
  const card = await deps.db.selectFrom('cards').selectAll().where('id', '=', attempt.card_id).executeTakeFirstOrThrow();
  const intent = await deps.db.selectFrom('payment_intents').selectAll().where('id', '=', attempt.intent_id).executeTakeFirstOrThrow();
  const ctx = { db: deps.db, adapter: deps.banks.get(card.bank), logger: deps.logger, now: deps.now };

  const lookup = await lookupQuietly(ctx, attempt.reference);
  if (lookup.kind === 'found') {
    await recordChargeOutcome(deps.db, attempt, lookup.result, deps.now());
    deps.logger.info('payment_reconciled', { reference: attempt.reference, status: lookup.result.status });
    return;
  }
  if (lookup.kind === 'unreachable') return;
  if (Date.parse(attempt.created_at) + options.graceMs > deps.now().getTime()) return;
  const resent = await forwardCharge(ctx, {
    attempt,
    token: card.bank_token,
    amount: intent.amount,
    currency: intent.currency,
    description: intent.description ?? undefined,
  });
  deps.logger.info('payment_resent', { reference: attempt.reference, status: resent?.status ?? 'unknown' });
}

/** A periodic job; a failure is logged and the next tick tries again. */
export type HousekeepingJob = (deps: ReconcileDeps) => Promise<void>;

/**
 * Every `intervalMs` until stopped: reconciles payments, then runs each
 * housekeeping job (pruning expired rows). Each step is isolated, so one
 * failing never skips the others.
 */
export function startReconciler(
  deps: ReconcileDeps,
  options: ReconcileOptions & { intervalMs: number; housekeeping?: Record<string, HousekeepingJob> },
) {
  const steps: Array<[string, () => Promise<void>]> = [
    ['reconcile_payments', () => reconcilePayments(deps, options)],
    ...Object.entries(options.housekeeping ?? {}).map(([name, job]): [string, () => Promise<void>] => [name, () => job(deps)]),
  ];
  let running: Promise<void> | undefined;
  const tick = () => {
    running ??= (async () => {
      for (const [step, run] of steps) {
        try {
          await run();
        } catch (error) {
          deps.logger.error('reconcile_failed', { step, error: messageOf(error) });
        }
      }
      running = undefined;
    })();
    return running;
  };
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  return {
    /** One pass now (tests, and shutdown-free operation). */
    runOnce: tick,
    async stop(): Promise<void> {
      clearInterval(timer);
      await running;
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
