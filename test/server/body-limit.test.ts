/**
 * The request body limit over real HTTP: a body with a Content-Length within the limit reaches the route untouched
 * (the same request object, not a re-assembled copy); one over it, or a chunked body one byte over, is
 * `413 request_too_large` — and the client that sent it whole still gets the answer on its connection.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { createErrorHandler } from '../../server/errors/handle-error.ts';
import { bodyLimit } from '../../server/http/body-limit.ts';
import { silentLogger } from '../../server/http/logger.ts';

const LIMIT = 1000;
let base: URL;
let close: () => Promise<void>;
/** Each route run: whether the request object it saw is the one the server made, and the body it read. */
const seen: Array<{ sameRequest: boolean; length: number }> = [];

before(async () => {
  const app = new Hono<{ Variables: { original: Request } }>();
  app.use(async function remember(c, next) {
    c.set('original', c.req.raw);
    await next();
  });
  app.use(bodyLimit(LIMIT));
  app.post('/echo', async (c) => {
    const text = await c.req.text();
    seen.push({ sameRequest: c.req.raw === c.get('original'), length: Buffer.byteLength(text) });
    return c.json({ length: Buffer.byteLength(text), last: text.slice(-1) });
  });
  app.onError(createErrorHandler(silentLogger));
  const server = createAdaptorServer({ fetch: app.fetch, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  close = () => new Promise((resolve) => server.close(() => resolve()));
});
after(() => close());

interface Answer {
  status: number;
  body: { length?: number; last?: string; error?: { code: string } };
}

/** POSTs `parts` to /echo: with a Content-Length when `declared`, else chunked, one chunk per part. */
function post(parts: string[], declared: boolean): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const total = parts.reduce((sum, part) => sum + Buffer.byteLength(part), 0);
    const req = httpRequest(
      new URL('/echo', base),
      { method: 'POST', headers: { 'content-type': 'text/plain', ...(declared ? { 'content-length': String(total) } : {}) }, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (!declared) assert.equal(req.getHeader('content-length'), undefined);
    (async () => {
      for (const part of parts) {
        req.write(part);
        await new Promise((r) => setImmediate(r));
      }
      req.end();
    })().catch(reject);
  });
}

describe('bodyLimit', () => {
  test('a body with a Content-Length at the limit reaches the route whole, in the request the server made', async () => {
    seen.length = 0;
    const answer = await post(['a'.repeat(LIMIT - 1) + 'z'], true);
    assert.deepEqual(answer, { status: 200, body: { length: LIMIT, last: 'z' } });
    assert.deepEqual(seen, [{ sameRequest: true, length: LIMIT }]);
  });

  test('a Content-Length one byte over the limit is 413 request_too_large, answered to a client that sends it all', async () => {
    seen.length = 0;
    const answer = await post(['a'.repeat(LIMIT + 1)], true);
    assert.equal(answer.status, 413);
    assert.equal(answer.body.error?.code, 'request_too_large');
    assert.deepEqual(seen, [], 'the route never ran');
  });

  test('a chunked body (no Content-Length) at the limit reaches the route whole', async () => {
    seen.length = 0;
    const answer = await post(['a'.repeat(400), 'b'.repeat(400), 'c'.repeat(LIMIT - 801), 'z'], false);
    assert.deepEqual(answer, { status: 200, body: { length: LIMIT, last: 'z' } });
    assert.equal(seen.length, 1);
  });

  test('a chunked body one byte over the limit is 413 request_too_large', async () => {
    seen.length = 0;
    const answer = await post(['a'.repeat(400), 'b'.repeat(400), 'c'.repeat(LIMIT - 800), 'z'], false);
    assert.equal(answer.status, 413);
    assert.equal(answer.body.error?.code, 'request_too_large');
    assert.deepEqual(seen, [], 'the route never ran');
  });

  test('a chunked body far over the limit is refused once it passes it, and the answer still arrives', async () => {
    seen.length = 0;
    const answer = await post(Array.from({ length: 50 }, () => 'x'.repeat(500)), false);
    assert.equal(answer.status, 413);
    assert.equal(answer.body.error?.code, 'request_too_large');
    assert.deepEqual(seen, []);
  });
});
