/**
 * The OpenAPI document of Paykey's own API (server/openapi/): a valid OpenAPI 3.1 document, equal to the routes the
 * app really registers, describing what a real server really answers, and agreeing with every example of the
 * README's "For merchants".
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020Module, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { Registry } from 'prom-client';
import { createShopApp } from '../../demo/shop/shop-app.ts';
import { createWalletClient } from '../../demo/shop/wallet-client.ts';
import { createApp, type AppParts } from '../../server/app.ts';
import { silentLogger } from '../../server/http/logger.ts';
import { API_OPERATIONS } from '../../server/openapi/api-operations.ts';
import { createOpenApiDocument, toOpenApiPath, type JsonSchema, type OpenApiDocument, type OpenApiOperation } from '../../server/openapi/openapi-document.ts';
import { webhookEndpointRoutes } from '../../server/webhooks/webhook-endpoint-routes.ts';
import { SERVER_ERROR_STATUS } from '../../widget/error-codes.ts';
import type { SessionResponse } from '../../widget/shopper-api.ts';
import { addCard, bearer, confirmationOptions, createIntent, inFrame, registerShopper, sendConfirmation } from '../support/frame-client.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { startTestBank, type TestBank } from '../support/test-bank.ts';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

// Both are CommonJS with `exports.default`.
const Ajv2020 = ((Ajv2020Module as unknown as { default?: typeof Ajv2020Module }).default ?? Ajv2020Module) as typeof Ajv2020Module;
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

const document = createOpenApiDocument();
const DOC_ID = 'https://paykey.invalid/openapi.json';
const METHODS = ['get', 'post', 'delete'] as const;

/** Validates values against the document's schemas with a real JSON Schema 2020-12 validator (strict: an unknown keyword is an error). */
function createSchemaValidator(doc: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  // `components` holds schemas but is none: a keyword ajv is told to leave alone, so `#/components/schemas/…` resolves.
  ajv.addKeyword({ keyword: 'components' });
  ajv.addSchema({ $id: DOC_ID, components: { schemas: doc.components.schemas } });
  const compiled = new Map<string, ValidateFunction>();
  return (ref: string, value: unknown): string[] => {
    assert.match(ref, /^#\/components\/schemas\/\w+$/, `a $ref into components.schemas: ${ref}`);
    let validate = compiled.get(ref);
    if (!validate) {
      validate = ajv.getSchema(`${DOC_ID}${ref}`);
      assert.ok(validate, `${ref} is in the document`);
      compiled.set(ref, validate);
    }
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message} ${JSON.stringify(e.params)}`);
  };
}
const validateSchema = createSchemaValidator(document);

/** The document's operation for a request path (`/v1/payment_intents/pi_1` → `/v1/payment_intents/{id}`). */
function findOperation(method: string, pathname: string): { path: string; operation: OpenApiOperation } | undefined {
  for (const [path, item] of Object.entries(document.paths)) {
    const pattern = new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`);
    const operation = item[method.toLowerCase() as (typeof METHODS)[number]];
    if (operation && pattern.test(pathname)) return { path, operation };
  }
  return undefined;
}

/** The response object for a status: exact, then `4XX`-style, with `$ref`s into components.responses followed. */
function responseFor(operation: Pick<OpenApiOperation, 'responses'>, status: number): JsonSchema | undefined {
  const response = operation.responses[String(status)] ?? operation.responses[`${String(status)[0]}XX`];
  const ref = response?.$ref as string | undefined;
  return ref ? document.components.responses[ref.replace('#/components/responses/', '')] : response;
}

function jsonSchemaRef(container: JsonSchema | undefined): string | undefined {
  const content = container?.content as { 'application/json'?: { schema: { $ref: string } } } | undefined;
  return content?.['application/json']?.schema.$ref;
}

