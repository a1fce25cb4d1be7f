/**
 * Capability `fee_schedule`: what the bank charges per payment, so Paykey can show
 * and reconcile it. Integers only: a fixed part in minor units and a proportional part
 * in basis points (1 bp = 0.01 %); `feeFor` rounds the sum half up to a minor unit.
 */
export type FeePaymentMethod = 'card' | 'account_payment';

export interface FeeScheduleEntry {
  method: FeePaymentMethod;
  /** ISO 4217 code the fee applies to (and is charged in). */
  currency: string;
  /** Per payment, minor units. */
  fixed: number;
  /** Of the amount, in basis points (integer; 150 = 1.5 %). */
  basisPoints: number;
  /**
   * Which payments pay it: `any` (the default), or only `cross_currency` ones — paid in another currency than the
   * card's (a foreign-transaction fee). The fee is charged to the shopper, added to the amount before conversion.
   */
  applies?: 'any' | 'cross_currency';
}

export interface FeeSchedule {
  entries: readonly FeeScheduleEntry[];
}

/** The fee in minor units for one payment of `amount` minor units; `null` when the schedule has no entry for it. */
export function feeFor(schedule: FeeSchedule, method: FeePaymentMethod, currency: string, amount: number): number | null {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new TypeError(`feeFor: expected amount to be a non-negative safe integer (minor units), received ${String(amount)}`);
  }
  const entry = schedule.entries.find((candidate) => candidate.method === method && candidate.currency === currency);
  if (!entry) return null;
  const proportional = (BigInt(amount) * BigInt(entry.basisPoints) * 2n + 10_000n) / 20_000n;
  return entry.fixed + Number(proportional);
}
