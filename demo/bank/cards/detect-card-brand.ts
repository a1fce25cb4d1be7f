/**
 * The card network from the number's leading digits (IIN ranges). The brand names
 * match `CardBrand` in `server/adapters/bank-adapter.ts`.
 */
export type DetectedCardBrand = 'visa' | 'mastercard' | 'amex' | 'discover' | 'jcb' | 'unionpay' | 'unknown';

export function detectCardBrand(digits: string): DetectedCardBrand {
  const prefix = (length: number) => Number(digits.slice(0, length));
  if (/^4/.test(digits)) return 'visa';
  if (/^3[47]/.test(digits)) return 'amex';
  if (between(prefix(2), 51, 55) || between(prefix(4), 2221, 2720)) return 'mastercard';
  if (/^6011/.test(digits) || between(prefix(3), 644, 649) || /^65/.test(digits)) return 'discover';
  if (between(prefix(4), 3528, 3589)) return 'jcb';
  if (/^62/.test(digits)) return 'unionpay';
  return 'unknown';
}

function between(value: number, low: number, high: number): boolean {
  return value >= low && value <= high;
}
