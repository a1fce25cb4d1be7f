import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { registerWebhookEndpoint } from '../../demo/shop/register-webhook-endpoint.ts';
import { createShopApp } from '../../demo/shop/shop-app.ts';
import type { PaymentIntent, WalletClient, WebhookEndpoint } from '../../demo/shop/wallet-client.ts';
import { signWebhookPayload } from '../../server/webhooks/webhook-signature.ts';

const secret = 'whsec_shop_test';

/** The wallet as the shop's backend sees it, in memory. */
function fakeWallet(endpoints: WebhookEndpoint[] = []) {
  let n = 0;
  const deleted: string[] = [];
  const wallet: WalletClient = {
    async createPaymentIntent(input) {
      n += 1;
      return { id: `pi_${n}`, client_secret: `pi_${n}_secret_x`, status: 'requires_confirmation', last_error: null, created_at: '', ...input } as PaymentIntent;
    },
    async retrievePaymentIntent(id) {
      return { id, status: 'succeeded', last_error: null } as PaymentIntent;
    },
    async listWebhookEndpoints() {
      return { data: endpoints.filter((e) => !deleted.includes(e.id)) };
    },
    async createWebhookEndpoint(input) {
      const endpoint = { id: `we_${endpoints.length + 1}`, url: input.url, events: [], secret: `whsec_${endpoints.length + 1}`, created_at: '' };
      endpoints.push(endpoint);
      return endpoint;
    },
    async deleteWebhookEndpoint(id) {
      deleted.push(id);
      return null;
    },
  };
  return { wallet, deleted, endpoints };
}

async function shopWithOrder(webhookSecret: string | null = secret) {
  const app = createShopApp({ wallet: fakeWallet().wallet, walletUrl: 'http://localhost:8787', webhookSecret: () => webhookSecret ?? undefined });
  const res = await app.request('/orders', { method: 'POST', body: new URLSearchParams({ sku: 'tee' }) });
  assert.equal(res.status, 303);
  const orderPath = res.headers.get('location')!;
  return { app, orderPath, paymentIntentId: 'pi_1' };
}

function event(type: string, paymentIntentId: string, id = `evt_${Math.random().toString(16).slice(2)}`) {
  return JSON.stringify({ id, type, created: Math.floor(Date.now() / 1000), data: { object: { id: paymentIntentId, object: 'payment_intent' } } });
}

function deliver(app: ReturnType<typeof createShopApp>, body: string, signature = signWebhookPayload(body, secret, new Date())) {
  return app.request('/webhooks/paykey', { method: 'POST', headers: { 'content-type': 'application/json', 'paykey-signature': signature }, body });
}

describe('demo shop: Paykey webhooks', () => {
  test('a signed payment_intent.succeeded marks the order paid; the order page says so', async () => {
    const { app, orderPath, paymentIntentId } = await shopWithOrder();
    assert.doesNotMatch(await (await app.request(orderPath)).text(), /Paid \(confirmed by webhook\)/);
    assert.equal((await (await app.request(`${orderPath}/payment`)).json()).paidByWebhook, false);

    const res = await deliver(app, event('payment_intent.succeeded', paymentIntentId));
    assert.equal(res.status, 200);
    const page = await (await app.request(orderPath)).text();
    assert.match(page, /data-paid="true">Paid \(confirmed by webhook\)</);
    assert.doesNotMatch(page, /<paykey-checkout/, 'no second checkout for a paid order');
    assert.equal((await (await app.request(`${orderPath}/payment`)).json()).paidByWebhook, true);
  });

  test('a bad, stale or missing signature is 400 and changes nothing', async () => {
    const { app, orderPath, paymentIntentId } = await shopWithOrder();
    const body = event('payment_intent.succeeded', paymentIntentId);
    assert.equal((await deliver(app, body, signWebhookPayload(body, 'whsec_wrong', new Date()))).status, 400);
    assert.equal((await deliver(app, body, signWebhookPayload(body, secret, new Date(Date.now() - 301_000)))).status, 400);
    assert.equal((await deliver(app, body.replace('pi_1', 'pi_2'), signWebhookPayload(body, secret, new Date()))).status, 400);
    assert.equal((await deliver(app, body, '')).status, 400);
    assert.equal((await (await app.request(`${orderPath}/payment`)).json()).paidByWebhook, false);
  });

  test('other event types and unknown intents are acknowledged and ignored; a replayed event id is a no-op', async () => {
    const { app, orderPath, paymentIntentId } = await shopWithOrder();
    assert.equal((await deliver(app, event('payment_intent.payment_failed', paymentIntentId))).status, 200);
    assert.equal((await deliver(app, event('payment_intent.succeeded', 'pi_unknown'))).status, 200);
    assert.equal((await (await app.request(`${orderPath}/payment`)).json()).paidByWebhook, false);

    const once = event('payment_intent.succeeded', paymentIntentId, 'evt_same');
    assert.deepEqual(await (await deliver(app, once)).json(), { received: true });
    assert.deepEqual(await (await deliver(app, once)).json(), { received: true, duplicate: true });
  });

  test('before its endpoint is registered the shop answers 503, so Paykey tries again later', async () => {
    const { app, paymentIntentId } = await shopWithOrder(null);
    assert.equal((await deliver(app, event('payment_intent.succeeded', paymentIntentId))).status, 503);
  });

  test('the checkout page listens for paykey-processing', async () => {
    const { app } = await shopWithOrder();
    const script = await (await app.request('/shop.js')).text();
    assert.match(script, /'paykey-processing'/);
    assert.match(script, /Your payment is being confirmed/);
  });
});

describe('demo shop: registering its endpoint', () => {
  test('deletes endpoints left at the same URL by an earlier run, keeps others, and returns the new secret', async () => {
    const url = 'http://127.0.0.1:8789/webhooks/paykey';
    const { wallet, deleted, endpoints } = fakeWallet([
      { id: 'we_old1', url, events: [], created_at: '' },
      { id: 'we_other', url: 'https://elsewhere.example/hooks', events: [], created_at: '' },
      { id: 'we_old2', url, events: [], created_at: '' },
    ]);
    const registered = await registerWebhookEndpoint(wallet, url);
    assert.deepEqual(deleted, ['we_old1', 'we_old2']);
    assert.equal(registered.id, endpoints.at(-1)!.id);
    assert.equal(registered.secret, endpoints.at(-1)!.secret);
    assert.deepEqual((await wallet.listWebhookEndpoints()).data.map((e) => e.id), ['we_other', registered.id]);
  });
});