describe('the document', () => {
  test('is a valid OpenAPI 3.1 document (@seriousme/openapi-schema-validator)', async () => {
    const result = await new Validator().validate(structuredClone(document) as never);
    assert.deepEqual(result, { valid: true });
    assert.equal(document.openapi, '3.1.0');
  });

  test('every schema compiles as JSON Schema 2020-12 under strict ajv, and every $ref resolves', () => {
    for (const name of Object.keys(document.components.schemas)) validateSchema(`#/components/schemas/${name}`, null);
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of refs.map((r) => r.slice(8, -1))) {
      const [, section, name] = /^#\/components\/(\w+)\/(\w+)$/.exec(ref) ?? [];
      assert.ok((document.components as unknown as Record<string, Record<string, unknown>>)[section]?.[name], `${ref} resolves`);
    }
  });

  test('is generated anew the same way (no state, no clock)', () => {
    assert.deepEqual(createOpenApiDocument(), document);
  });

  test('every error answer references the one Error schema, whose codes are widget/error-codes.ts', () => {
    const errorSchema = document.components.schemas.Error as { properties: { error: { properties: { code: { enum: string[] } } } } };
    assert.deepEqual(errorSchema.properties.error.properties.code.enum, Object.keys(SERVER_ERROR_STATUS));
    assert.equal(jsonSchemaRef(document.components.responses.Error), '#/components/schemas/Error');
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const status of Object.keys(operation.responses).filter((s) => /^[45]/.test(s))) {
          assert.deepEqual(operation.responses[status], { $ref: '#/components/responses/Error' }, `${method} ${path} ${status}`);
        }
        assert.ok(operation.responses['4XX'] && operation.responses['5XX'], `${method} ${path} documents its errors`);
      }
    }
  });

  test('security: the secret key on /v1, a session or the client secret on /api/frame; Idempotency-Key on every merchant POST', () => {
    assert.deepEqual(Object.keys(document.components.securitySchemes).sort(), ['frameSession', 'secretKey']);
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const where = `${method} ${path}`;
        if (path.startsWith('/v1/')) assert.deepEqual(operation.security, [{ secretKey: [] }], where);
        else assert.ok(operation.security?.every((s) => Object.keys(s).every((k) => k === 'frameSession')), where);
        const bodySchema = jsonSchemaRef(operation.requestBody);
        const properties = bodySchema ? (document.components.schemas[bodySchema.split('/').pop()!].properties as Record<string, unknown>) : {};
        // The one public answer (the card banks' brands) takes no body and says why it needs no authorization.
        const isPublic = operation.security?.length === 0 && !operation.requestBody && method === 'get';
        if (isPublic) assert.match(operation.description ?? '', /No authorization/, where);
        else if (operation.security?.length === 0 || operation.security?.some((s) => Object.keys(s).length === 0)) {
          assert.ok('client_secret' in properties, `${where}: without a session it takes the client secret in its body`);
          assert.match(operation.description ?? '', /client_secret/, where);
        }
        const idempotent = operation.parameters?.some((p) => p.$ref === '#/components/parameters/IdempotencyKey') ?? false;
        if (path.startsWith('/v1/') && method === 'post') assert.ok(idempotent, `${where} takes an Idempotency-Key`);
      }
    }
  });

  test('request bodies are the routes\' own schemas: what the route refuses, the document refuses', () => {
    const reject = (ref: string, value: unknown) => assert.notDeepEqual(validateSchema(ref, value), [], `${ref} refuses ${JSON.stringify(value)}`);
    const accept = (ref: string, value: unknown) => assert.deepEqual(validateSchema(ref, value), [], `${ref} accepts ${JSON.stringify(value)}`);
    const create = '#/components/schemas/CreatePaymentIntentRequest';
    accept(create, { amount: 1999, currency: 'USD', description: null });
    reject(create, { amount: 19.99, currency: 'USD' });
    reject(create, { amount: 0, currency: 'USD' });
    reject(create, { amount: 100_000_000, currency: 'USD' });
    reject(create, { amount: 1999, currency: 'usd' });
    reject(create, { amount: 1999, currency: 'USD', amuont: 1 });
    reject(create, { currency: 'USD' });
    accept('#/components/schemas/CreateRefundRequest', {});
    reject('#/components/schemas/CancelPaymentIntentRequest', { reason: 'x' });
    reject('#/components/schemas/AddCardRequest', { number: '4242424242424242', exp_month: 13, exp_year: 2030, cvc: '123', name: 'A' });
  });
});

