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

/** Whether the payment is in another currency than the card's (`cross_currency` entries apply only then). */
export interface FeeScope {
  crossCurrency: boolean;
}

/**
 * The fee in minor units for one payment of `amount` minor units: the sum of every entry for this method and
 * currency that applies to it (an `any` entry always, a `cross_currency` one only when `scope.crossCurrency`);
 * `null` when no entry applies.
 */
export function feeFor(
  schedule: FeeSchedule,
  method: FeePaymentMethod,
  currency: string,
  amount: number,
  scope: FeeScope = { crossCurrency: false },
): number | null {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new TypeError(`feeFor: expected amount to be a non-negative safe integer (minor units), received ${String(amount)}`);
  }
  const entries = schedule.entries.filter(
    (candidate) =>
      candidate.method === method &&
      candidate.currency === currency &&
      ((candidate.applies ?? 'any') === 'any' || (candidate.applies === 'cross_currency' && scope.crossCurrency)),
  );
  if (entries.length === 0) return null;
  let fee = 0n;
  for (const entry of entries) {
    if (!Number.isSafeInteger(entry.fixed) || entry.fixed < 0 || !Number.isSafeInteger(entry.basisPoints) || entry.basisPoints < 0) {
      throw new TypeError(
        `feeFor: expected fixed and basisPoints to be non-negative safe integers, received ${String(entry.fixed)} and ${String(entry.basisPoints)}`,
      );
    }
    fee += BigInt(entry.fixed) + (BigInt(amount) * BigInt(entry.basisPoints) * 2n + 10_000n) / 20_000n;
  }
  if (fee > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`feeFor: expected a fee of at most ${Number.MAX_SAFE_INTEGER} minor units, received ${fee}`);
  return Number(fee);
}
