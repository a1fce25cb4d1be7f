/**
 * The bank transport's own HTTP client (`node:http` with kept-alive connections, instead of fetch) over real sockets:
 * what a bank can do to a call — redirect it, cut the answer short, stall, be gone — always ends as an unknown outcome
 * (`BankTransportError`), never as an answer; and a payment's calls reuse one connection.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { BankTransportError } from '../../server/adapters/bank-adapter.ts';
import { createBankHttpTransport } from '../../server/adapters/http/bank-http-transport.ts';
import { httpExchange, HttpExchangeRedirect, HttpExchangeTimeout } from '../../server/adapters/http/node-http-exchange.ts';

const APPROVED = JSON.stringify({ id: 'ch_1', status: 'approved' });

describe('httpExchange and the bank transport over it', () => {
  let server: Server;
  let base: string;
  const sockets = new Set<unknown>();
  const received: Array<{ method: string; url: string; headers: Record<string, unknown>; body: string }> = [];

  before(async () => {
    server = createServer((request, response) => {
      sockets.add(request.socket);
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push({ method: request.method!, url: request.url!, headers: request.headers, body });
        if (request.url === '/redirect') return void response.writeHead(307, { location: 'http://elsewhere.example/' }).end();
        if (request.url === '/stall') return; // never answers
        if (request.url === '/cut') {
          // Promises 200 bytes, sends a few, then the connection goes.
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
          response.write('{"id":"ch_1",');
          return void setTimeout(() => request.socket.destroy(), 20);
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end(APPROVED);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const transport = (timeoutMs = 2_000) =>
    createBankHttpTransport({ bankName: 'test bank', baseUrl: base, apiKey: 'sk_test_key', apiKeySetting: 'K', baseUrlSetting: 'U', timeoutMs });

  it('sends the method, headers and body, and answers with the status and text', async () => {
    received.length = 0;
    const answer = await transport().send('POST', 'v1/charges', { body: { amount: 1500, reference: '支付-1' }, idempotencyKey: 'idem-1' });
    assert.deepEqual(answer, { status: 200, body: { id: 'ch_1', status: 'approved' } });
    const [seen] = received;
    assert.equal(seen.method, 'POST');
    assert.equal(seen.url, '/v1/charges');
    assert.equal(seen.headers.authorization, 'Bearer sk_test_key');
    assert.equal(seen.headers['idempotency-key'], 'idem-1');
    assert.equal(seen.headers['content-type'], 'application/json');
    // Content-Length counts bytes, not characters: a multi-byte reference arrives whole.
    assert.deepEqual(JSON.parse(seen.body), { amount: 1500, reference: '支付-1' });
    assert.equal(Number(seen.headers['content-length']), Buffer.byteLength(seen.body));
  });

  it('reuses one kept-alive connection for calls made one after another', async () => {
    sockets.clear();
    const bank = transport();
    for (let i = 0; i < 5; i++) await bank.send('GET', 'v1/charges?reference=r');
    assert.equal(sockets.size, 1, `expected 5 sequential calls on 1 connection, received ${sockets.size}`);
  });

  it("drops an idle connection before the bank's announced keep-alive timeout, so no call meets a closing socket", async () => {
    // A bank that closes idle connections after 2 s says so (`Keep-Alive: timeout=2`); the client must stop reusing
    // the connection a second before, not send a charge on it as the bank closes it (ECONNRESET, an unknown outcome).
    const connections: unknown[] = [];
    const bank = createServer((request, response) => void response.writeHead(200, { 'content-type': 'application/json' }).end(APPROVED));
    bank.keepAliveTimeout = 2_000;
    bank.on('connection', (socket) => connections.push(socket));
    await new Promise<void>((resolve) => bank.listen(0, '127.0.0.1', resolve));
    try {
      const url = new URL(`http://127.0.0.1:${(bank.address() as AddressInfo).port}/v1/charges`);
      const call = () => httpExchange(url, { method: 'GET', headers: {}, timeoutMs: 2_000 });
      assert.equal((await call()).status, 200);
      assert.equal((await call()).status, 200);
      assert.equal(connections.length, 1, 'calls right after one another share a connection');
      await new Promise((resolve) => setTimeout(resolve, 1_500)); // past the hint less a second, before the bank's 2 s
      assert.equal((await call()).status, 200);
      assert.equal(connections.length, 2, `expected the idle connection dropped after 1 s and a new one opened, received ${connections.length} connection(s)`);
    } finally {
      bank.closeAllConnections();
      bank.close();
    }
  });

  it('a redirect is not followed: the outcome is unknown', async () => {
    await assert.rejects(httpExchange(new URL('/redirect', base), { method: 'POST', headers: {}, body: '{}', timeoutMs: 2_000 }), HttpExchangeRedirect);
    await assert.rejects(
      transport().send('POST', 'redirect', { body: {} }),
      (error: unknown) => error instanceof BankTransportError && /could not reach .* \(ERR_REDIRECT\); the outcome is unknown/.test(error.message),
    );
    assert.ok(!received.some((request) => request.url === '/' && request.headers.host === 'elsewhere.example'));
  });

  it('an answer cut short is never read as an answer', async () => {
    await assert.rejects(
      httpExchange(new URL('/cut', base), { method: 'POST', headers: {}, body: '{}', timeoutMs: 2_000 }),
      (error: NodeJS.ErrnoException) => error.code === 'ECONNRESET',
    );
    await assert.rejects(
      transport().send('POST', 'cut', { body: {} }),
      (error: unknown) => error instanceof BankTransportError && /\(ECONNRESET\); the outcome is unknown/.test(error.message),
    );
  });

  it('no answer in time is a timeout, honoured', async () => {
    const started = Date.now();
    await assert.rejects(httpExchange(new URL('/stall', base), { method: 'POST', headers: {}, body: '{}', timeoutMs: 150 }), HttpExchangeTimeout);
    await assert.rejects(
      transport(150).send('POST', 'stall', { body: {} }),
      (error: unknown) => error instanceof BankTransportError && /no answer to POST \/stall within 150 ms/.test(error.message),
    );
    assert.ok(Date.now() - started < 2_000, `expected both timeouts within 2 s, took ${Date.now() - started} ms`);
  });

  it('a bank that is gone is an unknown outcome naming the socket error, without the API key', async () => {
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const port = (gone.address() as AddressInfo).port;
    await new Promise<void>((resolve) => gone.close(() => resolve()));
    const bank = createBankHttpTransport({ bankName: 'test bank', baseUrl: `http://127.0.0.1:${port}`, apiKey: 'sk_test_key', apiKeySetting: 'K', baseUrlSetting: 'U', timeoutMs: 2_000 });
    await assert.rejects(
      bank.send('POST', 'v1/charges', { body: {} }),
      (error: unknown) =>
        error instanceof BankTransportError &&
        /could not reach http:\/\/127\.0\.0\.1:\d+ for POST \/v1\/charges \(ECONNREFUSED\)/.test(error.message) &&
        !JSON.stringify({ message: error.message, cause: error.cause }).includes('sk_test_key'),
    );
  });
});