describe('the routes and the document', () => {
  /** The app as main.ts builds it; nothing here is called, only registered. */
  function appRoutes(): string[] {
    const unused = new Proxy({}, { get: () => () => undefined });
    const lease = { workerId: 'routes', leaseMs: 1 };
    const app = createApp({
      logger: silentLogger,
      hosts: [],
      merchant: { db: unused, now: () => new Date(), clientSecrets: unused, outbox: unused, lease, logger: silentLogger, extraRoutes: { '/webhook_endpoints': webhookEndpointRoutes({ db: unused as never, now: () => new Date(), workerId: 'routes' }) } },
      shopper: { db: unused, banks: unused, publicOrigin: 'http://localhost:1', now: () => new Date(), logger: silentLogger, outbox: unused, lease, rateLimiter: unused },
      assets: { db: unused, distDir: '/nonexistent' },
      metrics: { registry: new Registry() },
    } as unknown as AppParts);
    return app.routes
      .filter((route) => route.method !== 'ALL' && (route.path.startsWith('/v1/') || route.path.startsWith('/api/frame/')))
      .map((route) => `${route.method} ${toOpenApiPath(route.path)}`);
  }

  test('every API route the app registers is in the document, and every operation of the document is a route', () => {
    const documented = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
    assert.deepEqual(
      [...new Set(appRoutes())].sort(),
      documented.sort(),
      'every /v1 and /api/frame route is listed in server/openapi/api-operations.ts (with the schemas it parses and answers), and nothing else',
    );
    assert.equal(documented.length, API_OPERATIONS.length);
    assert.equal(new Set(API_OPERATIONS.map((o) => o.operationId)).size, API_OPERATIONS.length, 'operation ids are unique');
  });
});

