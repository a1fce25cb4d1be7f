import { BankTransportError, type BankAdapter, type ChargeResult } from '../adapters/bank-adapter.ts';
import type { Logger } from '../http/logger.ts';
import type { WalletDb } from '../store/database.ts';
import { recordChargeOutcome, type PaymentAttempt } from './payment-attempts.ts';

export interface ForwardChargeContext {
  db: WalletDb;
  adapter: BankAdapter;
  logger: Logger;
  now: () => Date;
}

export interface ChargeToForward {
  attempt: PaymentAttempt;
  token: string;
  amount: number;
  currency: string;
  description?: string;
}

/**
 * Sends one attempt to the bank with its own reference and idempotency key and
 * records the answer. When the answer is lost (BankTransportError) it asks the
 * bank by reference; when that is unknown too, the attempt stays pending and
 * the reconciler settles it later. Returns the outcome, or `null` when unknown.
 * Calling it again for the same attempt is safe: the bank dedups by reference.
 */
export async function forwardCharge(ctx: ForwardChargeContext, charge: ChargeToForward): Promise<ChargeResult | null> {
  const { attempt } = charge;
  let result: ChargeResult | null;
  try {
    result = await ctx.adapter.charge({
      token: charge.token,
      amount: charge.amount,
      currency: charge.currency,
      reference: attempt.reference,
      idempotencyKey: attempt.idempotency_key,
      ...(charge.description ? { description: charge.description } : {}),
    });
  } catch (error) {
    if (!(error instanceof BankTransportError)) {
      // Misconfiguration: the outcome is unknown as well; leave it to the reconciler and tell the operator.
      ctx.logger.error('bank_charge_failed', { reference: attempt.reference, error: String(error) });
      return null;
    }
    ctx.logger.warn('bank_charge_unknown', { reference: attempt.reference, error: error.message });
    const lookup = await lookupQuietly(ctx, attempt.reference);
    result = lookup.kind === 'found' ? lookup.result : null;
  }
  if (result) await recordChargeOutcome(ctx.db, attempt, result, ctx.now());
  return result;
}

/**
 * What the bank says about one of our references. `unreachable` is not
 * `never_seen`: only the bank saying it never saw a charge allows sending it again.
 */
export type ChargeLookup = { kind: 'found'; result: ChargeResult } | { kind: 'never_seen' } | { kind: 'unreachable' };

/** `lookupCharge`, with any failure to ask meaning "still unknown". */
export async function lookupQuietly(ctx: ForwardChargeContext, reference: string): Promise<ChargeLookup> {
  try {
    const result = await ctx.adapter.lookupCharge(reference);
    return result ? { kind: 'found', result } : { kind: 'never_seen' };
  } catch (error) {
    ctx.logger.warn('bank_lookup_failed', { reference, error: error instanceof Error ? error.message : String(error) });
    return { kind: 'unreachable' };
  }
}
