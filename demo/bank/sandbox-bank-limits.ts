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
import { acceptedCurrencies } from '../../server/payments/money.ts';

export interface SandboxBankLimits {
  /** ISO 4217 codes, uppercase. */
  currencies: readonly string[];
  /** One charge's amount in minor units, both ends included. */
  amount: { min: number; max: number };
  /** The longest `description` a charge may carry, in UTF-16 code units. */
  maxDescriptionLength: number;
}


/** The sandbox bank's own limits, unless it is started with others. */
export const sandboxBankLimits: SandboxBankLimits = Object.freeze({
  // Every active ISO 4217 currency a card can be charged in: the wallet's one minor-unit table (no funds codes or metals).
  currencies: Object.freeze(acceptedCurrencies()),
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
