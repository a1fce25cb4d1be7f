/**
 * What the sandbox bank carries: the currencies it charges in, the amount of one
 * charge (integer minor units, inclusive) and the longest statement text
 * (`description`, in UTF-16 code units, as JavaScript counts `length`).
 * `POST /v1/charges` refuses anything outside them (422, naming the limit) and
 * `GET /v1/limits` publishes them. The wallet's sandbox adapter declares this
 * same constant (`server/adapters/sandbox-bank.ts`), so the two cannot drift.
 *
 * A bank process may be started with other limits (`BANK_LIMITS`, JSON of this
 * shape) to stand in for a narrower bank; its adapter must then be given them too.
 */
import { z } from 'zod';

export interface SandboxBankLimits {
  /** ISO 4217 codes, uppercase. */
  currencies: readonly string[];
  /** One charge's amount in minor units, both ends included. */
  amount: { min: number; max: number };
  /** The longest `description` a charge may carry, in UTF-16 code units. */
  maxDescriptionLength: number;
}

/** Every active ISO 4217 currency a card can be charged in (no funds codes, units of account or metals). */
const ISO_4217_CARD_CURRENCIES = [
  'AED', 'AFN', 'ALL', 'AMD', 'AOA', 'ARS', 'AUD', 'AWG', 'AZN', 'BAM', 'BBD', 'BDT', 'BGN', 'BHD', 'BIF', 'BMD',
  'BND', 'BOB', 'BRL', 'BSD', 'BTN', 'BWP', 'BYN', 'BZD', 'CAD', 'CDF', 'CHF', 'CLP', 'CNY', 'COP', 'CRC', 'CUP',
  'CVE', 'CZK', 'DJF', 'DKK', 'DOP', 'DZD', 'EGP', 'ERN', 'ETB', 'EUR', 'FJD', 'FKP', 'GBP', 'GEL', 'GHS', 'GIP',
  'GMD', 'GNF', 'GTQ', 'GYD', 'HKD', 'HNL', 'HTG', 'HUF', 'IDR', 'ILS', 'INR', 'IQD', 'IRR', 'ISK', 'JMD', 'JOD',
  'JPY', 'KES', 'KGS', 'KHR', 'KMF', 'KPW', 'KRW', 'KWD', 'KYD', 'KZT', 'LAK', 'LBP', 'LKR', 'LRD', 'LSL', 'LYD',
  'MAD', 'MDL', 'MGA', 'MKD', 'MMK', 'MNT', 'MOP', 'MRU', 'MUR', 'MVR', 'MWK', 'MXN', 'MYR', 'MZN', 'NAD', 'NGN',
  'NIO', 'NOK', 'NPR', 'NZD', 'OMR', 'PAB', 'PEN', 'PGK', 'PHP', 'PKR', 'PLN', 'PYG', 'QAR', 'RON', 'RSD', 'RUB',
  'RWF', 'SAR', 'SBD', 'SCR', 'SDG', 'SEK', 'SGD', 'SHP', 'SLE', 'SOS', 'SRD', 'SSP', 'STN', 'SVC', 'SYP', 'SZL',
  'THB', 'TJS', 'TMT', 'TND', 'TOP', 'TRY', 'TTD', 'TWD', 'TZS', 'UAH', 'UGX', 'USD', 'UYU', 'UZS', 'VES', 'VND',
  'VUV', 'WST', 'XAF', 'XCD', 'XOF', 'XPF', 'YER', 'ZAR', 'ZMW', 'ZWG',
] as const;

/** The sandbox bank's own limits, unless it is started with others. */
export const sandboxBankLimits: SandboxBankLimits = Object.freeze({
  currencies: Object.freeze([...ISO_4217_CARD_CURRENCIES]),
  amount: Object.freeze({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  maxDescriptionLength: 500,
});

const minorUnits = z.number().int('expected an integer amount in minor units').positive().max(Number.MAX_SAFE_INTEGER);

export const sandboxBankLimitsSchema = z
  .strictObject({
    currencies: z
      .array(z.string().regex(/^[A-Z]{3}$/, 'expected three uppercase letters (ISO 4217)'))
      .min(1, 'expected at least one currency')
      .refine((codes) => new Set(codes).size === codes.length, 'expected each currency once'),
    amount: z.strictObject({ min: minorUnits, max: minorUnits }).refine((range) => range.min <= range.max, 'expected min <= max'),
    maxDescriptionLength: z.number().int().min(0).max(10_000),
  })
  .readonly();

/** `BANK_LIMITS` (JSON) → limits, or a TypeError naming what was expected and received. */
export function parseSandboxBankLimits(json: string): SandboxBankLimits {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new TypeError(`expected BANK_LIMITS to be JSON ({ currencies, amount: { min, max }, maxDescriptionLength }), received ${json.length} characters that do not parse`);
  }
  const parsed = sandboxBankLimitsSchema.safeParse(value);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'BANK_LIMITS'}: ${issue.message}`).join('; ');
    throw new TypeError(`expected BANK_LIMITS of the shape { currencies, amount: { min, max }, maxDescriptionLength }: ${details}`);
  }
  return parsed.data;
}
