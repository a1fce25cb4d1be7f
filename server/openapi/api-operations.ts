import type { z } from 'zod';
import { createPaymentIntentBody, emptyBody, refundBody } from '../routes/merchant-api.ts';
import {
  bankPaymentOptionsBody,
  checkoutBody,
  confirmBody,
  confirmOptionsBody,
  registrationBody,
  registrationOptionsBody,
  signInBody,
} from '../routes/shopper-api.ts';
import { addCardBody } from '../routes/shopper-card-routes.ts';
import { paymentListQuery, spendingSummaryQuery } from '../routes/shopper-payments-routes.ts';
// Spending summary (helper receipt-ui).
import { spendingSummaryResponseSchema } from './offer-schemas.ts';
import { createWebhookEndpointBody } from '../webhooks/webhook-endpoint-routes.ts';
import { quoteBody } from '../routes/quote-routes.ts';
// Bank offers and the shopper's offer switches (helper server-offers).
import { offerSettingsBody, offersBody } from '../routes/offer-routes.ts';
import { offerSettingsSchema, offersResponseSchema } from './offer-schemas.ts';
import { quoteResponseSchema } from './payment-terms-schemas.ts';
import {
  addCardResponseSchema,
  bankPaymentResponseSchema,
  cardListResponseSchema,
  checkoutViewSchema,
  brandsViewSchema,
  confirmResponseSchema,
  passkeyOptionsResponseSchema,
  paymentListResponseSchema,
  receiptResponseSchema,
  registrationOptionsResponseSchema,
  sessionResponseSchema,
} from './frame-api-schemas.ts';
import { paymentIntentSchema, refundListSchema, refundSchema, webhookEndpointListSchema, webhookEndpointSchema } from './merchant-api-schemas.ts';

/**
 * How a caller proves who it is: the merchant's secret key, the frame's session token, the payment's client secret
 * in the body (no OpenAPI security scheme can say "a body member", so the document says it in words), or the
 * client secret with a session when the shopper is signed in; or none, for an answer with nothing of a shopper,
 * payment or merchant in it (the card banks' brands).
 */
export type ApiAuth = 'secret_key' | 'session' | 'client_secret' | 'client_secret_and_optional_session' | 'public';

export interface ApiOperation {
  method: 'get' | 'post' | 'put' | 'delete';
  /** As the route is registered on the app (Hono's `:param` syntax). */
  path: string;
  operationId: string;
  tag: 'Merchant API' | 'Frame API';
  summary: string;
  description?: string;
  auth: ApiAuth;
  /** The route honours `Idempotency-Key`. */
  idempotencyKey?: boolean;
  /** The very schema the route parses its body with; `optional` when an empty body means `{}`. */
  body?: { schema: z.ZodType; optional?: boolean };
  /** The very schema the route parses its query string with (an object of optional string parameters). */
  query?: z.ZodObject;
  success: { status: 200 | 201 | 204; description: string; schema?: z.ZodType };
}

