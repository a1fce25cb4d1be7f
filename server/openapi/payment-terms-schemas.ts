import { z } from 'zod';
import type { PaymentTerms, QuoteResponse } from '../../widget/shopper-api.ts';
import { passkeyOptionsResponseSchema } from './frame-api-schemas.ts';
import { appliedOfferSchema } from './offer-schemas.ts';
import { sameType } from './same-type.ts';

/** `POST /api/frame/quotes`: the terms of paying with one card (widget/shopper-api.ts `PaymentTerms`). */
export const paymentTermsSchema = z.object({
  quoteId: z.string().meta({ description: 'Ours (`quo_…`): bound into `confirmation`, or sent as `quote_id` to `POST /api/frame/confirmations/options` for another challenge' }),
  cardId: z.string(),
  amount: z.int().meta({ description: "The payment's amount in minor units of `currency` (what the merchant is paid)" }),
  currency: z.string(),
  fee: z.int().meta({ description: "Fee charged to the shopper by their bank, minor units of `currency` (0: none)" }),
  fx: z
    .object({
      rate: z.string().meta({ description: 'Units of the card\'s currency per unit of the payment\'s, exact: "7.1234" is `1 USD = 7.1234 CNY`' }),
      source: z.string().meta({ description: 'Whose rate it is' }),
    })
    .nullable()
    .meta({ description: "Present when the card's currency differs from the payment's" }),
  debit: z.object({ amount: z.int(), currency: z.string(), currencyDigits: z.int() }).meta({ description: 'What the card is debited: amount + fee, converted when `fx` is set' }),
  expiresAt: z.string().meta({ format: 'date-time', description: 'After it the quote is void (409 `quote_expired`): ask for new terms' }),
  offer: appliedOfferSchema.nullable().meta({ description: 'The bank offer applied and signed with the payment; null: none' }),
});

export const quoteResponseSchema = z.object({
  terms: paymentTermsSchema,
  confirmation: passkeyOptionsResponseSchema
    .extend({ expiresAt: z.string().meta({ format: 'date-time', description: 'After it the challenge is void: ask `POST /api/frame/confirmations/options` for another' }) })
    .nullable()
    .meta({
      description:
        "A challenge bound to these terms (amount, currency, payee, card, fee, rate, debit), usable once: sign it and send it to `POST /api/frame/confirmations`, with no `POST /api/frame/confirmations/options` first. Null when this card's bank cannot carry the debit (that request then says why)",
    }),
});

// `tsc` fails here when the wire type and its schema part ways.
sameType<z.infer<typeof paymentTermsSchema>, PaymentTerms>();
// The challenge's `options` is an open object (as for every passkey prompt, frame-api-schemas.ts): compared without it.
type WithoutOptions<T> = { [K in keyof T]: T[K] extends { options: unknown } | null ? (Omit<NonNullable<T[K]>, 'options'> | Extract<T[K], null>) : T[K] };
sameType<WithoutOptions<z.infer<typeof quoteResponseSchema>>, WithoutOptions<QuoteResponse>>();
