import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import type { Logger } from '../../server/http/logger.ts';
import type { WalletDb } from '../../server/store/database.ts';
import { createMerchant, type Merchant } from '../../server/store/merchants.ts';
import { enqueueWebhookEvent, type WebhookEventType } from '../../server/webhooks/enqueue-webhook-event.ts';
import { createWebhookDelivery, type WebhookDeliveryDeps } from '../../server/webhooks/webhook-delivery.ts';
import { createWebhookEndpoint, deleteWebhookEndpoint, type WebhookEndpoint } from '../../server/webhooks/webhook-endpoints.ts';
import { verifyWebhookSignature } from '../../server/webhooks/webhook-signature.ts';
import { freePort } from '../support/free-port.ts';
import { createTestClock, type TestClock } from '../support/test-clock.ts';
import { openTestWalletDb, TEST_DB_ENGINE, type TestWalletDb } from '../support/test-wallet-db.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

let store: TestWalletDb;
let merchant: Merchant;
let receiver: WebhookReceiver;
let endpoint: WebhookEndpoint;
let clock: TestClock;
let logs: Array<{ level: string; event: string; fields: Record<string, unknown> }>;

before(async () => {
  store = await openTestWalletDb();
});
after(() => store.close());

beforeEach(async () => {
  clock = createTestClock(Date.parse('2025-03-01T10:00:00.000Z'));
  logs = [];
  merchant = await createMerchant(store.db, { secretKey: `sk_test_${Math.random()}`, origins: ['https://shop.example'] }, clock.now());
  receiver = await startWebhookReceiver();
  endpoint = await createWebhookEndpoint(store.db, { merchantId: merchant.id, url: receiver.url, events: ['payment_intent.succeeded', 'refund.succeeded'] }, clock.now());
});
afterEach(async () => {
  await receiver.close();
  // Each test starts with an empty queue.
  await store.db.updateTable('webhook_deliveries').set({ done_at: clock.now().toISOString() }).where('done_at', 'is', null).execute();
});

const logger: Logger = {
  info: (event, fields = {}) => logs.push({ level: 'info', event, fields }),
  warn: (event, fields = {}) => logs.push({ level: 'warn', event, fields }),
  error: (event, fields = {}) => logs.push({ level: 'error', event, fields }),
};

function worker(overrides: Partial<WebhookDeliveryDeps> = {}) {
  return createWebhookDelivery({ db: store.db, logger, now: () => clock.now(), workerId: 'worker-a', timeoutMs: 1_000, ...overrides });
}

/** One pass as `startJobWorker` makes it: claim what is due, run each. */
async function pass(delivery = worker(), limit = 10): Promise<string[]> {
  const ids = await delivery.claim(limit);
  await Promise.all(ids.map((id) => delivery.run(id)));
  return ids;
}

function enqueue(type: WebhookEventType = 'payment_intent.succeeded', object: unknown = { id: 'pi_123', object: 'payment_intent', status: 'succeeded' }) {
  return enqueueWebhookEvent(store.db, { merchantId: merchant.id, type, object, now: clock.now() });
}

async function deliveryOf(eventId: string, db: WalletDb = store.db) {
  return db.selectFrom('webhook_deliveries').selectAll().where('event_id', '=', eventId).executeTakeFirstOrThrow();
}

