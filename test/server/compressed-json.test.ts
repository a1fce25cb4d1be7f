/**
 * The frame's JSON on the wire (issue 7, "Wire weight": the checkout data arrives before `paykey-ready`, so it is part
 * of what a shopper downloads). Real HTTP to the real wallet server through `node:http`, which neither adds an
 * Accept-Encoding nor decodes: each test sees exactly what the server sent.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

let wallet: TestWallet;
let clientSecret: string;

before(async () => {
  wallet = await startTestWallet();
  // An order of many items, described up to the 1000 characters an intent's description may have: its checkout
  // answer is over the 1 KB from which frame JSON is compressed (the brands, which made it so, are in `/brands` now).
  const items = Array.from({ length: 40 }, (_, i) => `Paykey Tee size ${['S', 'M', 'L', 'XL'][i % 4]} ×${1 + (i % 3)}`).join(', ');
  const res = await wallet.request('POST', '/v1/payment_intents', { amount: 1999, currency: 'USD', description: items.slice(0, 1000) }, { authorization: `Bearer ${wallet.secretKey}` });
  assert.equal(res.status, 201, await res.clone().text());
  clientSecret = ((await res.json()) as { client_secret: string }).client_secret;
});
after(async () => {
  await wallet?.close();
});

function post(pathname: string, json: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const body = Buffer.from(JSON.stringify(json));
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      new URL(pathname, wallet.url),
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function decoded(answer: Answer): unknown {
  const coding = answer.headers['content-encoding'];
  const bytes = coding === 'br' ? brotliDecompressSync(answer.body) : coding === 'gzip' ? gunzipSync(answer.body) : answer.body;
  return JSON.parse(bytes.toString('utf8'));
}

/** A frame answer bigger than the threshold: the checkout of an order with a long description. */
const checkout = (headers: Record<string, string> = {}) => post('/api/frame/checkout', { client_secret: clientSecret }, headers);

describe('frame JSON answers on the wire', () => {
  test('the checkout answer comes brotli-compressed to a browser that accepts it, gzip to one that accepts only gzip, and decodes to the same JSON', async () => {
    const plain = await checkout();
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-encoding'], undefined, 'no Accept-Encoding: the bytes as they are');
    assert.ok(plain.body.length >= 1024, `expected a checkout answer of at least 1 KB to exercise compression, received ${plain.body.length} B`);
    const expected = decoded(plain);

    const br = await checkout({ 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers['content-length'], String(br.body.length));
    assert.ok(br.body.length < plain.body.length / 2, `brotli should at least halve ${plain.body.length} B, sent ${br.body.length} B`);
    assert.deepEqual(decoded(br), expected);

    const gz = await checkout({ 'accept-encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.deepEqual(decoded(gz), expected);

    for (const answer of [plain, br, gz]) {
      assert.match(String(answer.headers.vary), /accept-encoding/i);
      assert.equal(answer.headers['cache-control'], 'no-store');
    }
  });

  test('a small answer (an error) is sent as it is, whatever the browser accepts', async () => {
    const answer = await post('/api/frame/checkout', { client_secret: 'pi_nope_secret_nope' }, { 'accept-encoding': 'br, gzip' });
    assert.equal(answer.status, 401);
    assert.equal(answer.headers['content-encoding'], undefined);
    assert.equal(answer.headers['content-length'], String(answer.body.length), 'measured once, from its text');
    assert.match(String(answer.headers.vary), /accept-encoding/i);
    assert.equal((decoded(answer) as { error?: { code?: string } }).error?.code, 'invalid_client_secret');
  });

  test('every answer carries the Content-Length of what arrives, plain or compressed, refusal or checkout', async () => {
    const refused = await post('/api/frame/checkout', { client_secret: 'pi_nope_secret_nope', extra: 'ü'.repeat(600) }, { 'accept-encoding': 'br' });
    assert.equal(refused.status, 422);
    assert.equal(refused.headers['content-length'], String(refused.body.length));
    const plain = await checkout();
    assert.equal(plain.headers['content-length'], String(plain.body.length));
    const br = await checkout({ 'accept-encoding': 'br' });
    assert.equal(br.headers['content-length'], String(br.body.length));
  });

  test('a malformed Accept-Encoding gets the bytes as they are', async () => {
    const answer = await checkout({ 'accept-encoding': 'br;q=2' });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['content-encoding'], undefined);
  });
});
