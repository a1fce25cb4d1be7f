import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { ApiError } from '../errors/api-error.ts';
import { describeIssue, readJsonBody } from '../http/json-body.ts';
import { withIdempotency } from '../payments/idempotency.ts';
import { isKnownCurrency, MAX_AMOUNT } from '../payments/money.ts';
import { createPaymentIntent, getMerchantPaymentIntent, toPaymentIntentJson } from '../payments/payment-intents.ts';
import { findMerchantBySecretKey, type Merchant } from '../store/merchants.ts';

const createIntentBody = z.strictObject({
  amount: z
    .number({ error: 'must be an integer amount in minor units' })
    .refine(Number.isSafeInteger, 'must be an integer amount in minor units (e.g. 1999 for $19.99)')
    .refine((n) => n > 0, 'must be greater than zero')
    .refine((n) => n <= MAX_AMOUNT, `must be at most ${MAX_AMOUNT}`),
  currency: z
    .string({ error: 'is required: an ISO 4217 code such as "USD"' })
    .regex(/^[A-Z]{3}$/, 'must be an uppercase ISO 4217 code such as "USD"')
    .refine(isKnownCurrency, 'is not a known ISO 4217 currency'),
  description: z.string().max(1000).nullish(),
  reference: z.string().max(200).nullish(),
});

function createIntentError(issue: z.core.$ZodIssue): ApiError {
  const field = issue.path[0];
  const code = field === 'amount' ? 'invalid_amount' : field === 'currency' ? 'invalid_currency' : 'invalid_request';
  return new ApiError(422, code, describeIssue(issue));
}

type MerchantEnv = { Variables: { merchant: Merchant } };

/** The merchant's server-to-server API (`Authorization: Bearer <secret key>`). */
export function merchantApi(deps: AppDeps) {
  const api = new Hono<MerchantEnv>();

  api.use(async function authenticateMerchant(c, next) {
    const header = c.req.header('authorization');
    if (!header) throw new ApiError(401, 'authentication_required', 'Send your secret key as `Authorization: Bearer <key>`');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const merchant = match ? await findMerchantBySecretKey(deps.db, match[1]) : undefined;
    if (!merchant) throw new ApiError(401, 'invalid_api_key', 'The secret key is not valid');
    c.set('merchant', merchant);
    await next();
  });

  api.post('/payment_intents', async (c) => {
    const merchant = c.get('merchant');
    const { data, raw } = await readJsonBody(c, createIntentBody, createIntentError);
    const now = deps.now();
    const create = async (db = deps.db) => {
      const { intent, clientSecret } = await createPaymentIntent(
        db,
        {
          merchantId: merchant.id,
          amount: data.amount,
          currency: data.currency,
          description: data.description ?? null,
          reference: data.reference ?? null,
        },
        now,
      );
      return { status: 201, body: toPaymentIntentJson(intent, clientSecret) };
    };

    const key = idempotencyKey(c);
    if (!key) {
      const response = await create();
      return c.json(response.body, 201);
    }
    const response = await withIdempotency(
      deps.db,
      { merchantId: merchant.id, key, method: 'POST', path: '/v1/payment_intents', body: raw, now },
      (trx) => create(trx),
    );
    if (response.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json(response.body as object, response.status as 201);
  });

  api.get('/payment_intents/:id', async (c) => {
    const intent = await getMerchantPaymentIntent(deps.db, c.get('merchant').id, c.req.param('id'));
    return c.json(toPaymentIntentJson(intent));
  });

  return api;
}

function idempotencyKey(c: Context): string | undefined {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return undefined;
  if (key.length === 0 || key.length > 255) {
    throw new ApiError(400, 'invalid_request', 'Idempotency-Key must be 1 to 255 characters');
  }
  return key;
}
