import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Hono } from 'hono';
import { createErrorHandler, notFound } from '../../server/errors/handle-error.ts';
import { silentLogger } from '../../server/http/logger.ts';
import { createMerchant, findMerchant, type Merchant } from '../../server/store/merchants.ts';
import { enqueueWebhookEvent, WEBHOOK_EVENT_TYPES } from '../../server/webhooks/enqueue-webhook-event.ts';
import { webhookEndpointRoutes } from '../../server/webhooks/webhook-endpoint-routes.ts';
import { MAX_ENDPOINTS_PER_MERCHANT } from '../../server/webhooks/webhook-endpoints.ts';
import { createTestClock } from '../support/test-clock.ts';
import { openTestWalletDb, type TestWalletDb } from '../support/test-wallet-db.ts';

/**
 * The routes as the merchant API mounts them, behind a stand-in for its
 * authentication (`x-test-merchant` names the merchant).
 */
let store: TestWalletDb;
let app: Hono;
let alice: Merchant;
let bob: Merchant;
const clock = createTestClock();

before(async () => {
  store = await openTestWalletDb();
  alice = await createMerchant(store.db, { secretKey: 'sk_test_alice', origins: ['https://alice.example'] }, clock.now());
  bob = await createMerchant(store.db, { secretKey: 'sk_test_bob', origins: ['https://bob.example'] }, clock.now());
  app = new Hono();
  app.use('/v1/*', async (c, next) => {
    c.set('merchant' as never, (await findMerchant(store.db, c.req.header('x-test-merchant') ?? '')) as never);
    await next();
  });
  app.route('/v1/webhook_endpoints', webhookEndpointRoutes({ db: store.db, now: clock.now, workerId: 'test-worker' }));
  app.notFound(notFound);
  app.onError(createErrorHandler(silentLogger));
});
after(() => store.close());

