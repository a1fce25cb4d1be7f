/** zod schemas for money on the wire: integer minor units and an ISO 4217 code. */
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

export const referenceSchema = z.string().min(1).max(200);
