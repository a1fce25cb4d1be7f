import type { Money } from './bank-adapter.ts';
import { amountRangeFor, type BankLimits } from './bank-limits.ts';

/** Why one bank cannot carry a charge: the limit, and what it allows. */
export type LimitBreach =
  | { code: 'currency_not_supported'; currencies: readonly string[] }
  | { code: 'amount_too_small'; min: number }
  | { code: 'amount_too_large'; max: number };

/** The limit `money` breaks at a bank with these limits; `null` when the bank carries it. */
export function limitBreach(limits: BankLimits, money: Money): LimitBreach | null {
  const range = amountRangeFor(limits, money.currency);
  if (!range) return { code: 'currency_not_supported', currencies: limits.currencies };
  if (money.amount < range.min) return { code: 'amount_too_small', min: range.min };
  if (money.amount > range.max) return { code: 'amount_too_large', max: range.max };
  return null;
}
