import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ApiError } from '../errors/api-error.ts';
import { describeIssue, readJsonBody } from '../http/json-body.ts';
import { cancelPaymentIntent } from '../payments/cancel-payment.ts';
import type { IdempotencyOptions, StoredResponse } from '../payments/idempotency.ts';
import { parseBearer } from '../http/bearer-token.ts';
import { idempotentPost, type MerchantEnv } from '../http/idempotent-post.ts';
import type { BankOutboxWorker } from '../payments/bank-outbox-worker.ts';
import { isKnownCurrency, MAX_AMOUNT } from '../payments/money.ts';
import { assertPayableByBanks } from '../payments/payable-by-banks.ts';
import { CREATE_TEXT_LIMITS, plainCreateBody } from '../payments/plain-create-body.ts';
import { createPaymentIntent, getMerchantPaymentIntent, paymentIntentJsonFor, toPaymentIntentJson } from '../payments/payment-intents.ts';
import { sendRefundNow, startRefund, type RefundDeps } from '../payments/refund-payment.ts';
import { findRefund, refundsOfIntent, toRefundJson, type Refund } from '../payments/refunds.ts';
import type { ClientSecrets } from '../security/client-secrets.ts';
import { createMerchantKeyCache } from '../security/merchant-key-cache.ts';
import type { WalletDb } from '../store/database.ts';
import { findMerchantBySecretKey } from '../store/merchants.ts';
import type { RefundList } from '../openapi/merchant-api-schemas.ts';

// Integer checks (not refinements) so the OpenAPI document (server/openapi/) shows them: integer, > 0, at most MAX_AMOUNT.
const amount = z
  .number({ error: 'must be an integer amount in minor units' })
  .int('must be an integer amount in minor units (e.g. 1999 for $19.99)')
  .gt(0, 'must be greater than zero')
  .max(MAX_AMOUNT, `must be at most ${MAX_AMOUNT}`)
  .meta({ description: "In the currency's minor units: 1999 is $19.99, 3200 is ¥3,200 (JPY has none)" });

/** Request bodies: the routes parse with these, and the OpenAPI document is generated from them. */
export const createPaymentIntentBody = z.strictObject({
  amount,
  currency: z
    .string({ error: 'is required: an ISO 4217 code such as "USD"' })
    .regex(/^[A-Z]{3}$/, 'must be an uppercase ISO 4217 code such as "USD"')
    .refine(isKnownCurrency, 'is not a known ISO 4217 currency')
    .meta({ description: 'An uppercase ISO 4217 code; one of your banks must carry it (else 422 currency_not_supported)' }),
  // Kept whole; each bank gets it shortened to its own statement-text limit (shorten-statement-text.ts).
  description: z.string().max(CREATE_TEXT_LIMITS.description).nullish().meta({ description: "Up to 1000 characters; each bank's statement shows it shortened to that bank's limit" }),
  reference: z.string().max(CREATE_TEXT_LIMITS.reference).nullish().meta({ description: 'Yours (an order number); shown back on the intent and in webhooks' }),
});
export const refundBody = z.strictObject({ amount: amount.optional().meta({ description: 'In minor units; default: all that is not refunded yet' }) });
export const emptyBody = z.strictObject({});

function amountOrRequestError(issue: z.core.$ZodIssue): ApiError {
  const field = issue.path[0];
  const code = field === 'amount' ? 'invalid_amount' : field === 'currency' ? 'invalid_currency' : 'invalid_request';
  return new ApiError(422, code, describeIssue(issue));
}

export interface MerchantApiDeps extends RefundDeps {
  /** The bank outbox; its `banks` are the merchant's banks, one of which must carry each new intent. */
  outbox: Pick<BankOutboxWorker, 'runNow' | 'banks'>;
  db: WalletDb;
  now: () => Date;
  clientSecrets: ClientSecrets;
  /** Sub-routes mounted under /v1 behind the same authentication (webhook endpoints). */
  extraRoutes?: Record<string, Hono<MerchantEnv>>;
}

