import { z } from 'zod';
import { createPaymentIntentBody, emptyBody, refundBody } from '../routes/merchant-api.ts';
import { bankPaymentOptionsBody, checkoutBody, confirmOptionsBody, registrationBody, registrationOptionsBody, signInBody } from '../routes/shopper-api.ts';
import { addCardBody } from '../routes/shopper-card-routes.ts';
import { WEBHOOK_EVENT_TYPES } from '../webhooks/enqueue-webhook-event.ts';
import { createWebhookEndpointBody } from '../webhooks/webhook-endpoint-routes.ts';
import { API_OPERATIONS, type ApiAuth, type ApiOperation } from './api-operations.ts';
import { errorBodySchema } from './error-body-schema.ts';
// Spending summary (helper receipt-ui).
import { spendingSummaryResponseSchema } from './offer-schemas.ts';
import { quoteBody } from '../routes/quote-routes.ts';
import { offerSettingsBody, offersBody } from '../routes/offer-routes.ts';
import { offerSettingsSchema, offersResponseSchema } from './offer-schemas.ts';
import { paymentTermsSchema, quoteResponseSchema } from './payment-terms-schemas.ts';
import {
  addCardResponseSchema,
  bankBrandSchema,
  bankPaymentResponseSchema,
  cardListResponseSchema,
  checkoutViewSchema,
  brandsViewSchema,
  confirmResponseSchema,
  passkeyOptionsResponseSchema,
  paymentListResponseSchema,
  receiptResponseSchema,
  receiptSchema,
  registrationOptionsResponseSchema,
  savedCardSchema,
  sessionResponseSchema,
} from './frame-api-schemas.ts';
import {
  paymentIntentSchema,
  paymentStatusSchema,
  refundListSchema,
  refundSchema,
  webhookEndpointListSchema,
  webhookEndpointSchema,
  webhookEventSchema,
  webhookEventTypeSchema,
} from './merchant-api-schemas.ts';

export type JsonSchema = { [keyword: string]: unknown };

export interface OpenApiOperation {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Array<JsonSchema>;
  requestBody?: { required: boolean; content: { 'application/json': { schema: JsonSchema } } };
  responses: Record<string, JsonSchema>;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  jsonSchemaDialect: string;
  info: { title: string; version: string; description: string; license: { name: string; identifier: string } };
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, Partial<Record<ApiOperation['method'], OpenApiOperation>>>;
  webhooks: Record<string, { post: Omit<OpenApiOperation, 'tags'> }>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, JsonSchema>;
    parameters: Record<string, JsonSchema>;
    headers: Record<string, JsonSchema>;
    securitySchemes: Record<string, JsonSchema>;
  };
}

/** The name of each schema in `components.schemas`: request bodies are described as the routes read them (input), answers as they are sent (output). */
const REQUEST_SCHEMAS: Record<string, z.ZodType> = {
  CreatePaymentIntentRequest: createPaymentIntentBody,
  CancelPaymentIntentRequest: emptyBody,
  CreateRefundRequest: refundBody,
  CreateWebhookEndpointRequest: createWebhookEndpointBody,
  ClientSecretRequest: checkoutBody,
  RegistrationOptionsRequest: registrationOptionsBody,
  RegistrationRequest: registrationBody,
  PasskeyAssertionRequest: signInBody,
  AddCardRequest: addCardBody,
  ConfirmOptionsRequest: confirmOptionsBody,
  QuoteRequest: quoteBody,
  BankPaymentOptionsRequest: bankPaymentOptionsBody,
  OffersRequest: offersBody,
  OfferSettingsRequest: offerSettingsBody,
};
const RESPONSE_SCHEMAS: Record<string, z.ZodType> = {
  Error: errorBodySchema,
  PaymentStatus: paymentStatusSchema,
  PaymentIntent: paymentIntentSchema,
  Refund: refundSchema,
  RefundList: refundListSchema,
  WebhookEventType: webhookEventTypeSchema,
  WebhookEndpoint: webhookEndpointSchema,
  WebhookEndpointList: webhookEndpointListSchema,
  WebhookEvent: webhookEventSchema,
  SavedCard: savedCardSchema,
  BankBrand: bankBrandSchema,
  CheckoutView: checkoutViewSchema,
  BrandsView: brandsViewSchema,
  RegistrationOptionsResponse: registrationOptionsResponseSchema,
  PasskeyOptionsResponse: passkeyOptionsResponseSchema,
  SessionResponse: sessionResponseSchema,
  CardListResponse: cardListResponseSchema,
  AddCardResponse: addCardResponseSchema,
  ConfirmResponse: confirmResponseSchema,
  PaymentTerms: paymentTermsSchema,
  QuoteResponse: quoteResponseSchema,
  BankPaymentResponse: bankPaymentResponseSchema,
  Receipt: receiptSchema,
  PaymentListResponse: paymentListResponseSchema,
  ReceiptResponse: receiptResponseSchema,
  SpendingSummaryResponse: spendingSummaryResponseSchema,
  OffersResponse: offersResponseSchema,
  OfferSettings: offerSettingsSchema,
};

