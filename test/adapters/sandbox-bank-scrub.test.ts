/**
 * Scrub test: whatever goes wrong around a tokenize call (no bank, a stalled
 * bank, a bank that errors or echoes what it was sent, a refused key), nothing
 * the adapter throws or returns carries the card number, CVC or API key.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { BankConfigurationError, BankTransportError } from '../../server/adapters/bank-adapter.ts';
import { createSandboxBankAdapter } from '../../server/adapters/sandbox-bank.ts';
import { freePort } from '../support/free-port.ts';

const apiKey = 'sk_scrub_7f3a9c1e5b2d4f6a8c0e';
const card = { number: '4111111111111111', expMonth: 12, expYear: new Date().getUTCFullYear() + 2, cvc: '9731', name: 'Grace Hopper' };
const spaced = '4111 1111 1111 1111';

/** Everything an operator could ever see of an outcome: message, stack, causes, properties. */
function transcript(outcome: unknown): string {
  return `${inspect(outcome, { depth: 10, showHidden: true })}\n${JSON.stringify(outcome, Object.getOwnPropertyNames(outcome ?? {}))}`;
}

function assertScrubbed(outcome: unknown): void {
  const text = transcript(outcome);
  assert.ok(!text.includes(card.number), `expected no card number, received:\n${text}`);
  assert.ok(!text.includes(spaced), `expected no spaced card number, received:\n${text}`);
  assert.ok(!text.includes(card.cvc), `expected no CVC, received:\n${text}`);
  assert.ok(!text.includes(apiKey), `expected no API key, received:\n${text}`);
}

/** A fake bank that answers every request with `answer(requestText)`. */
function fakeBank(answer: (request: string, incoming: IncomingMessage, response: ServerResponse) => void): Promise<Server> {
  const server = createServer((incoming, response) => {
    let text = '';
    incoming.setEncoding('utf8');
    incoming.on('data', (chunk: string) => (text += chunk));
    incoming.on('end', () => answer(`${JSON.stringify(incoming.headers)} ${text}`, incoming, response));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

const json = (response: ServerResponse, status: number, body: unknown) =>
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

describe('sandbox bank adapter scrubs card numbers and keys', () => {
  const servers: Server[] = [];
  const adapterFor = (server: Server, timeoutMs?: number) =>
    createSandboxBankAdapter({ baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`, apiKey, timeoutMs });
  const start = async (answer: Parameters<typeof fakeBank>[0]) => {
    const server = await fakeBank(answer);
    servers.push(server);
    return server;
  };
  const tokenizeOutcome = (adapter: ReturnType<typeof createSandboxBankAdapter>) =>
    adapter.tokenizeCard(card, 'scrub-key').then(
      (value) => ({ threw: false as const, value }),
      (error: unknown) => ({ threw: true as const, error }),
    );

  before(() => {
    // The transcript check would be vacuous if the fixtures could never contain the secrets.
    assert.ok(transcript(new Error(`${card.number} ${apiKey}`)).includes(card.number));
  });
  after(() => {
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
  });

  it('connection refused → BankTransportError without secrets', async () => {
    const adapter = createSandboxBankAdapter({ baseUrl: `http://127.0.0.1:${await freePort()}`, apiKey });
    const outcome = await tokenizeOutcome(adapter);
    assert.ok(outcome.threw && outcome.error instanceof BankTransportError);
    assertScrubbed(outcome.error);
  });

  it('timeout → BankTransportError without secrets', async () => {
    const outcome = await tokenizeOutcome(adapterFor(await start(() => {}), 150));
    assert.ok(outcome.threw && outcome.error instanceof BankTransportError);
    assertScrubbed(outcome.error);
  });

  it('a 500 that echoes the request → BankTransportError without secrets', async () => {
    const server = await start((request, _incoming, response) => json(response, 500, { error: { code: 'boom', message: request } }));
    const outcome = await tokenizeOutcome(adapterFor(server));
    assert.ok(outcome.threw && outcome.error instanceof BankTransportError);
    assertScrubbed(outcome.error);
  });

  it('a non-JSON answer that echoes the request → BankTransportError without secrets', async () => {
    const server = await start((request, _incoming, response) => response.writeHead(200, { 'content-type': 'text/plain' }).end(request));
    const outcome = await tokenizeOutcome(adapterFor(server));
    assert.ok(outcome.threw && outcome.error instanceof BankTransportError);
    assertScrubbed(outcome.error);
  });

  it('a malformed 201 that echoes the card → BankTransportError without secrets', async () => {
    const server = await start((_request, _incoming, response) => json(response, 201, { token: card.number, brand: 'visa', last4: card.number, cvc: card.cvc }));
    const outcome = await tokenizeOutcome(adapterFor(server));
    assert.ok(outcome.threw && outcome.error instanceof BankTransportError);
    assertScrubbed(outcome.error);
  });

  it('a 401 that echoes the Authorization header → BankConfigurationError without secrets', async () => {
    const server = await start((request, _incoming, response) => json(response, 401, { error: { code: 'unauthorized', message: request } }));
    const outcome = await tokenizeOutcome(adapterFor(server));
    assert.ok(outcome.threw && outcome.error instanceof BankConfigurationError);
    assertScrubbed(outcome.error);
  });

  it('an API key fetch could not send → BankConfigurationError without the key', () => {
    const badKey = `${apiKey}\n`;
    assert.throws(
      () => createSandboxBankAdapter({ baseUrl: 'http://127.0.0.1:1', apiKey: badKey }),
      (error: unknown) => error instanceof BankConfigurationError && !transcript(error).includes(apiKey),
    );
  });

  it('an idempotency key fetch cannot send → BankTransportError without secrets', async () => {
    const adapter = createSandboxBankAdapter({ baseUrl: `http://127.0.0.1:${await freePort()}`, apiKey });
    const outcome = await adapter.tokenizeCard(card, 'bad\nkey').then(
      () => ({ threw: false as const }),
      (error: unknown) => ({ threw: true as const, error }),
    );
    assert.ok(outcome.threw && outcome.error instanceof BankTransportError);
    assertScrubbed(outcome.error);
  });

  for (const status of [402, 409, 422]) {
    it(`a ${status} refusal whose message echoes the request → a rejected value without secrets`, async () => {
      const server = await start((request, _incoming, response) =>
        json(response, status, { error: { code: 'invalid_card', message: `bad card ${card.number} / ${spaced} / cvc ${card.cvc}: ${request}` } }),
      );
      const outcome = await tokenizeOutcome(adapterFor(server));
      assert.ok(!outcome.threw, 'a refusal is a value');
      assert.equal(outcome.value.status, 'rejected');
      assertScrubbed(outcome.value);
    });
  }
});
