/**
 * The headers every answer carries (`securityHeaders` in server/app.ts), over real HTTP through @hono/node-server:
 * they are set on the answer the route made, not by re-creating it, so this checks what actually reaches the wire
 * for each kind of answer — a route's JSON, a refusal thrown as an error, the 404, a replay, an asset, and the one
 * public API answer that sets its own cache policy.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let wallet: TestWallet;

before(async () => {
  wallet = await startTestWallet();
});
after(async () => {
  await wallet?.close();
});

function send(method: string, pathname: string, json?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const body = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
  const bodyHeaders: Record<string, string> = body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {};
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(pathname, wallet.url), { method, headers: { ...bodyHeaders, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const merchant = () => ({ authorization: `Bearer ${wallet.secretKey}` });

describe('answer headers over real HTTP', () => {
  test('a created intent: 201 with its JSON, nosniff, no-store; its replay the same plus Idempotent-Replayed', async () => {
    const headers = { ...merchant(), 'idempotency-key': 'answer-headers-1' };
    const created = await send('POST', '/v1/payment_intents', { amount: 1999, currency: 'USD' }, headers);
    assert.equal(created.status, 201, created.body);
    assert.equal(created.headers['x-content-type-options'], 'nosniff');
    assert.equal(created.headers['cache-control'], 'no-store');
    assert.match(String(created.headers['content-type']), /^application\/json/);
    assert.equal(Number(created.headers['content-length']), Buffer.byteLength(created.body));
    assert.equal(created.headers['idempotent-replayed'], undefined);
    const intent = JSON.parse(created.body) as { id: string; client_secret: string };

    const replayed = await send('POST', '/v1/payment_intents', { amount: 1999, currency: 'USD' }, headers);
    assert.equal(replayed.status, 201);
    assert.equal(replayed.headers['idempotent-replayed'], 'true');
    assert.equal(replayed.headers['x-content-type-options'], 'nosniff');
    assert.equal(replayed.headers['cache-control'], 'no-store');
    assert.deepEqual(JSON.parse(replayed.body), intent);
  });

  test('a refusal thrown by the authentication: 401 JSON with nosniff and no-store', async () => {
    const refused = await send('POST', '/v1/payment_intents', { amount: 1999, currency: 'USD' }, { authorization: 'Bearer sk_test_not_a_key' });
    assert.equal(refused.status, 401);
    assert.equal((JSON.parse(refused.body) as { error: { code: string } }).error.code, 'invalid_api_key');
    assert.equal(refused.headers['x-content-type-options'], 'nosniff');
    assert.equal(refused.headers['cache-control'], 'no-store');
  });

  test('the 404 outside the APIs: nosniff, and no cache policy of ours', async () => {
    const missing = await send('GET', '/no-such-path');
    assert.equal(missing.status, 404);
    assert.equal((JSON.parse(missing.body) as { error: { code: string } }).error.code, 'resource_missing');
    assert.equal(missing.headers['x-content-type-options'], 'nosniff');
    assert.equal(missing.headers['cache-control'], undefined);
  });

  test('a 404 under /v1/: no-store as well', async () => {
    const missing = await send('GET', '/v1/no-such-thing', undefined, merchant());
    assert.equal(missing.status, 404);
    assert.equal(missing.headers['x-content-type-options'], 'nosniff');
    assert.equal(missing.headers['cache-control'], 'no-store');
  });

  test("the brands' public answer keeps its own cache policy, with nosniff", async () => {
    const brands = await send('GET', '/api/frame/brands');
    assert.equal(brands.status, 200);
    assert.equal(brands.headers['x-content-type-options'], 'nosniff');
    assert.notEqual(brands.headers['cache-control'], 'no-store');
    assert.ok(brands.headers['cache-control'], 'expected the brands answer to set a Cache-Control of its own');
    assert.equal(brands.headers['cache-control'], 'public, max-age=300');
  });
});