function call(merchant: Merchant, method: string, path: string, body?: unknown, extra: Record<string, string> = {}) {
  const headers: Record<string, string> = { 'x-test-merchant': merchant.id, ...extra };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return app.request(path, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
}
const create = (merchant: Merchant, body: unknown) => call(merchant, 'POST', '/v1/webhook_endpoints', body);
const list = async (merchant: Merchant) => (await (await call(merchant, 'GET', '/v1/webhook_endpoints')).json()).data as Array<Record<string, unknown>>;

async function expectError(res: Response, status: number, code: string): Promise<string> {
  const body = await res.json();
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status} ${JSON.stringify(body)}`);
  assert.equal(body.error?.code, code, JSON.stringify(body));
  return body.error.message;
}

describe('POST /v1/webhook_endpoints', () => {
  test('creates an endpoint for every event type and shows its secret once', async () => {
    const res = await create(alice, { url: 'https://alice.example/hooks/paykey' });
    assert.equal(res.status, 201);
    const endpoint = await res.json();
    assert.deepEqual(Object.keys(endpoint), ['id', 'object', 'url', 'events', 'secret', 'created_at']);
    assert.match(endpoint.id, /^we_[0-9A-Za-z]{20}$/);
    assert.equal(endpoint.object, 'webhook_endpoint');
    assert.equal(endpoint.url, 'https://alice.example/hooks/paykey');
    assert.deepEqual(endpoint.events, [...WEBHOOK_EVENT_TYPES]);
    assert.match(endpoint.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    assert.equal(endpoint.created_at, clock.now().toISOString());

    const listed = (await list(alice)).find((e) => e.id === endpoint.id);
    const { secret, ...withoutSecret } = endpoint;
    assert.deepEqual(listed, withoutSecret);
    assert.ok(secret);
  });

  test('each endpoint gets its own secret', async () => {
    const a = await (await create(alice, { url: 'http://127.0.0.1:9/a' })).json();
    const b = await (await create(alice, { url: 'http://127.0.0.1:9/a' })).json();
    assert.notEqual(a.secret, b.secret);
    await call(alice, 'DELETE', `/v1/webhook_endpoints/${a.id}`);
    await call(alice, 'DELETE', `/v1/webhook_endpoints/${b.id}`);
  });

  test('subscribes to the listed types only (deduplicated, in canonical order)', async () => {
    const res = await create(bob, { url: 'http://127.0.0.1:8789/webhooks', events: ['refund.failed', 'payment_intent.succeeded', 'refund.failed'] });
    assert.equal(res.status, 201);
    assert.deepEqual((await res.json()).events, ['payment_intent.succeeded', 'refund.failed']);
  });

  test('unknown event types are 422 invalid_request naming them', async () => {
    const message = await expectError(
      await create(alice, { url: 'https://alice.example/h', events: ['payment_intent.succeeded', 'charge.succeeded', 'payment_intent.created'] }),
      422,
      'invalid_request',
    );
    assert.match(message, /"charge\.succeeded"/);
    assert.match(message, /"payment_intent\.created"/);
    assert.doesNotMatch(message, /unknown event types? "payment_intent\.succeeded"/);
  });

  test('an empty or malformed event list is 422 invalid_request', async () => {
    await expectError(await create(alice, { url: 'https://alice.example/h', events: [] }), 422, 'invalid_request');
    await expectError(await create(alice, { url: 'https://alice.example/h', events: 'payment_intent.succeeded' }), 422, 'invalid_request');
    await expectError(await create(alice, { url: 'https://alice.example/h', events: [42] }), 422, 'invalid_request');
  });

  test('a URL that is not absolute http(s) is 422 invalid_url', async () => {
    for (const url of ['ftp://alice.example/h', 'javascript:alert(1)', 'file:///etc/passwd', '/relative', 'not a url', '', 42, null]) {
      await expectError(await create(alice, { url }), 422, 'invalid_url');
    }
    await expectError(await create(alice, {}), 422, 'invalid_url');
    await expectError(await create(alice, { url: `https://alice.example/${'a'.repeat(2100)}` }), 422, 'invalid_url');
  });

  test('unknown fields, non-JSON bodies and other content types are refused', async () => {
    await expectError(await create(alice, { url: 'https://alice.example/h', secret: 'whsec_mine' }), 422, 'invalid_request');
    await expectError(await create(alice, '{not json'), 400, 'invalid_request');
    const res = await app.request('/v1/webhook_endpoints', {
      method: 'POST',
      headers: { 'x-test-merchant': alice.id, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'url=https://alice.example/h',
    });
    await expectError(res, 415, 'unsupported_media_type');
  });

  test('a retry with the same Idempotency-Key creates one endpoint and answers it again, secret included', async () => {
    const erin = await createMerchant(store.db, { secretKey: 'sk_test_erin', origins: ['https://erin.example'] }, clock.now());
    const body = { url: 'https://erin.example/hooks', events: ['payment_intent.succeeded'] };
    const first = await call(erin, 'POST', '/v1/webhook_endpoints', body, { 'idempotency-key': 'register-1' });
    assert.equal(first.status, 201);
    const again = await call(erin, 'POST', '/v1/webhook_endpoints', body, { 'idempotency-key': 'register-1' });
    assert.equal(again.status, 201);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(await again.json(), await first.json());
    assert.equal((await list(erin)).length, 1);
    const stored = await store.db.selectFrom('idempotency_keys').select('response_body').where('merchant_id', '=', erin.id).executeTakeFirstOrThrow();
    assert.doesNotMatch(stored.response_body!, /whsec_/, 'the stored answer keeps no secret');

    const other = await call(erin, 'POST', '/v1/webhook_endpoints', { url: 'https://erin.example/other' }, { 'idempotency-key': 'register-1' });
    await expectError(other, 422, 'idempotency_key_reused');
    await expectError(await call(erin, 'POST', '/v1/webhook_endpoints', body, { 'idempotency-key': '' }), 400, 'invalid_request');
  });

  test(`a merchant has at most ${MAX_ENDPOINTS_PER_MERCHANT} live endpoints`, async () => {
    const carol = await createMerchant(store.db, { secretKey: 'sk_test_carol', origins: ['https://carol.example'] }, clock.now());
    const ids: string[] = [];
    for (let i = 0; i < MAX_ENDPOINTS_PER_MERCHANT; i++) {
      const res = await create(carol, { url: `https://carol.example/h${i}` });
      assert.equal(res.status, 201);
      ids.push((await res.json()).id);
    }
    await expectError(await create(carol, { url: 'https://carol.example/one-more' }), 422, 'invalid_request');
    assert.equal((await call(carol, 'DELETE', `/v1/webhook_endpoints/${ids[0]}`)).status, 204);
    assert.equal((await create(carol, { url: 'https://carol.example/one-more' })).status, 201);
  });
});

