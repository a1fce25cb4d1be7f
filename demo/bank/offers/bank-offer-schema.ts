/** The wire shape of a catalogue entry (`POST /sandbox/offers/catalog { offers }`): a `BankOffer`, checked whole. */
import { z } from 'zod';
import { amountSchema, currencySchema } from '../http/money-schema.ts';
import type { BankOffer } from './bank-offer.ts';

const basisPoints = z.number().int().min(0).max(10_000);
const localized = z.strictObject({ en: z.string().min(1).max(2_000), 'zh-CN': z.string().min(1).max(2_000) });

const ruleSchema = z.discriminatedUnion('type', [
  z
    .strictObject({ type: z.literal('fixed_discount'), currency: currencySchema, minAmount: amountSchema, discount: amountSchema })
    .refine((rule) => rule.discount < rule.minAmount, 'expected discount to be less than minAmount (a discount never reaches the whole payment)'),
  z.strictObject({ type: z.literal('percent_discount'), currency: currencySchema, minAmount: amountSchema, basisPoints: basisPoints.max(9_999), cap: amountSchema }),
  z.strictObject({ type: z.literal('percent_cashback'), currency: currencySchema, minAmount: amountSchema, basisPoints, cap: amountSchema }),
  z.strictObject({
    type: z.literal('instalments'),
    currency: currencySchema,
    minAmount: amountSchema,
    count: z.number().int().min(2).max(60),
    feeBasisPoints: basisPoints,
    aprBasisPoints: z.number().int().min(0).max(100_000),
  }),
]);

const codes = (pattern: RegExp) => z.array(z.string().regex(pattern)).max(100).optional();

export const bankOfferSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a lowercase id of letters, digits and dashes'),
  version: z.number().int().min(1).max(1_000_000),
  rule: ruleSchema,
  match: z.strictObject({ mccs: codes(/^\d{4}$/), countries: codes(/^[A-Z]{2}$/), merchantIds: z.array(z.string().min(1).max(200)).max(100).optional() }),
  personalized: z.boolean(),
  fundedBy: z.enum(['bank', 'merchant', 'shared']),
  refundPolicy: z.enum(['revoke_on_any_refund', 'revoke_on_full_refund']),
  title: localized,
  terms: localized,
  budget: z.number().int().min(0).max(1_000_000_000),
  endsAt: z.iso.datetime({ offset: true }).nullable().optional(),
}) satisfies z.ZodType<BankOffer>;

export const bankCatalogSchema = z
  .strictObject({ offers: z.array(bankOfferSchema).max(100) })
  .refine(({ offers }) => new Set(offers.map((offer) => offer.id)).size === offers.length, 'expected each offer id once');