describe('a real server answers as the document says', () => {
  let bank: TestBank;
  let wallet: TestWallet;
  let receiver: WebhookReceiver;
  /** `operationId status` of every answer checked. */
  const seen = new Set<string>();

  /** Sends a request, and checks the answer (and, when the server accepted it, the request body) against the document. */
  async function call(method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const res = await wallet.request(method, pathname, body, headers);
    const found = findOperation(method, new URL(pathname, wallet.url).pathname);
    assert.ok(found, `${method} ${pathname} is in the document`);
    const { operation } = found;
    const response = responseFor(operation, res.status);
    const where = `${method} ${pathname} → ${res.status}`;
    assert.ok(response, `${where}: a documented status`);
    const text = await res.clone().text();
    const ref = jsonSchemaRef(response);
    if (!ref) {
      assert.equal(text, '', `${where}: no body`);
    } else {
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/, where);
      assert.deepEqual(validateSchema(ref, JSON.parse(text)), [], `${where}: ${text}`);
    }
    if (res.ok && body !== undefined) {
      const requestRef = jsonSchemaRef(operation.requestBody);
      assert.ok(requestRef, `${where}: the document takes a body`);
      assert.deepEqual(validateSchema(requestRef, body), [], `${where}: the document accepts the body the server accepted`);
    }
    if (res.headers.get('idempotent-replayed')) assert.ok((response.headers as Record<string, unknown> | undefined)?.['Idempotent-Replayed'], `${where}: documents Idempotent-Replayed`);
    seen.add(`${operation.operationId} ${res.ok ? res.status : `${String(res.status)[0]}XX`}`);
    return res;
  }
  const checked = (): TestWallet => ({ ...wallet, request: call });
  const merchant = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    call(method, path, body, { authorization: `Bearer ${wallet.secretKey}`, ...headers });

  before(async () => {
    bank = await startTestBank();
    wallet = await startTestWallet({ bank: bank.config });
    receiver = await startWebhookReceiver();
  });
  after(async () => {
    await receiver?.close();
    await wallet?.close();
    await bank?.close();
  });

  test('GET /openapi.json serves the document: public, cacheable, no secret', async () => {
    const res = await fetch(new URL('/openapi.json', wallet.url));
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=300');
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const text = await res.text();
    assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(document)));
    assert.ok(!text.includes(wallet.secretKey) && !/sk_test_|whsec_[A-Za-z0-9]{8}/.test(text), 'no secret in the document');
    const again = await fetch(new URL('/openapi.json', wallet.url), { headers: { 'if-none-match': res.headers.get('etag')! } });
    assert.equal(again.status, 304);
  });

  test('GET /openapi.json answers If-None-Match as RFC 9110 says: a list, a weak form of its tag or * is a 304, another tag is not', async () => {
    const tag = (await fetch(new URL('/openapi.json', wallet.url))).headers.get('etag')!;
    assert.match(tag, /^"[A-Za-z0-9_-]+"$/);
    const status = async (ifNoneMatch: string) => (await fetch(new URL('/openapi.json', wallet.url), { headers: { 'if-none-match': ifNoneMatch } })).status;
    assert.equal(await status(`"other", ${tag}`), 304, 'one of a list');
    assert.equal(await status(`W/${tag}`), 304, 'weak comparison');
    assert.equal(await status('*'), 304);
    assert.equal(await status('"other"'), 200);
    assert.equal(await status(tag.replace(/"$/, 'x"')), 200);
  });

  test('the demo shop renders the served document as a reference page: every operation, webhook and schema', async () => {
    const shop = createShopApp({ wallet: createWalletClient(wallet.url, wallet.secretKey), walletUrl: wallet.url, webhookSecret: () => undefined });
    const res = await shop.request('/api-reference');
    assert.equal(res.status, 200);
    const html = await res.text();
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        assert.match(html, new RegExp(`<article id="${operation.operationId}">\\n<h3><span class="method">${method}</span> <code>${path.replace(/[{}]/g, '\\$&')}</code>`), `${method} ${path}`);
      }
    }
    for (const type of Object.keys(document.webhooks)) assert.ok(html.includes(`— ${type}</code>`), type);
    for (const name of Object.keys(document.components.schemas)) assert.ok(html.includes(`<section class="schema" id="schema-${name}">`), name);
    for (const [, href] of html.matchAll(/href="#schema-(\w+)"/g)) assert.ok(document.components.schemas[href], `the link to ${href} has a target`);
    assert.ok(!html.includes(wallet.secretKey), 'no secret key on the page');
    assert.ok(!/<script/.test(html), 'no script');

    const unreachable = createShopApp({ wallet: createWalletClient('http://127.0.0.1:9', 'sk'), walletUrl: 'http://127.0.0.1:9', webhookSecret: () => undefined });
    assert.equal((await unreachable.request('/api-reference')).status, 502);
  });

  test('the merchant API: intents, cancel, a payment, refunds, webhook endpoints, and errors', async () => {
    const endpoint = await (await merchant('POST', '/v1/webhook_endpoints', { url: receiver.url, events: ['payment_intent.succeeded', 'refund.succeeded'] })).json();
    await merchant('GET', '/v1/webhook_endpoints');
    const spare = await (await merchant('POST', '/v1/webhook_endpoints', { url: `${receiver.url}/spare` })).json();
    assert.equal((await merchant('DELETE', `/v1/webhook_endpoints/${spare.id}`)).status, 204);

    const created = await merchant('POST', '/v1/payment_intents', { amount: 1999, currency: 'USD', description: 'Paykey Tee', reference: 'order-42' }, { 'idempotency-key': 'order-42' });
    assert.equal(created.status, 201);
    const replayed = await merchant('POST', '/v1/payment_intents', { amount: 1999, currency: 'USD', description: 'Paykey Tee', reference: 'order-42' }, { 'idempotency-key': 'order-42' });
    assert.equal(replayed.headers.get('idempotent-replayed'), 'true');
    const toCancel = await (await merchant('POST', '/v1/payment_intents', { amount: 500, currency: 'EUR' })).json();
    assert.equal((await merchant('POST', `/v1/payment_intents/${toCancel.id}/cancel`)).status, 200);
    await merchant('GET', `/v1/payment_intents/${toCancel.id}`);

    // A shopper pays through the frame's API, checked the same way.
    const frame = checked();
    const authenticator = new SoftwareAuthenticator();
    const intent = await (await created.clone().json()) as { id: string; client_secret: string };
    await call('POST', '/api/frame/checkout', { client_secret: intent.client_secret });
    await call('GET', '/api/frame/brands');
    const session: SessionResponse = await registerShopper(frame, authenticator, intent.client_secret, `openapi-${Date.now()}@example.com`);
    const card = await addCard(frame, session.sessionToken);
    const { challengeId, options } = await confirmationOptions(frame, intent.client_secret, card.id, session.sessionToken);
    const paid = await sendConfirmation(frame, intent.client_secret, challengeId, authenticator.getAssertion(options, inFrame(wallet)), session.sessionToken);
    assert.equal((await paid.json()).status, 'succeeded');
    // The shopper's history: the payments list and the receipt, and another shopper's (or no) payment.
    assert.equal((await call('GET', '/api/frame/payments?limit=10', undefined, bearer(session.sessionToken))).status, 200);
    assert.equal((await call('GET', `/api/frame/payments/${intent.id}`, undefined, bearer(session.sessionToken))).status, 200);
    await call('GET', '/api/frame/payments');
    await call('GET', '/api/frame/payments?limit=0', undefined, bearer(session.sessionToken));
    await call('GET', '/api/frame/payments/pi_nope', undefined, bearer(session.sessionToken));
    assert.equal((await call('GET', '/api/frame/spending-summary', undefined, bearer(session.sessionToken))).status, 200);
    await call('GET', '/api/frame/spending-summary');
    // Abandoning a payment by bank once the payment is settled answers where it stands.
    assert.equal((await call('POST', '/api/frame/bank-payments/abandon', { client_secret: intent.client_secret })).status, 200);

    assert.equal((await merchant('POST', `/v1/payment_intents/${intent.id}/refunds`, { amount: 500 }, { 'idempotency-key': 'refund-42-1' })).status, 201);
    await merchant('POST', `/v1/payment_intents/${intent.id}/refunds`);
    await merchant('GET', `/v1/payment_intents/${intent.id}/refunds`);
    await merchant('GET', `/v1/payment_intents/${intent.id}`);

    // Errors, each from another layer: authentication, validation, state, lookup, media type, JSON, idempotency.
    await call('GET', `/v1/payment_intents/${intent.id}`);
    await call('GET', '/v1/webhook_endpoints', undefined, { authorization: 'Bearer sk_test_wrong' });
    await merchant('POST', '/v1/payment_intents', { amount: 19.99, currency: 'USD' });
    await merchant('POST', `/v1/payment_intents/${intent.id}/cancel`);
    await merchant('POST', `/v1/payment_intents/${toCancel.id}/refunds`, { amount: 1 });
    await merchant('GET', '/v1/payment_intents/pi_nope');
    await merchant('GET', '/v1/payment_intents/pi_nope/refunds');
    await merchant('POST', '/v1/payment_intents', 'amount=1', { 'content-type': 'text/plain' });
    await merchant('POST', '/v1/payment_intents', '{"amount":1,"amount":2}');
    await merchant('POST', '/v1/payment_intents', { amount: 1, currency: 'USD' }, { 'idempotency-key': 'order-42' });
    await merchant('POST', '/v1/webhook_endpoints', { url: 'ftp://shop.example' });
    await merchant('DELETE', `/v1/webhook_endpoints/${spare.id}`);

    // Webhook events as delivered, against the document's `webhooks`.
    await wallet.server.runWorkersNow();
    const delivered = await receiver.waitFor(3);
    for (const request of delivered) {
      const event = JSON.parse(request.body) as { type: string };
      const post = document.webhooks[event.type]?.post;
      assert.ok(post, `${event.type} is a documented webhook`);
      assert.deepEqual(validateSchema(jsonSchemaRef(post.requestBody)!, event), [], request.body);
      for (const header of post.parameters ?? []) assert.ok(request.headers[String(header.name).toLowerCase()], `${event.type} carries ${header.name}`);
    }
    assert.deepEqual(delivered.map((r) => JSON.parse(r.body).type).sort(), ['payment_intent.succeeded', 'refund.succeeded', 'refund.succeeded']);
    assert.ok(endpoint.secret);
  });

  test('the frame API: sign-in, cards, and errors', async () => {
    const frame = checked();
    const authenticator = new SoftwareAuthenticator();
    const intent = await createIntent(wallet);
    const { sessionToken } = await registerShopper(frame, authenticator, intent.client_secret, `openapi-frame-${Date.now()}@example.com`);
    const options = await (await call('POST', '/api/frame/sessions/options', { client_secret: intent.client_secret })).json();
    const response = authenticator.getAssertion(options.options, inFrame(wallet));
    assert.equal((await call('POST', '/api/frame/sessions', { client_secret: intent.client_secret, challenge_id: options.challengeId, response })).status, 201);
    const card = await addCard(frame, sessionToken);
    await call('GET', '/api/frame/cards', undefined, bearer(sessionToken));
    assert.equal((await call('DELETE', `/api/frame/cards/${card.id}`, undefined, bearer(sessionToken))).status, 204);

    await call('GET', '/api/frame/cards');
    await call('POST', '/api/frame/checkout', { client_secret: 'pi_x_secret_nope' });
    await call('POST', '/api/frame/sessions/options', { client_secret: 'pi_x_secret_nope' });
    await call('POST', '/api/frame/registrations/options', { client_secret: intent.client_secret, email: 'not an email' });
    await call('POST', '/api/frame/cards', { number: '4242', exp_month: 1, exp_year: 2030, cvc: '1', name: 'x' }, bearer(sessionToken));
    await call('POST', '/api/frame/quotes', { client_secret: intent.client_secret, card_id: 'card_nope' }, bearer(sessionToken));
    await call('POST', '/api/frame/confirmations/options', { client_secret: intent.client_secret, card_id: 'card_nope', quote_id: 'quo_nope' }, bearer(sessionToken));
    await call('POST', '/api/frame/confirmations', { client_secret: intent.client_secret, challenge_id: 'nope', response: {} });
    await call('POST', '/api/frame/sessions', { client_secret: intent.client_secret, challenge_id: 'nope', response: {} });
    await call('POST', '/api/frame/registrations', { client_secret: intent.client_secret, challenge_id: 'nope', response: {} });
    await call('DELETE', '/api/frame/cards/card_nope', undefined, bearer(sessionToken));
    // Pay by bank is not offered by this server (no Open Banking bank): its answers here are errors.
    await call('POST', '/api/frame/bank-payments/options', { client_secret: intent.client_secret, bank: 'meridian' }, bearer(sessionToken));
    await call('POST', '/api/frame/bank-payments', { client_secret: intent.client_secret, challenge_id: 'nope', response: {} });
    await call('POST', '/api/frame/bank-payments/abandon', { client_secret: intent.client_secret });
    // Bank offers and the shopper's offer switches: answers and refusals.
    const offerCard = await addCard(frame, sessionToken);
    assert.equal((await call('POST', '/api/frame/offers', { client_secret: intent.client_secret, card_ids: [offerCard.id] }, bearer(sessionToken))).status, 200);
    await call('POST', '/api/frame/offers', { client_secret: intent.client_secret, card_ids: [] }, bearer(sessionToken));
    assert.equal((await call('GET', '/api/frame/offer-settings', undefined, bearer(sessionToken))).status, 200);
    await call('GET', '/api/frame/offer-settings');
    assert.equal((await call('PUT', '/api/frame/offer-settings', { general: false, personalized: false }, bearer(sessionToken))).status, 200);
    await call('PUT', '/api/frame/offer-settings', { general: 'yes', personalized: false }, bearer(sessionToken));
    // A one-time card (save: false) is added too; signing out ends the session: once, then the token is unknown.
    const oneTime = { number: '4242424242424242', exp_month: 12, exp_year: new Date().getFullYear() + 2, cvc: '123', name: 'Ada', save: false };
    assert.equal((await call('POST', '/api/frame/cards', oneTime, bearer(sessionToken))).status, 201);
    assert.equal((await call('DELETE', '/api/frame/sessions/current', undefined, bearer(sessionToken))).status, 204);
    assert.equal((await call('DELETE', '/api/frame/sessions/current', undefined, bearer(sessionToken))).status, 401);
  });

  /** Successes that need a process this test does not start, and where they are exercised instead. */
  const SUCCESS_ELSEWHERE: Record<string, string> = {
    startBankPayment: 'needs the Meridian Open Banking bank (test/server/pay-by-bank.test.ts)',
    confirmBankPayment: 'needs the Meridian Open Banking bank (test/server/pay-by-bank.test.ts)',
  };

  /** Operations that take nothing from the client (no body, query, path parameter or authorization) to refuse. */
  const NO_CLIENT_ERROR: Record<string, string> = {
    getBankBrands: 'GET /api/frame/brands: public, no input; its answer is checked against the document above',
  };

  test('every operation was answered as documented, its success and an error', () => {
    for (const operation of API_OPERATIONS) {
      if (!SUCCESS_ELSEWHERE[operation.operationId]) assert.ok(seen.has(`${operation.operationId} ${operation.success.status}`), `${operation.operationId} ${operation.success.status} was checked`);
      if (!NO_CLIENT_ERROR[operation.operationId]) assert.ok(seen.has(`${operation.operationId} 4XX`), `${operation.operationId}: an error was checked`);
    }
  });
});

