/**
 * What a bank can carry, as its adapter declares it (`BankAdapter.limits`):
 * the currencies it charges in, the amount of one charge and the longest
 * statement text. Paykey refuses an intent no configured bank can carry when
 * it is created (422 naming the limit), refuses a card whose bank cannot carry
 * an intent before charging it, and shortens the statement text to the card's
 * bank — so nothing known at creation ever ends as a `failed` payment.
 */
import { z } from 'zod';

/** One charge's amount in minor units, both ends included. */
export interface AmountRange {
  min: number;
  max: number;
}

export interface BankLimits {
  /** ISO 4217 codes (uppercase) the bank charges in. */
  currencies: readonly string[];
  /** Every charge's amount, unless `amountByCurrency` has the currency. */
  amount: AmountRange;
  /** Per-currency ranges, for banks whose limits differ by currency (keys must be in `currencies`). */
  amountByCurrency?: Readonly<Record<string, AmountRange>>;
  /**
   * The longest statement text (`ChargeRequest.description`) the bank takes, in
   * UTF-16 code units (JavaScript's `length`); 0 if it takes none. Longer
   * descriptions are shortened to it (see shorten-statement-text.ts).
   */
  maxDescriptionLength: number;
}

const minorUnits = z.number().int('expected an integer amount in minor units').positive('expected at least 1').max(Number.MAX_SAFE_INTEGER);
const amountRange = z.strictObject({ min: minorUnits, max: minorUnits }).refine((range) => range.min <= range.max, 'expected min <= max');
const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'expected an uppercase ISO 4217 code');

export const bankLimitsSchema = z
  .strictObject({
    currencies: z
      .array(currencyCode)
      .min(1, 'expected at least one currency')
      .refine((codes) => new Set(codes).size === codes.length, 'expected each currency once'),
    amount: amountRange,
    amountByCurrency: z.record(currencyCode, amountRange).optional(),
    maxDescriptionLength: z.number().int('expected an integer').min(0, 'expected 0 or more'),
  })
  .refine(
    (limits) => Object.keys(limits.amountByCurrency ?? {}).every((code) => limits.currencies.includes(code)),
    { message: 'expected amountByCurrency to name only currencies in currencies', path: ['amountByCurrency'] },
  );

/** The adapter's declared limits, checked; a TypeError naming the adapter, what was expected and what was received. */
export function checkBankLimits(adapterId: string, limits: unknown): BankLimits {
  if (limits === undefined) {
    throw new TypeError(
      `bank adapter "${adapterId}": expected limits { currencies, amount: { min, max }, maxDescriptionLength }, received none`,
    );
  }
  const parsed = bankLimitsSchema.safeParse(limits);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => `${['limits', ...issue.path].join('.')}: ${issue.message}`).join('; ');
    throw new TypeError(`bank adapter "${adapterId}": expected well-formed limits; ${details}`);
  }
  return parsed.data;
}

/** The amounts one charge in `currency` may have; `undefined` when the bank does not carry the currency. */
export function amountRangeFor(limits: BankLimits, currency: string): AmountRange | undefined {
  if (!limits.currencies.includes(currency)) return undefined;
  return limits.amountByCurrency?.[currency] ?? limits.amount;
}