describe('webhook delivery', () => {
  test('POSTs the stored payload verbatim, signed, with the event id, then records it delivered', async () => {
    const event = await enqueue();
    assert.equal((await pass()).length, 1);
    const [request] = receiver.requests;
    assert.equal(receiver.requests.length, 1);

    const stored = await store.db.selectFrom('webhook_events').select('payload').where('id', '=', event.id).executeTakeFirstOrThrow();
    assert.equal(request.body, stored.payload, 'byte for byte');
    assert.deepEqual(JSON.parse(request.body), event);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers['user-agent'], 'Paykey-Webhooks/1');
    assert.equal(request.headers['paykey-event-id'], event.id);
    const signature = request.headers['paykey-signature'] as string;
    assert.match(signature, new RegExp(`^t=${Math.floor(clock.now().getTime() / 1000)},v1=[0-9a-f]{64}$`));
    assert.equal(verifyWebhookSignature(request.body, signature, endpoint.secret, { now: clock.now() }), true);
    assert.equal(verifyWebhookSignature(request.body, signature, 'whsec_wrong', { now: clock.now() }), false);

    const delivery = await deliveryOf(event.id);
    assert.equal(delivery.status, 'delivered');
    assert.equal(delivery.tries, 1);
    assert.equal(delivery.last_status_code, 200);
    assert.equal(delivery.last_error, null);
    assert.equal(delivery.done_at, clock.now().toISOString());
    assert.equal(delivery.locked_by, null);
    assert.deepEqual(await pass(), [], 'nothing more to send');
    assert.equal(receiver.requests.length, 1);
  });

  test('only subscribed types are delivered', async () => {
    const refund = await enqueue('refund.succeeded', { id: 're_1' });
    await enqueue('payment_intent.canceled', { id: 'pi_2' });
    await pass();
    assert.deepEqual(receiver.requests.map((r) => r.headers['paykey-event-id']), [refund.id]);
  });

  test('a failing receiver is retried after the backoff with the same event id and body, then succeeds', async () => {
    receiver.respondWith(500);
    const event = await enqueue();
    await pass();
    let delivery = await deliveryOf(event.id);
    assert.equal(delivery.status, 'pending');
    assert.equal(delivery.tries, 1);
    assert.equal(delivery.last_status_code, 500);
    assert.equal(delivery.last_error, 'HTTP 500');
    assert.equal(delivery.locked_by, null);
    const wait = Date.parse(delivery.next_run_at) - clock.now().getTime();
    assert.ok(wait >= 5_000 && wait <= 10_000, `first retry after 5–10 s (10 s base, jittered), got ${wait} ms`);

    assert.deepEqual(await pass(), [], 'not due before its time');
    clock.advance(wait - 1);
    assert.deepEqual(await pass(), [], 'still not due');
    assert.equal(receiver.requests.length, 1);

    receiver.respondWith(204);
    clock.advance(1);
    assert.equal((await pass()).length, 1);
    assert.equal(receiver.requests.length, 2);
    const [first, second] = receiver.requests;
    assert.equal(second.headers['paykey-event-id'], first.headers['paykey-event-id']);
    assert.equal(second.body, first.body);
    assert.equal(JSON.parse(second.body).id, event.id, 'the dedup key is the body id too');
    assert.notEqual(second.headers['paykey-signature'], first.headers['paykey-signature'], 'signed afresh at each try');
    assert.equal(verifyWebhookSignature(second.body, second.headers['paykey-signature'] as string, endpoint.secret, { now: clock.now() }), true);

    delivery = await deliveryOf(event.id);
    assert.equal(delivery.status, 'delivered');
    assert.equal(delivery.tries, 2);
    assert.equal(delivery.last_status_code, 204);
    assert.equal(delivery.last_error, null);
    assert.deepEqual(logs.map((l) => l.event), ['webhook_delivery_retry', 'webhook_delivered']);
  });

  test('the wait doubles from try to try up to its cap', async () => {
    receiver.respondWith(503);
    const event = await enqueue();
    const backoff = { baseMs: 1_000, maxMs: 4_000 };
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      assert.equal((await pass(worker({ backoff }))).length, 1, `try ${i + 1} ran`);
      const delivery = await deliveryOf(event.id);
      const wait = Date.parse(delivery.next_run_at) - clock.now().getTime();
      waits.push(wait);
      clock.advance(wait);
    }
    const ceilings = [1_000, 2_000, 4_000, 4_000, 4_000];
    waits.forEach((wait, i) => assert.ok(wait >= ceilings[i] / 2 && wait <= ceilings[i], `wait ${i + 1}: ${wait} ms within [${ceilings[i] / 2}, ${ceilings[i]}]`));
    assert.equal(receiver.requests.length, 5);
    assert.equal((await deliveryOf(event.id)).tries, 5);
  });

  test('a receiver that does not answer in time counts as failed (and is retried)', async () => {
    receiver.respondWith('hang');
    const event = await enqueue();
    const started = Date.now();
    await pass(worker({ timeoutMs: 300 }));
    assert.ok(Date.now() - started < 3_000, 'the per-call timeout cut it short');
    const delivery = await deliveryOf(event.id);
    assert.equal(delivery.status, 'pending');
    assert.equal(delivery.last_status_code, null);
    assert.equal(delivery.last_error, 'timeout: no answer within 300 ms');
    assert.equal(receiver.requests.length, 1);
  });

  test('a refused connection counts as failed (and is retried)', async () => {
    const closed = await createWebhookEndpoint(
      store.db,
      { merchantId: merchant.id, url: `http://127.0.0.1:${await freePort()}/hooks`, events: ['refund.failed'] },
      clock.now(),
    );
    const event = await enqueue('refund.failed', { id: 're_2' });
    await pass();
    const delivery = await deliveryOf(event.id);
    assert.equal(delivery.endpoint_id, closed.id);
    assert.equal(delivery.status, 'pending');
    assert.equal(delivery.last_status_code, null);
    assert.equal(delivery.last_error, 'connection failed: ECONNREFUSED');
  });

  test('a redirect is not an acknowledgement', async () => {
    receiver.respondWith(302);
    const event = await enqueue();
    await pass();
    assert.equal((await deliveryOf(event.id)).status, 'pending');
    assert.equal((await deliveryOf(event.id)).last_status_code, 302);
  });

  test('gives up once the delivery is older than maxAgeMs: failed, done, one error log line', async () => {
    receiver.respondWith(500);
    const event = await enqueue();
    const delivery = worker({ maxAgeMs: 3 * 24 * 3600_000 });
    await pass(delivery);
    clock.advance(3 * 24 * 3600_000 - 60_000);
    await pass(delivery);
    assert.equal((await deliveryOf(event.id)).status, 'pending', 'still trying just before three days');
    clock.advance(3600_000);
    await pass(delivery);
    const row = await deliveryOf(event.id);
    assert.equal(row.status, 'failed');
    assert.notEqual(row.done_at, null);
    assert.equal(row.last_status_code, 500);
    assert.equal(row.tries, 3);
    clock.advance(24 * 3600_000);
    assert.deepEqual(await pass(delivery), []);
    assert.equal(receiver.requests.length, 3);

    const failures = logs.filter((l) => l.event === 'webhook_delivery_failed');
    assert.equal(failures.length, 1);
    assert.equal(failures[0].level, 'error');
    assert.deepEqual(
      { ...failures[0].fields },
      { delivery_id: row.id, event_id: event.id, event_type: 'payment_intent.succeeded', endpoint_id: endpoint.id, status_code: 500, error: 'HTTP 500', tries: 3 },
    );
  });

  test('logs and stored errors carry neither the secret nor the body', async () => {
    receiver.respondWith(500);
    const event = await enqueue('payment_intent.succeeded', { id: 'pi_secretive', description: 'a body marker 7f3a' });
    await pass(worker({ maxAgeMs: 0 }));
    const row = await deliveryOf(event.id);
    const everything = JSON.stringify(logs) + JSON.stringify(row);
    assert.ok(!everything.includes(endpoint.secret));
    assert.ok(!everything.includes('7f3a'));
    assert.ok(!everything.includes(receiver.url), 'the URL may carry credentials: logs name the endpoint by id');
  });

  test('a deleted endpoint gets nothing more: its pending retries are dropped', async () => {
    receiver.respondWith(500);
    const event = await enqueue();
    await pass();
    assert.equal(receiver.requests.length, 1);
    assert.equal(await deleteWebhookEndpoint(store.db, merchant.id, endpoint.id, clock.now()), true);
    receiver.respondWith(200);
    clock.advance(3600_000);
    assert.deepEqual(await pass(), []);
    await enqueue();
    assert.deepEqual(await pass(), []);
    assert.equal(receiver.requests.length, 1);
    const row = await deliveryOf(event.id);
    assert.deepEqual([row.status, row.last_error], ['failed', 'endpoint_deleted']);
  });

  test('a delivery whose endpoint was deleted under it is dropped without a request', async () => {
    const event = await enqueue();
    const delivery = worker();
    const [id] = await delivery.claim(10);
    // Deleted between the claim and the run (a raw delete, bypassing the drop in deleteWebhookEndpoint).
    await store.db.updateTable('webhook_endpoints').set({ deleted_at: clock.now().toISOString() }).where('id', '=', endpoint.id).execute();
    await delivery.run(id);
    assert.equal(receiver.requests.length, 0);
    const row = await deliveryOf(event.id);
    assert.deepEqual([row.status, row.last_error, row.tries], ['failed', 'endpoint_deleted', 0]);
    assert.notEqual(row.done_at, null);
  });
});