/** Every operation of the merchant API (`/v1`) and the frame's API (`/api/frame`). A test keeps it equal to the app's routes. */
export const API_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'post',
    path: '/v1/payment_intents',
    operationId: 'createPaymentIntent',
    tag: 'Merchant API',
    summary: 'Create a payment intent',
    description: 'Nothing is created when no bank of yours carries the amount and currency (422 `currency_not_supported`, `amount_too_small`, `amount_too_large`).',
    auth: 'secret_key',
    idempotencyKey: true,
    body: { schema: createPaymentIntentBody },
    success: { status: 201, description: 'The new intent, with its `client_secret` for your checkout page', schema: paymentIntentSchema },
  },
  {
    method: 'get',
    path: '/v1/payment_intents/:id',
    operationId: 'getPaymentIntent',
    tag: 'Merchant API',
    summary: 'Retrieve a payment intent',
    description: 'Never ship goods on the browser\'s word: ask here (or take the webhook).',
    auth: 'secret_key',
    success: { status: 200, description: 'The intent (no client secret)', schema: paymentIntentSchema },
  },
  {
    method: 'post',
    path: '/v1/payment_intents/:id/cancel',
    operationId: 'cancelPaymentIntent',
    tag: 'Merchant API',
    summary: 'Cancel a payment intent nobody paid yet',
    description: 'Only `requires_confirmation` or `failed`; otherwise 409 `payment_intent_unexpected_state`.',
    auth: 'secret_key',
    idempotencyKey: true,
    body: { schema: emptyBody, optional: true },
    success: { status: 200, description: 'The intent, now `canceled`', schema: paymentIntentSchema },
  },
  {
    method: 'post',
    path: '/v1/payment_intents/:id/refunds',
    operationId: 'createRefund',
    tag: 'Merchant API',
    summary: 'Refund a succeeded payment, in full or in part',
    description: 'Refunds never add up to more than was captured (422 `amount_too_large`). The answer tells where the refund stands now; `refund.succeeded` / `refund.failed` tells the end.',
    auth: 'secret_key',
    idempotencyKey: true,
    body: { schema: refundBody, optional: true },
    success: { status: 201, description: 'The refund: `pending`, `succeeded` or `failed`', schema: refundSchema },
  },
  {
    method: 'get',
    path: '/v1/payment_intents/:id/refunds',
    operationId: 'listRefunds',
    tag: 'Merchant API',
    summary: "List a payment intent's refunds",
    auth: 'secret_key',
    success: { status: 200, description: 'Every refund of the intent', schema: refundListSchema },
  },
  {
    method: 'post',
    path: '/v1/webhook_endpoints',
    operationId: 'createWebhookEndpoint',
    tag: 'Merchant API',
    summary: 'Register a webhook endpoint',
    description: 'The signing `secret` is shown only in this answer (and a replay of it).',
    auth: 'secret_key',
    idempotencyKey: true,
    body: { schema: createWebhookEndpointBody },
    success: { status: 201, description: 'The endpoint, with its signing secret', schema: webhookEndpointSchema },
  },
  {
    method: 'get',
    path: '/v1/webhook_endpoints',
    operationId: 'listWebhookEndpoints',
    tag: 'Merchant API',
    summary: 'List your webhook endpoints',
    auth: 'secret_key',
    success: { status: 200, description: 'Every endpoint, without secrets', schema: webhookEndpointListSchema },
  },
  {
    method: 'delete',
    path: '/v1/webhook_endpoints/:id',
    operationId: 'deleteWebhookEndpoint',
    tag: 'Merchant API',
    summary: 'Delete a webhook endpoint',
    description: 'Nothing more is sent to it, pending retries included.',
    auth: 'secret_key',
    success: { status: 204, description: 'Deleted' },
  },
  {
    method: 'post',
    path: '/api/frame/checkout',
    operationId: 'getCheckout',
    tag: 'Frame API',
    summary: 'What the confirm screen shows',
    auth: 'client_secret',
    body: { schema: checkoutBody },
    success: { status: 200, description: 'The payment as the shopper sees it (the brands: `GET /api/frame/brands`)', schema: checkoutViewSchema },
  },
  {
    method: 'get',
    path: '/api/frame/brands',
    operationId: 'getBankBrands',
    tag: 'Frame API',
    summary: "The operator's brand and every card bank's",
    description: 'No authorization: nothing of a shopper or payment is in it. Cacheable for 5 minutes (`Cache-Control: public, max-age=300`), then revalidated by its strong `ETag` (`If-None-Match` → 304).',
    auth: 'public',
    success: { status: 200, description: "The operator's and the card banks' logos, colours and names", schema: brandsViewSchema },
  },
  {
    method: 'post',
    path: '/api/frame/registrations/options',
    operationId: 'startPasskeyRegistration',
    tag: 'Frame API',
    summary: 'Start creating a passkey (a new shopper)',
    auth: 'client_secret',
    body: { schema: registrationOptionsBody },
    success: { status: 200, description: 'A challenge and the options for navigator.credentials.create', schema: registrationOptionsResponseSchema },
  },
  {
    method: 'post',
    path: '/api/frame/registrations',
    operationId: 'finishPasskeyRegistration',
    tag: 'Frame API',
    summary: 'Finish creating a passkey: the shopper is signed in',
    auth: 'client_secret',
    body: { schema: registrationBody },
    success: { status: 201, description: 'A session', schema: sessionResponseSchema },
  },
  {
    method: 'post',
    path: '/api/frame/sessions/options',
    operationId: 'startPasskeySignIn',
    tag: 'Frame API',
    summary: 'Start signing in with a passkey',
    auth: 'client_secret',
    body: { schema: checkoutBody },
    success: { status: 200, description: 'A challenge and the options for navigator.credentials.get', schema: passkeyOptionsResponseSchema },
  },
  {
    method: 'post',
    path: '/api/frame/sessions',
    operationId: 'finishPasskeySignIn',
    tag: 'Frame API',
    summary: 'Finish signing in with a passkey',
    auth: 'client_secret',
    body: { schema: signInBody },
    success: { status: 201, description: 'A session', schema: sessionResponseSchema },
  },
  {
    method: 'get',
    path: '/api/frame/cards',
    operationId: 'listCards',
    tag: 'Frame API',
    summary: "The shopper's saved cards",
    auth: 'session',
    success: { status: 200, description: 'Saved cards (never a number or CVC)', schema: cardListResponseSchema },
  },
  {
    method: 'post',
    path: '/api/frame/cards',
    operationId: 'addCard',
    tag: 'Frame API',
    summary: 'Add a card at its issuing bank: kept for later, or paid with once',
    description:
      "The only request that carries a card number; Paykey keeps the bank's token, never the number. The card goes to the partner bank whose BIN table matches its leading digits (none: 422 `card_not_supported`). `save: false` (the default) makes a one-time card: it can pay in this session, is never listed, and its token is released at the bank once the payment is final, at sign-out, or after a session's lifetime unused.",
    auth: 'session',
    idempotencyKey: true,
    body: { schema: addCardBody },
    success: { status: 201, description: 'The card, and whether it is kept', schema: addCardResponseSchema },
  },
  {
    method: 'delete',
    path: '/api/frame/cards/:id',
    operationId: 'deleteCard',
    tag: 'Frame API',
    summary: 'Remove a card: gone from the list at once, its token released at the bank',
    description: 'When the bank cannot be reached (or a charge with the card is still in flight) the card is removed all the same and the release is retried until the bank confirms it.',
    auth: 'session',
    success: { status: 204, description: 'Removed' },
  },
  {
    method: 'delete',
    path: '/api/frame/sessions/current',
    operationId: 'signOut',
    tag: 'Frame API',
    summary: 'Sign out on this device: the session ends server-side',
    description: "The session token is unknown from then on (401 `session_invalid`); the session's one-time cards are released at their bank.",
    auth: 'session',
    success: { status: 204, description: 'Signed out' },
  },
  {
    method: 'get',
    path: '/api/frame/payments',
    operationId: 'listPayments',
    tag: 'Frame API',
    summary: "The shopper's payments across every merchant, newest first, each as its receipt",
    auth: 'session',
    query: paymentListQuery,
    success: { status: 200, description: 'A page of receipts', schema: paymentListResponseSchema },
  },
  {
    method: 'get',
    path: '/api/frame/payments/:paymentIntentId',
    operationId: 'getReceipt',
    tag: 'Frame API',
    summary: "One of the shopper's payments: its receipt",
    description: "Another shopper's payment is 404 `resource_missing`, like one that does not exist.",
    auth: 'session',
    success: { status: 200, description: 'The receipt', schema: receiptResponseSchema },
  },
  // Payment terms (fees and exchange rates): helper "terms".
  {
    method: 'post',
    path: '/api/frame/quotes',
    operationId: 'quotePaymentTerms',
    tag: 'Frame API',
    summary: "The terms of paying with a card: its bank's fee and, for a card in another currency, the bank's exchange rate and the debit",
    description:
      'A quote (`quo_…`) with an expiry, and a passkey challenge bound to its id, fee, rate and debit (`confirmation`: Pay signs it at once; `POST /api/frame/confirmations/options` issues another). The challenge is counted under this route\'s limits. A card in another currency whose bank quotes no rate: 409 `card_unavailable`.',
    auth: 'client_secret_and_optional_session',
    body: { schema: quoteBody },
    success: { status: 200, description: 'The terms to show before the shopper confirms', schema: quoteResponseSchema },
  },
  {
    method: 'post',
    path: '/api/frame/confirmations/options',
    operationId: 'startPaymentConfirmation',
    tag: 'Frame API',
    summary: 'Start confirming a payment with a card: a challenge bound to amount, currency, payee, card and the quoted terms (`quote_id`; expired: 409 `quote_expired`)',
    auth: 'client_secret_and_optional_session',
    body: { schema: confirmOptionsBody },
    success: { status: 200, description: 'A challenge and the options for navigator.credentials.get', schema: passkeyOptionsResponseSchema },
  },
  {
    method: 'post',
    path: '/api/frame/confirmations',
    operationId: 'confirmPayment',
    tag: 'Frame API',
    summary: 'Confirm the payment with the passkey assertion',
    auth: 'client_secret_and_optional_session',
    body: { schema: confirmBody },
    success: { status: 200, description: 'Where the payment stands: `processing` at worst once it started', schema: confirmResponseSchema },
  },
  {
    method: 'post',
    path: '/api/frame/bank-payments/options',
    operationId: 'startBankPayment',
    tag: 'Frame API',
    summary: 'Start paying by bank: a passkey challenge bound to amount, currency, payee and the bank',
    auth: 'client_secret_and_optional_session',
    body: { schema: bankPaymentOptionsBody },
    success: { status: 200, description: 'A challenge and the options for navigator.credentials.get', schema: passkeyOptionsResponseSchema },
  },
  {
    method: 'post',
    path: '/api/frame/bank-payments',
    operationId: 'confirmBankPayment',
    tag: 'Frame API',
    summary: "Confirm paying by bank with the passkey assertion; the shopper then approves at their bank's page",
    auth: 'client_secret_and_optional_session',
    body: { schema: confirmBody },
    success: { status: 200, description: 'The intent (`processing` while the shopper approves) and the bank page to open', schema: bankPaymentResponseSchema },
  },
  {
    method: 'post',
    path: '/api/frame/bank-payments/abandon',
    operationId: 'abandonBankPayment',
    tag: 'Frame API',
    summary: "The shopper closed their bank's window before approving: end the attempt (nothing is paid)",
    description: 'An approved or settled payment is left as it is; 409 `payment_intent_unexpected_state` when no payment by bank is under way.',
    auth: 'client_secret',
    body: { schema: checkoutBody },
    success: { status: 200, description: 'Where the payment stands', schema: confirmResponseSchema },
  },
  // Spending summary (helper receipt-ui).
  {
    method: 'get',
    path: '/api/frame/spending-summary',
    operationId: 'getSpendingSummary',
    tag: 'Frame API',
    summary: "The shopper's own spending this UTC month, per currency and merchant category, with a projected month-end total",
    description:
      "Succeeded payments of the shopper (card or pay by bank) confirmed this month, less refunds, at the merchant's amount in the payment's currency (no conversion: one total per currency). `projected` = round(spent ÷ daysElapsed × daysInMonth) (`method: 'linear_daily_average'`). Computed from the shopper's own records on each request; nothing is stored or sent anywhere.",
    auth: 'session',
    query: spendingSummaryQuery,
    success: { status: 200, description: 'The summary', schema: spendingSummaryResponseSchema },
  },
  // Bank offers and the shopper's offer switches (helper server-offers).
  {
    method: 'post',
    path: '/api/frame/offers',
    operationId: 'listCardOffers',
    tag: 'Frame API',
    summary: "Each card's bank offers on this payment, and what paying in full or with each offer costs",
    description:
      "Read-only: nothing is stored (an offer is kept only once applied through `POST /api/frame/quotes { offer_id }`) and the merchant learns nothing. Each card's bank is asked, in parallel, with only its own card tokens, the merchant (id, name, category code, country, origin), the amount and the card owner's switches (both off: no bank is asked; personalised offers only when the shopper turned them on). A bank that has not answered within 800 ms has no offers for this payment (`answered: false`, as when it was not asked or has no offers). `costs`: paying in full first, then one per offer, `net` = charged + fee − comesBackLater in the payment's currency (the fee from the bank's fee schedule on what is charged; empty when the fee was not known in time). Titles and terms follow `Accept-Language` (zh-CN or en). Another shopper's card, or cards of two shoppers: 404 `resource_missing`.",
    auth: 'client_secret_and_optional_session',
    body: { schema: offersBody },
    success: { status: 200, description: "Each card's offers and costs, and the switches they were asked under", schema: offersResponseSchema },
  },
  {
    method: 'get',
    path: '/api/frame/offer-settings',
    operationId: 'getOfferSettings',
    tag: 'Frame API',
    summary: 'The shopper\'s two offer switches: "Offers for everyone with this card" (on by default) and "Offers chosen from my spending at my bank" (off until turned on)',
    auth: 'session',
    success: { status: 200, description: 'The switches', schema: offerSettingsSchema },
  },
  {
    method: 'put',
    path: '/api/frame/offer-settings',
    operationId: 'updateOfferSettings',
    tag: 'Frame API',
    summary: "Set the shopper's two offer switches",
    description:
      "Turning personalised offers on: each bank of the shopper's saved cards records the consent first; one that cannot → 502 `bank_unavailable` and nothing changes. Turning them off takes effect at once (no personalised offer is asked for from then on) and each bank is told; a bank that cannot be told is retried by no one and not shown as an error — Paykey no longer asks it for personalised offers.",
    auth: 'session',
    body: { schema: offerSettingsBody },
    success: { status: 200, description: 'The switches as stored', schema: offerSettingsSchema },
  },
];
