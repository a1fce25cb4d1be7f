import { z } from 'zod';
import type { PaymentIntentJson } from '../payments/payment-intents.ts';
import type { RefundJson } from '../payments/refunds.ts';
import { WEBHOOK_EVENT_TYPES, type WebhookEventBody } from '../webhooks/enqueue-webhook-event.ts';
import type { WebhookEndpointJson } from '../webhooks/webhook-endpoints.ts';
import { sameType } from './same-type.ts';

/**
 * What the merchant API answers, as zod schemas: the OpenAPI document is generated from them, and each is proven
 * (below, by `tsc`) to be the very type the route builds, so neither can change without the other.
 */

// A plain string with a format (not z.iso.datetime): the document says what it is without zod's long pattern.
const timestamp = z.string().meta({ format: 'date-time', description: 'ISO 8601' });
const reason = z.object({ code: z.string(), message: z.string() });

export const paymentStatusSchema = z.enum(['requires_confirmation', 'processing', 'succeeded', 'failed', 'canceled', 'requires_review']);

export const paymentIntentSchema = z.object({
  id: z.string().meta({ description: '`pi_…`' }),
  object: z.literal('payment_intent'),
  amount: z.int().meta({ description: 'Minor units of `currency`' }),
  currency: z.string().meta({ description: 'Uppercase ISO 4217' }),
  status: paymentStatusSchema,
  amount_refunded: z.int().meta({ description: 'Refunds pending or succeeded, in minor units' }),
  client_secret: z.string().optional().meta({ description: 'Only in the answer to the creation: pass it to your checkout page and nowhere else' }),
  description: z.string().nullable(),
  reference: z.string().nullable(),
  created_at: timestamp,
  last_error: reason.nullable().meta({ description: 'The bank\'s decline, while `failed`' }),
  offer: z
    .object({
      id: z.string().meta({ description: "The offer's id" }),
      discount: z.int().meta({ description: 'The instant discount it gave, minor units of `currency` (0 for another kind of offer)' }),
    })
    .optional()
    .meta({
      description:
        'Only when the shopper paid with a bank offer you fund (alone or shared with the bank): its id and discount. A bank-funded offer never appears here, in webhooks or in page events; `amount` is always what you asked',
    }),
});

export const refundSchema = z.object({
  id: z.string(),
  object: z.literal('refund'),
  payment_intent: z.string(),
  amount: z.int(),
  currency: z.string(),
  status: z.enum(['pending', 'succeeded', 'failed']),
  failure: reason.nullable(),
  created_at: timestamp,
});

export const refundListSchema = z.object({ object: z.literal('list'), data: z.array(refundSchema) });
export type RefundList = z.infer<typeof refundListSchema>;

export const webhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);

export const webhookEndpointSchema = z.object({
  id: z.string(),
  object: z.literal('webhook_endpoint'),
  url: z.string(),
  events: z.array(webhookEventTypeSchema),
  secret: z.string().optional().meta({ description: 'The signing secret (`whsec_…`): only in the answer to the creation' }),
  created_at: timestamp,
});

export const webhookEndpointListSchema = z.object({ data: z.array(webhookEndpointSchema) });
export type WebhookEndpointList = z.infer<typeof webhookEndpointListSchema>;

/** The body Paykey POSTs to a webhook endpoint (signed with `Paykey-Signature`). */
export const webhookEventSchema = z.object({
  id: z.string().meta({ description: 'The same on every try: deduplicate by it' }),
  type: webhookEventTypeSchema,
  created: z.int().meta({ description: 'Unix seconds' }),
  data: z.object({ object: z.union([paymentIntentSchema, refundSchema]).meta({ description: 'The object as `GET` shows it (no client secret)' }) }),
});


// `tsc` fails on a line below when a wire type and its schema part ways: change the schema above with the type.
sameType<z.infer<typeof paymentIntentSchema>, PaymentIntentJson>();
sameType<z.infer<typeof refundSchema>, RefundJson>();
sameType<z.infer<typeof webhookEndpointSchema>, WebhookEndpointJson>();
// The queue stores `data.object` untyped; what goes in is a PaymentIntentJson or a RefundJson (tests check the wire).
sameType<Omit<z.infer<typeof webhookEventSchema>, 'data'>, Omit<WebhookEventBody, 'data'>>();