const SECURITY: Record<ApiAuth, Array<Record<string, string[]>>> = {
  secret_key: [{ secretKey: [] }],
  session: [{ frameSession: [] }],
  client_secret: [],
  client_secret_and_optional_session: [{}, { frameSession: [] }],
  public: [],
};
const CLIENT_SECRET_NOTE = "Authorized by the payment's `client_secret` in the body (never in a URL).";

/**
 * The OpenAPI 3.1 document of Paykey's own API, generated from the routes' zod schemas (zod's JSON Schema is
 * draft 2020-12, OpenAPI 3.1's dialect) and the operation list; nothing in it is written twice.
 */
export function createOpenApiDocument(): OpenApiDocument {
  const names = new Map<z.ZodType, string>();
  const schemas = {
    ...componentSchemas(REQUEST_SCHEMAS, 'input', names),
    ...componentSchemas(RESPONSE_SCHEMAS, 'output', names),
  };
  const ref = (schema: z.ZodType): JsonSchema => {
    const name = names.get(schema);
    if (!name) throw new Error('A schema of an operation has no name in components.schemas (openapi-document.ts)');
    return { $ref: `#/components/schemas/${name}` };
  };
  const error = { $ref: '#/components/responses/Error' };

  const paths: OpenApiDocument['paths'] = {};
  for (const operation of API_OPERATIONS) {
    const pathParams = [...operation.path.matchAll(/:(\w+)/g)].map((match) => match[1]);
    const parameters = [
      ...pathParams.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      ...queryParameters(operation.query),
      ...(operation.idempotencyKey ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : []),
    ];
    const success: JsonSchema = { description: operation.success.description };
    if (operation.success.schema) success.content = { 'application/json': { schema: ref(operation.success.schema) } };
    if (operation.idempotencyKey && operation.tag === 'Merchant API') success.headers = { 'Idempotent-Replayed': { $ref: '#/components/headers/IdempotentReplayed' } };
    const auth = operation.auth.startsWith('client_secret') ? CLIENT_SECRET_NOTE : undefined;
    const description = [operation.description, auth].filter(Boolean).join(' ');
    (paths[toOpenApiPath(operation.path)] ??= {})[operation.method] = {
      operationId: operation.operationId,
      tags: [operation.tag],
      summary: operation.summary,
      ...(description ? { description } : {}),
      security: SECURITY[operation.auth],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(operation.body
        ? { requestBody: { required: !operation.body.optional, content: { 'application/json': { schema: ref(operation.body.schema) } } } }
        : {}),
      responses: { [operation.success.status]: success, '4XX': error, '5XX': error },
    };
  }

  const webhooks: OpenApiDocument['webhooks'] = {};
  for (const type of WEBHOOK_EVENT_TYPES) {
    webhooks[type] = {
      post: {
        operationId: `webhook_${type.replace('.', '_')}`,
        summary: `The \`${type}\` event, POSTed to each endpoint subscribed to it`,
        description: 'Delivered at least once; deduplicate by `id`. Verify `Paykey-Signature` over the raw body before parsing it.',
        parameters: [
          { name: 'Paykey-Signature', in: 'header', required: true, description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the endpoint secret>', schema: { type: 'string' } },
          { name: 'Paykey-Event-Id', in: 'header', required: true, schema: { type: 'string' } },
        ],
        requestBody: { required: true, content: { 'application/json': { schema: ref(webhookEventSchema) } } },
        responses: { '2XX': { description: 'Acknowledged (within 10 s); anything else is retried for 3 days' } },
      },
    };
  }

  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Paykey API',
      version: 'v1',
      description:
        "The merchant API (`/v1`, your server, `Authorization: Bearer <secret key>`) and the wallet frame's API (`/api/frame`, called by Paykey's own checkout frame). Amounts are integers in the currency's minor units. Every error is `{ error: { code, message } }`.",
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    tags: [
      { name: 'Merchant API', description: 'Server to server, with your secret key. Every POST takes an `Idempotency-Key`.' },
      { name: 'Frame API', description: "What Paykey's checkout frame calls, on the wallet's own origin. Not for merchants to call." },
    ],
    paths,
    webhooks,
    components: {
      schemas,
      responses: {
        Error: {
          description: 'An error: a 4xx (or a 5xx for an outage of ours), with a stable code',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'The first answer (errors included) is kept for 24 hours and replayed to a repeat with the same key; the same key with another body is 422 `idempotency_key_reused`, a repeat while the first runs is 409 `idempotency_key_in_use`.',
          schema: { type: 'string', minLength: 1, maxLength: 255 },
        },
      },
      headers: {
        IdempotentReplayed: { description: '`true` when this is the stored answer to an earlier request with the same `Idempotency-Key`', schema: { type: 'string', const: 'true' } },
      },
      securitySchemes: {
        secretKey: { type: 'http', scheme: 'bearer', description: "The merchant's secret key (`sk_…`): `Authorization: Bearer <secret key>`. Server to server only." },
        frameSession: { type: 'http', scheme: 'bearer', description: 'The session token from a passkey registration or sign-in (`sessionToken`).' },
      },
    },
  };
}