describe('the README\'s "For merchants" examples agree with the document', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('\n## For merchants\n');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  /** Each fenced block with its language, the `###` heading it sits under, and the block before it. */
  const blocks = [...section.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((match) => ({
    lang: match[1],
    text: match[2],
    heading: [...section.slice(0, match.index).matchAll(/^### (.+)$/gm)].at(-1)?.[1] ?? '',
  }));
  /** JSON blocks that are no answer to a curl: which schema each heading's example is. */
  const SCHEMA_BY_HEADING: Record<string, string> = { Errors: '#/components/schemas/Error', Webhooks: '#/components/schemas/WebhookEvent' };

  interface Curl { method: string; path: string; headers: Record<string, string>; body?: string }
  function parseCurls(text: string): Curl[] {
    const commands = text.replace(/\\\n\s*/g, ' ').split('\n').filter((line) => line.trim().startsWith('curl '));
    return commands.map((command) => {
      const url = /(http:\/\/localhost:8787\S+)/.exec(command)?.[1];
      assert.ok(url, `a curl against the wallet: ${command}`);
      const headers = Object.fromEntries([...command.matchAll(/-H "([^:]+): ([^"]*)"/g)].map(([, name, value]) => [name.toLowerCase(), value]));
      const body = /-d '([^']*)'/.exec(command)?.[1];
      const method = /-X (\w+)/.exec(command)?.[1] ?? (body === undefined ? 'GET' : 'POST');
      return { method, path: new URL(url).pathname, headers, body };
    });
  }

  function checkCurl(curl: Curl): OpenApiOperation {
    const where = `README: curl ${curl.method} ${curl.path}`;
    const found = findOperation(curl.method, curl.path);
    assert.ok(found, `${where} is an operation of the document`);
    const { operation } = found;
    if (operation.security?.some((s) => 'secretKey' in s)) assert.match(curl.headers.authorization ?? '', /^Bearer \S+$/, `${where} sends the secret key`);
    const idempotent = operation.parameters?.some((p) => p.$ref === '#/components/parameters/IdempotencyKey') ?? false;
    if (curl.headers['idempotency-key'] !== undefined) assert.ok(idempotent, `${where} takes an Idempotency-Key`);
    if (curl.body === undefined) {
      assert.ok(!operation.requestBody?.required, `${where} needs a body`);
    } else {
      assert.equal(curl.headers['content-type'], 'application/json', `${where} says its body is JSON`);
      const ref = jsonSchemaRef(operation.requestBody);
      assert.ok(ref, `${where} takes a body`);
      assert.deepEqual(validateSchema(ref, JSON.parse(curl.body)), [], `${where}: ${curl.body}`);
    }
    return operation;
  }

  test('the section has examples to check', () => {
    assert.ok(start > 0);
    assert.ok(blocks.filter((b) => b.lang === 'sh').length >= 2 && blocks.filter((b) => b.lang === 'json').length >= 4);
  });

  test('every curl is an operation with the headers and body it takes, and every JSON block is a valid answer or event', () => {
    let lastCurl: OpenApiOperation | undefined;
    let checkedJson = 0;
    for (const block of blocks) {
      if (block.lang === 'sh') {
        const curls = parseCurls(block.text);
        lastCurl = curls.map(checkCurl).at(-1);
        continue;
      }
      if (block.lang === 'json') {
        const example = JSON.parse(block.text) as unknown;
        const success = lastCurl && Object.keys(lastCurl.responses).find((status) => /^2\d\d$/.test(status));
        const ref = lastCurl && success ? jsonSchemaRef(lastCurl.responses[success]) : SCHEMA_BY_HEADING[block.heading];
        assert.ok(ref, `README: the JSON block under "${block.heading}" is the answer to a curl, or its heading says what it is`);
        assert.deepEqual(validateSchema(ref, example), [], `README (${block.heading}) against ${ref}:\n${block.text}`);
        checkedJson += 1;
      }
      lastCurl = undefined;
    }
    assert.equal(checkedJson, blocks.filter((b) => b.lang === 'json').length);
  });

  test('every `METHOD /path` the text names is an operation, and an inline body after one is valid for it', () => {
    const mentions = [...section.matchAll(/`(GET|POST|DELETE) (\/[^`\s]+)`(?:\s+`(\{[^`]*\})`)?/g)];
    assert.ok(mentions.length >= 5);
    for (const [, method, path, body] of mentions) {
      const found = findOperation(method, path.replace(/:(\w+)/g, 'x'));
      assert.ok(found, `README names ${method} ${path}, an operation of the document`);
      if (body) assert.deepEqual(validateSchema(jsonSchemaRef(found.operation.requestBody)!, JSON.parse(body)), [], `README: ${method} ${path} ${body}`);
    }
  });
});
