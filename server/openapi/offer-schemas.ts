import { z } from 'zod';
import type {
  AppliedOffer,
  CardOffers,
  OfferEffectView,
  OfferSettings,
  OffersResponse,
  OfferValueView,
  OfferView,
  PaymentOptionCost,
  ReceiptOffer,
  SpendingSummaryResponse,
} from '../../widget/shopper-api.ts';
import { sameType } from './same-type.ts';

/** Wire schemas of bank offers (widget/shopper-api.ts): offers, costs, the shopper's switches, receipts, the spending summary. */
const minor = (description: string) => z.int().meta({ description: `${description}, minor units of the payment's currency` });

export const offerValueSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('instant_discount'), discount: minor('Off the amount, charged now') }),
    z.object({ kind: z.literal('cashback'), cashback: minor('Credited to the card later'), expectedBy: z.string().meta({ format: 'date-time' }) }),
    z.object({
      kind: z.literal('instalments'),
      count: z.int(),
      firstInstalment: minor('Paid now'),
      perInstalment: minor('Each later instalment'),
      totalFees: minor('Fees of the plan in all (0: interest-free)'),
      aprBasisPoints: z.int().meta({ description: 'Annual percentage rate in basis points (0: interest-free)' }),
    }),
  ])
  .meta({ description: "The offer's value for this payment" });

export const offerEffectSchema = z
  .object({ charged: minor('Charged to the card'), dueNow: minor('Paid now'), comesBackLater: minor('Cashback expected later'), planFees: minor('Instalment fees') })
  .meta({ description: 'What paying with the offer means (before any bank fee and conversion)' });

const offerCommon = {
  offerId: z.string(),
  version: z.int(),
  kind: z.enum(['instant_discount', 'cashback', 'instalments']),
  personalized: z.boolean().meta({ description: "Chosen by the bank from the shopper's spending there" }),
  fundedBy: z.enum(['bank', 'merchant', 'shared']),
  title: z.string(),
  terms: z.string(),
  value: offerValueSchema,
  effect: offerEffectSchema,
  refundPolicy: z.enum(['revoke_on_any_refund', 'revoke_on_full_refund']),
  expiresAt: z.string().meta({ format: 'date-time', description: "How long the bank's quote of the offer holds (the wallet renews it); not the offer's end" }),
  endsAt: z
    .string()
    .nullable()
    .meta({ format: 'date-time', description: 'When the offer itself ends (its campaign); null: the bank announces no end' }),
};

export const offerViewSchema = z.object({ ...offerCommon, cardId: z.string(), bank: z.string() });
export const appliedOfferSchema = z.object({ ...offerCommon, termsHash: z.string().meta({ description: "sha256 hex of the offer's full terms, signed" }) });

export const paymentOptionCostSchema = z.object({
  offerId: z.string().nullable().meta({ description: 'The offer applied; null: in full without one' }),
  charged: z.int(),
  dueNow: z.int(),
  fee: z.int(),
  comesBackLater: z.int(),
  net: z.int().meta({ description: 'charged + fee − comesBackLater' }),
  estimate: z.boolean().meta({ description: 'Part of it (cashback) is expected, not certain' }),
});

export const cardOffersSchema = z.object({
  cardId: z.string(),
  answered: z.boolean().meta({ description: 'False: the bank did not answer within 800 ms; no offers for this payment' }),
  offers: z.array(offerViewSchema),
  costs: z.array(paymentOptionCostSchema),
  crossCurrency: z.boolean(),
});

export const offerSettingsSchema = z.object({
  general: z.boolean().meta({ description: '"Offers for everyone with this card" (on by default)' }),
  personalized: z.boolean().meta({ description: '"Offers chosen from my spending at my bank" (off until turned on)' }),
});

export const offersResponseSchema = z.object({ cards: z.array(cardOffersSchema), settings: offerSettingsSchema });

export const receiptOfferSchema = z.object({
  offerId: z.string(),
  kind: z.enum(['instant_discount', 'cashback', 'instalments']),
  title: z.string(),
  personalized: z.boolean(),
  value: offerValueSchema,
  effect: offerEffectSchema,
  status: z.enum(['applied', 'revoked']),
  cashback: z.object({ amount: z.int(), expectedBy: z.string(), creditedAt: z.string().nullable() }).nullable(),
});

export const spendingSummaryResponseSchema = z.object({
  month: z.string().meta({ description: 'UTC month, "2026-12"' }),
  method: z.literal('linear_daily_average'),
  daysElapsed: z.int(),
  daysInMonth: z.int(),
  totals: z.array(
    z.object({
      currency: z.string(),
      currencyDigits: z.int(),
      spent: z.int(),
      projected: z.int(),
      byCategory: z.array(z.object({ category: z.string(), amount: z.int() })),
    }),
  ),
});

// `tsc` fails here when a wire type and its schema part ways.
sameType<z.infer<typeof offerValueSchema>, OfferValueView>();
sameType<z.infer<typeof offerEffectSchema>, OfferEffectView>();
sameType<z.infer<typeof offerViewSchema>, OfferView>();
sameType<z.infer<typeof appliedOfferSchema>, AppliedOffer>();
sameType<z.infer<typeof paymentOptionCostSchema>, PaymentOptionCost>();
sameType<z.infer<typeof cardOffersSchema>, CardOffers>();
sameType<z.infer<typeof offerSettingsSchema>, OfferSettings>();
sameType<z.infer<typeof offersResponseSchema>, OffersResponse>();
sameType<z.infer<typeof receiptOfferSchema>, ReceiptOffer>();
sameType<z.infer<typeof spendingSummaryResponseSchema>, SpendingSummaryResponse>();
