/**
 * What one offer is worth on one payment, as the `OfferValue` Paykey reads — or `null` when it does not apply to this
 * amount and currency. The arithmetic is checked by `offerEffect` (server/adapters/bank-offers.ts), the one place an
 * offer's effect is computed: a value it refuses is never quoted. Integers only (BigInt for the shares).
 */
import { offerEffect, type OfferValue } from '../../../server/adapters/bank-offers.ts';
import type { OfferRule } from './bank-offer.ts';

export interface CashbackTiming {
  /** When the payment would be charged (now, for a quote). */
  chargedAt: Date;
  /** How long after the charge the bank credits cashback. */
  creditDelayMs: number;
}

/** Cashback is promised by the credit time plus this much (the "latest" in `expectedBy`). */
export const CASHBACK_MARGIN_MS = 5_000;

export function offerValueFor(rule: OfferRule, amount: number, currency: string, timing: CashbackTiming): OfferValue | null {
  if (currency !== rule.currency || amount < rule.minAmount) return null;
  const value = valueOf(rule, amount, timing);
  if (value === null) return null;
  try {
    offerEffect(amount, value);
    return value;
  } catch {
    return null;
  }
}

/** The date cashback is expected by when charged at `chargedAt`: the credit time plus a margin, whole seconds up. */
export function cashbackExpectedBy({ chargedAt, creditDelayMs }: CashbackTiming): string {
  const latest = chargedAt.getTime() + creditDelayMs + CASHBACK_MARGIN_MS;
  return new Date(Math.ceil(latest / 1_000) * 1_000).toISOString();
}

function valueOf(rule: OfferRule, amount: number, timing: CashbackTiming): OfferValue | null {
  switch (rule.type) {
    case 'fixed_discount':
      return rule.discount < amount ? { kind: 'instant_discount', discount: rule.discount } : null;
    case 'percent_discount': {
      const discount = Math.min(rule.cap, share(amount, rule.basisPoints));
      return discount >= 1 && discount < amount ? { kind: 'instant_discount', discount } : null;
    }
    case 'percent_cashback': {
      const cashback = Math.min(rule.cap, share(amount, rule.basisPoints));
      return cashback >= 1 ? { kind: 'cashback', cashback, expectedBy: cashbackExpectedBy(timing) } : null;
    }
    case 'instalments': {
      const totalFees = share(amount, rule.feeBasisPoints);
      const total = amount + totalFees;
      const perInstalment = Math.floor(total / rule.count);
      if (perInstalment < 1) return null;
      // The first instalment takes the rounding remainder, so the plan adds up to the total exactly.
      const firstInstalment = total - perInstalment * (rule.count - 1);
      return { kind: 'instalments', count: rule.count, firstInstalment, perInstalment, totalFees, aprBasisPoints: rule.aprBasisPoints };
    }
  }
}

/** `basisPoints` of `amount`, rounded down to a minor unit. */
function share(amount: number, basisPoints: number): number {
  return Number((BigInt(amount) * BigInt(basisPoints)) / 10_000n);
}

/** Whether two values of one offer are the same deal (a cashback's `expectedBy` moves with the clock; its amount may not). */
export function sameOfferValue(a: OfferValue, b: OfferValue): boolean {
  if (a.kind === 'cashback' && b.kind === 'cashback') return a.cashback === b.cashback;
  return JSON.stringify(normalized(a)) === JSON.stringify(normalized(b));
}

function normalized(value: OfferValue): unknown {
  switch (value.kind) {
    case 'instant_discount':
      return [value.kind, value.discount];
    case 'cashback':
      return [value.kind, value.cashback];
    case 'instalments':
      return [value.kind, value.count, value.firstInstalment, value.perInstalment, value.totalFees, value.aprBasisPoints];
  }
}
