/**
 * Webhooks end to end: endpoints registered through the merchant API, events
 * from real state changes, delivered by the server's own worker over HTTP.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { verifyWebhookSignature } from '../../server/webhooks/webhook-signature.ts';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

let wallet: TestWallet;
let auth: Record<string, string>;
let receiver: WebhookReceiver;
let endpoint: { id: string; secret: string };

before(async () => {
  wallet = await startTestWallet();
  auth = { authorization: `Bearer ${wallet.secretKey}` };
});
after(() => wallet.close());

beforeEach(async () => {
  receiver = await startWebhookReceiver();
  const res = await wallet.request('POST', '/v1/webhook_endpoints', { url: receiver.url }, auth);
  assert.equal(res.status, 201);
  endpoint = await res.json();
});
afterEach(async () => {
  await wallet.request('DELETE', `/v1/webhook_endpoints/${endpoint.id}`, undefined, auth);
  await receiver.close();
});

async function canceledIntent(): Promise<{ id: string }> {
  const created = await wallet.request('POST', '/v1/payment_intents', { amount: 1999, currency: 'USD', reference: 'order-1' }, auth);
  assert.equal(created.status, 201);
  const intent = await created.json();
  const canceled = await wallet.request('POST', `/v1/payment_intents/${intent.id}/cancel`, undefined, auth);
  assert.equal(canceled.status, 200, await canceled.clone().text());
  return intent;
}

describe('webhooks through the running server', () => {
  test('the endpoints API needs the secret key', async () => {
    assert.equal((await wallet.request('GET', '/v1/webhook_endpoints')).status, 401);
    assert.equal((await wallet.request('POST', '/v1/webhook_endpoints', { url: receiver.url })).status, 401);
    assert.equal((await wallet.request('DELETE', `/v1/webhook_endpoints/${endpoint.id}`)).status, 401);
    const listed = await (await wallet.request('GET', '/v1/webhook_endpoints', undefined, auth)).json();
    assert.deepEqual(listed.data.map((e: { id: string }) => e.id), [endpoint.id]);
    assert.equal(listed.data[0].secret, undefined);
  });

  test('canceling an intent delivers a signed payment_intent.canceled', async () => {
    const intent = await canceledIntent();
    await wallet.server.runWorkersNow();
    const [request] = await receiver.waitFor(1);
    const event = JSON.parse(request.body);
    assert.equal(event.type, 'payment_intent.canceled');
    assert.match(event.id, /^evt_/);
    assert.equal(request.headers['paykey-event-id'], event.id);
    assert.equal(event.data.object.id, intent.id);
    assert.equal(event.data.object.object, 'payment_intent');
    assert.equal(event.data.object.status, 'canceled');
    assert.equal(event.data.object.client_secret, undefined, 'no client secret in a webhook');
    assert.equal(event.created, Math.floor(wallet.clock.now().getTime() / 1000));
    assert.equal(verifyWebhookSignature(request.body, request.headers['paykey-signature'] as string, endpoint.secret, { now: wallet.clock.now() }), true);
    assert.equal(request.headers['user-agent'], 'Paykey-Webhooks/1');
  });

  test('a failing receiver is retried once the backoff has passed, with the same event id', async () => {
    receiver.respondWith(500);
    await canceledIntent();
    await wallet.server.runWorkersNow();
    await receiver.waitFor(1);
    await wallet.server.runWorkersNow();
    assert.equal(receiver.requests.length, 1, 'not again before the backoff');

    receiver.respondWith(200);
    wallet.clock.advance(10_000);
    await wallet.server.runWorkersNow();
    const [first, second] = await receiver.waitFor(2);
    assert.equal(second.headers['paykey-event-id'], first.headers['paykey-event-id']);
    assert.equal(second.body, first.body);
    assert.equal(verifyWebhookSignature(second.body, second.headers['paykey-signature'] as string, endpoint.secret, { now: wallet.clock.now() }), true);

    wallet.clock.advance(3_600_000);
    await wallet.server.runWorkersNow();
    assert.equal(receiver.requests.length, 2, 'delivered: nothing more');
    const [row] = await wallet.query<{ status: string; tries: number; last_status_code: number }>(
      'SELECT status, tries, last_status_code FROM webhook_deliveries WHERE endpoint_id = ?',
      [endpoint.id],
    );
    assert.deepEqual({ ...row }, { status: 'delivered', tries: 2, last_status_code: 200 });
  });

  test('a deleted endpoint gets nothing more', async () => {
    receiver.respondWith(500);
    await canceledIntent();
    await wallet.server.runWorkersNow();
    await receiver.waitFor(1);
    assert.equal((await wallet.request('DELETE', `/v1/webhook_endpoints/${endpoint.id}`, undefined, auth)).status, 204);
    receiver.respondWith(200);
    await canceledIntent();
    wallet.clock.advance(3_600_000);
    await wallet.server.runWorkersNow();
    assert.equal(receiver.requests.length, 1);
  });
});
