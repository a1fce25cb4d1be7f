import { z } from 'zod';
import type { PaymentTerms, QuoteResponse } from '../../widget/shopper-api.ts';
import { appliedOfferSchema } from './offer-schemas.ts';
import { sameType } from './same-type.ts';

/** `POST /api/frame/quotes`: the terms of paying with one card (widget/shopper-api.ts `PaymentTerms`). */
export const paymentTermsSchema = z.object({
  quoteId: z.string().meta({ description: 'Ours (`quo_…`): send it as `quote_id` to `POST /api/frame/confirmations/options`' }),
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

export const quoteResponseSchema = z.object({ terms: paymentTermsSchema });

// `tsc` fails here when the wire type and its schema part ways.
sameType<z.infer<typeof paymentTermsSchema>, PaymentTerms>();
sameType<z.infer<typeof quoteResponseSchema>, QuoteResponse>();