/** The merchant's server-to-server API (`Authorization: Bearer <secret key>`). Every POST honours `Idempotency-Key`. */
export function merchantApi(deps: MerchantApiDeps) {
  const api = new Hono<MerchantEnv>();
  // Verified keys for a second (MERCHANT_KEY_CACHE_MS): a changed key stops working within it, on every instance.
  const merchantKeys = createMerchantKeyCache({ lookup: (secretKey) => findMerchantBySecretKey(deps.db, secretKey) });

  api.use(async function authenticateMerchant(c, next) {
    const header = c.req.header('authorization');
    if (!header) throw new ApiError(401, 'authentication_required', 'Send your secret key as `Authorization: Bearer <key>`');
    const secretKey = parseBearer(header);
    const merchant = secretKey ? await merchantKeys.find(secretKey) : undefined;
    if (!merchant) throw new ApiError(401, 'invalid_api_key', 'The secret key is not valid');
    c.set('merchant', merchant);
    await next();
  });

  const idempotent = idempotentPost({ db: deps.db, now: deps.now, workerId: deps.lease.workerId });
  const send = (c: Context, response: StoredResponse) => c.json(response.body as object, response.status as 200);

  // The same for every create, so made once (not a new set of closures per request).
  const createIntentIdempotency: IdempotencyOptions = {
    // Creating an intent only writes in its transaction: it may run before the key is looked up.
    speculative: true,
    // The stored response keeps no secret; a replay derives the client secret again.
    secretless: (body) => ({ ...(body as object), client_secret: undefined }),
    rehydrate: (body) => {
      const intent = body as { object?: string; id?: string };
      return intent.object === 'payment_intent' && intent.id ? { ...intent, client_secret: deps.clientSecrets.forIntent(intent.id) } : body;
    },
  };

  api.post('/payment_intents', async (c) => {
    const { data, raw } = await readJsonBody(c, createPaymentIntentBody, amountOrRequestError, plainCreateBody);
    // Like a malformed body, an intent no bank can carry is refused before anything is written (no intent, no key).
    assertPayableByBanks(deps.outbox.banks.all(), { amount: data.amount, currency: data.currency });
    const merchant = c.get('merchant');
    const response = await idempotent(
      c,
      raw,
      async (db) => {
        const { intent, clientSecret } = await createPaymentIntent(
          db,
          deps.clientSecrets,
          { merchantId: merchant.id, amount: data.amount, currency: data.currency, description: data.description ?? null, reference: data.reference ?? null },
          deps.now(),
        );
        return { status: 201, body: toPaymentIntentJson(intent, clientSecret) };
      },
      createIntentIdempotency,
    );
    return send(c, response);
  });

  api.get('/payment_intents/:id', async (c) => {
    const intent = await getMerchantPaymentIntent(deps.db, c.get('merchant').id, c.req.param('id'));
    return c.json(await paymentIntentJsonFor(deps.db, intent));
  });

  api.post('/payment_intents/:id/cancel', async (c) => {
    const { raw } = await readOptionalJsonBody(c, emptyBody);
    const response = await idempotent(c, raw, async (db) => {
      const canceled = await cancelPaymentIntent(db, c.get('merchant').id, c.req.param('id'), deps.now());
      return { status: 200, body: toPaymentIntentJson(canceled) };
    });
    return send(c, response);
  });

  api.post('/payment_intents/:id/refunds', async (c) => {
    const { data, raw } = await readOptionalJsonBody(c, refundBody);
    let started: { refund: Refund; jobId: string } | undefined;
    const response = await idempotent(c, raw, async (db) => {
      started = await startRefund(deps, db, { merchantId: c.get('merchant').id, intentId: c.req.param('id'), amount: data.amount });
      return { status: 201, body: toRefundJson(started.refund) };
    });
    // The refund is recorded and queued (and the response stored) before the bank is called; answer with where it stands now.
    if (started) return c.json(toRefundJson(await sendRefundNow(deps, started)), 201);
    const stored = response.body as { object?: string; id?: string };
    const live = stored.object === 'refund' && stored.id ? await findRefund(deps.db, stored.id) : undefined;
    return send(c, live ? { status: response.status, body: toRefundJson(live) } : response);
  });

  api.get('/payment_intents/:id/refunds', async (c) => {
    const intent = await getMerchantPaymentIntent(deps.db, c.get('merchant').id, c.req.param('id'));
    const body: RefundList = { object: 'list', data: (await refundsOfIntent(deps.db, intent.id)).map(toRefundJson) };
    return c.json(body);
  });

  for (const [path, routes] of Object.entries(deps.extraRoutes ?? {})) api.route(path, routes);
  return api;
}

/** A POST whose body may be empty (cancel, a full refund): no body is `{}`. */
async function readOptionalJsonBody<S extends z.ZodType>(c: Context, schema: S) {
  const length = c.req.header('content-length');
  if ((length === undefined || length === '0') && !c.req.header('content-type') && (await c.req.raw.clone().text()) === '') {
    const parsed = schema.safeParse({});
    if (!parsed.success) throw amountOrRequestError(parsed.error.issues[0]);
    return { data: parsed.data as z.output<S>, raw: {} as unknown };
  }
  return readJsonBody(c, schema, amountOrRequestError);
}