describe(`several workers on one table (${TEST_DB_ENGINE})`, () => {
  test('two workers racing deliver each delivery exactly once', async () => {
    // PostgreSQL: two pools, as two server processes have. SQLite serves one process (one connection).
    const other = TEST_DB_ENGINE === 'postgres' ? await store.openAnother() : store.db;
    const a = worker({ workerId: 'worker-a' });
    const b = worker({ workerId: 'worker-b', db: other });
    const events = [];
    for (let i = 0; i < 30; i++) events.push(await enqueue('payment_intent.succeeded', { id: `pi_${i}` }));

    const ranBy = { a: 0, b: 0 };
    const loop = async (delivery: ReturnType<typeof worker>, name: 'a' | 'b') => {
      for (;;) {
        const ids = await delivery.claim(4);
        if (ids.length === 0) return;
        ranBy[name] += ids.length;
        await Promise.all(ids.map((id) => delivery.run(id)));
      }
    };
    await Promise.all([loop(a, 'a'), loop(b, 'b'), loop(a, 'a'), loop(b, 'b')]);

    const received = receiver.requests.map((r) => r.headers['paykey-event-id']).sort();
    assert.deepEqual(received, events.map((e) => e.id).sort(), 'every event once, none twice');
    assert.equal(ranBy.a + ranBy.b, 30);
    assert.ok(ranBy.a > 0 && ranBy.b > 0, `both took a share: ${JSON.stringify(ranBy)}`);
    for (const event of events) {
      const row = await deliveryOf(event.id, other);
      assert.deepEqual([row.status, row.tries], ['delivered', 1]);
    }
  });

  test('a worker whose lease another took over does not send', async () => {
    const event = await enqueue();
    const a = worker({ workerId: 'worker-a', timeoutMs: 1_000 });
    const b = worker({ workerId: 'worker-b', timeoutMs: 1_000 });
    const [id] = await a.claim(1);
    // Worker A stalls past its lease (timeout + margin); B takes the delivery over.
    clock.advance(60_000);
    assert.deepEqual(await b.claim(1), [id]);
    await a.run(id);
    assert.equal(receiver.requests.length, 0, 'A no longer holds it');
    await b.run(id);
    await a.run(id);
    assert.equal(receiver.requests.length, 1);
    assert.equal((await deliveryOf(event.id)).status, 'delivered');
  });

  test('a lease still held is not claimed by another worker', async () => {
    await enqueue();
    const a = worker({ workerId: 'worker-a', timeoutMs: 1_000 });
    const b = worker({ workerId: 'worker-b', timeoutMs: 1_000 });
    const [id] = await a.claim(1);
    clock.advance(30_000);
    assert.deepEqual(await b.claim(1), []);
    await b.run(id);
    assert.equal(receiver.requests.length, 0);
    await a.run(id);
    assert.equal(receiver.requests.length, 1);
  });
});