describe('GET and DELETE /v1/webhook_endpoints', () => {
  test("a merchant sees and deletes only its own endpoints: another's id is 404 resource_missing", async () => {
    const mine = await (await create(alice, { url: 'https://alice.example/isolated' })).json();
    assert.ok(!(await list(bob)).some((e) => e.id === mine.id));
    await expectError(await call(bob, 'DELETE', `/v1/webhook_endpoints/${mine.id}`), 404, 'resource_missing');
    assert.ok((await list(alice)).some((e) => e.id === mine.id), 'still there');
  });

  test('DELETE is 204, the endpoint leaves the list, and a second DELETE is 404', async () => {
    const endpoint = await (await create(alice, { url: 'https://alice.example/gone' })).json();
    const res = await call(alice, 'DELETE', `/v1/webhook_endpoints/${endpoint.id}`);
    assert.equal(res.status, 204);
    assert.equal(await res.text(), '');
    assert.ok(!(await list(alice)).some((e) => e.id === endpoint.id));
    await expectError(await call(alice, 'DELETE', `/v1/webhook_endpoints/${endpoint.id}`), 404, 'resource_missing');
    await expectError(await call(alice, 'DELETE', '/v1/webhook_endpoints/we_nope'), 404, 'resource_missing');
  });

  test('DELETE drops the pending deliveries to that endpoint (failed, done) and no later event is queued for it', async () => {
    const dave = await createMerchant(store.db, { secretKey: 'sk_test_dave', origins: ['https://dave.example'] }, clock.now());
    const gone = await (await create(dave, { url: 'https://dave.example/gone' })).json();
    const kept = await (await create(dave, { url: 'https://dave.example/kept' })).json();
    const event = await enqueueWebhookEvent(store.db, { merchantId: dave.id, type: 'payment_intent.succeeded', object: { id: 'pi_1' }, now: clock.now() });
    assert.equal((await call(dave, 'DELETE', `/v1/webhook_endpoints/${gone.id}`)).status, 204);

    const deliveries = await store.db.selectFrom('webhook_deliveries').selectAll().where('event_id', '=', event.id).orderBy('endpoint_id').execute();
    const byEndpoint = Object.fromEntries(deliveries.map((d) => [d.endpoint_id, d]));
    assert.equal(byEndpoint[gone.id].status, 'failed');
    assert.equal(byEndpoint[gone.id].last_error, 'endpoint_deleted');
    assert.notEqual(byEndpoint[gone.id].done_at, null);
    assert.equal(byEndpoint[kept.id].status, 'pending');
    assert.equal(byEndpoint[kept.id].done_at, null);

    const later = await enqueueWebhookEvent(store.db, { merchantId: dave.id, type: 'refund.succeeded', object: { id: 're_1' }, now: clock.now() });
    const laterDeliveries = await store.db.selectFrom('webhook_deliveries').select('endpoint_id').where('event_id', '=', later.id).execute();
    assert.deepEqual(laterDeliveries, [{ endpoint_id: kept.id }]);
  });
});