/** A route's query schema as OpenAPI parameters: each member by its input JSON Schema, with its description. */
function queryParameters(query: z.ZodObject | undefined): JsonSchema[] {
  if (!query) return [];
  return Object.entries(query.shape).map(([name, member]) => {
    const { $schema: _dialect, description, ...schema } = z.toJSONSchema(member as z.ZodType, { io: 'input', target: 'draft-2020-12' }) as JsonSchema;
    return { name, in: 'query', required: !(member as z.ZodType).safeParse(undefined).success, ...(description ? { description } : {}), schema };
  });
}

/** Hono's `/v1/payment_intents/:id` → OpenAPI's `/v1/payment_intents/{id}`. */
export function toOpenApiPath(honoPath: string): string {
  return honoPath.replace(/:(\w+)/g, '{$1}');
}

function componentSchemas(named: Record<string, z.ZodType>, io: 'input' | 'output', names: Map<z.ZodType, string>): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [name, schema] of Object.entries(named)) {
    if (names.has(schema)) throw new Error(`${name}: the schema already has the name ${names.get(schema)}`);
    names.set(schema, name);
    registry.add(schema, { id: name });
  }
  const { schemas } = z.toJSONSchema(registry, { io, target: 'draft-2020-12', unrepresentable: 'any', uri: (id) => `#/components/schemas/${id}` });
  // Each is a schema object inside the document, not a document of its own: no `$schema`, no `$id`.
  return Object.fromEntries(Object.entries(schemas).map(([name, { $schema: _dialect, $id: _id, ...schema }]) => [name, schema as JsonSchema]));
}
