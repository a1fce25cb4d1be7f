/**
 * Merchant categories: the ISO 18245 merchant category code (MCC) a merchant is configured with, grouped into the few
 * categories the shopper's spending summary shows. Shared by the server (summary) and the frame (labels in en/zh-CN).
 */
export const MERCHANT_CATEGORIES = ['groceries', 'dining', 'clothing', 'home', 'travel', 'electronics', 'other'] as const;
export type MerchantCategory = (typeof MERCHANT_CATEGORIES)[number];

/** MCC ranges (inclusive) per category; anything else is `other`. */
const RANGES: readonly [from: number, to: number, category: MerchantCategory][] = [
  [5411, 5411, 'groceries'],
  [5422, 5499, 'groceries'],
  [5811, 5814, 'dining'],
  [5611, 5699, 'clothing'],
  [5712, 5719, 'home'],
  [5200, 5261, 'home'],
  [3000, 3350, 'travel'],
  [4511, 4511, 'travel'],
  [7011, 7011, 'travel'],
  [5732, 5734, 'electronics'],
];

/** The category of a four-digit MCC ("5499" → groceries). */
export function categoryOfMcc(mcc: string): MerchantCategory {
  if (!/^\d{4}$/.test(mcc)) return 'other';
  const code = Number(mcc);
  return RANGES.find(([from, to]) => code >= from && code <= to)?.[2] ?? 'other';
}

/** Whether `value` is a well-formed MCC: exactly four digits. */
export function isMcc(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}$/.test(value);
}
