import type { AppDeps } from '../app.ts';
import { pruneIdempotencyKeys } from './idempotency.ts';
import { forwardCharge, lookupQuietly } from './forward-charge.ts';
import { pendingPaymentAttempts, recordChargeOutcome } from './payment-attempts.ts';

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
 * and records what it says; if the bank never saw the charge, re-sends the
 * same charge (same reference and idempotency key) — never a new one.
 */
export async function reconcilePayments(deps: ReconcileDeps, options: ReconcileOptions): Promise<void> {
  for (const attempt of await pendingPaymentAttempts(deps.db)) {
    const card = await deps.db.selectFrom('cards').selectAll().where('id', '=', attempt.card_id).executeTakeFirstOrThrow();
    const intent = await deps.db.selectFrom('payment_intents').selectAll().where('id', '=', attempt.intent_id).executeTakeFirstOrThrow();
    const ctx = { db: deps.db, adapter: deps.banks.get(card.bank), logger: deps.logger, now: deps.now };

    const known = await lookupQuietly(ctx, attempt.reference);
    if (known) {
      await recordChargeOutcome(deps.db, attempt, known, deps.now());
      deps.logger.info('payment_reconciled', { reference: attempt.reference, status: known.status });
      continue;
    }
    if (Date.parse(attempt.created_at) + options.graceMs > deps.now().getTime()) continue;
    const resent = await forwardCharge(ctx, {
      attempt,
      token: card.bank_token,
      amount: intent.amount,
      currency: intent.currency,
      description: intent.description ?? undefined,
    });
    deps.logger.info('payment_resent', { reference: attempt.reference, status: resent?.status ?? 'unknown' });
  }
}

/** Runs `reconcilePayments` (and idempotency-key pruning) every `intervalMs` until stopped. */
export function startReconciler(deps: ReconcileDeps, options: ReconcileOptions & { intervalMs: number }) {
  let running: Promise<void> | undefined;
  const tick = () => {
    running ??= (async () => {
      try {
        await reconcilePayments(deps, options);
        await pruneIdempotencyKeys(deps.db, deps.now());
      } catch (error) {
        deps.logger.error('reconcile_failed', { error: error instanceof Error ? error.message : String(error) });
      } finally {
        running = undefined;
      }
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
