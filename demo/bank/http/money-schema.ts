/** zod schemas for money on the wire: integer minor units and an ISO 4217 code; and for the text beside it. */
import { z } from 'zod';

const currencies = new Set(Intl.supportedValuesOf('currency'));

export const amountSchema = z
  .number()
  .int('expected an integer amount in minor units')
  .positive()
  .max(Number.MAX_SAFE_INTEGER);

export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'expected three uppercase letters (ISO 4217)')
  .refine((code) => currencies.has(code), 'expected a known ISO 4217 currency code');

/** Text the bank stores and shows (names, references, descriptions): no NUL, which no legitimate text holds. */
export const textSchema = () => z.string().refine((text) => !text.includes('\0'), 'expected text without NUL (\\u0000) characters, received one');

export const referenceSchema = textSchema().min(1).max(200);
