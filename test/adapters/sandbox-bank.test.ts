/**
 * The sandbox bank adapter against a real sandbox bank process (real HTTP):
 * the shared conformance suite, then what is specific to this adapter.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BankConfigurationError, BankTransportError } from '../../server/adapters/bank-adapter.ts';
import { createSandboxBankAdapter } from '../../server/adapters/sandbox-bank.ts';
import { freePort } from '../support/free-port.ts';
import { sandboxBankLimits } from '../../demo/bank/sandbox-bank-limits.ts';
import { spawnSandboxBank, type SpawnedSandboxBank } from '../../demo/bank/spawn-sandbox-bank.ts';
import { runBankAdapterConformance } from './bank-adapter.conformance.ts';
import { sandboxCards } from './sandbox-bank-cards.ts';
import { sandboxBankFaults } from './sandbox-bank-faults.ts';
import { cardBankOfferControl } from './bank-offers-control.ts';
import { DEMO_OFFER_MERCHANT } from './demo-offer-merchant.ts';

/** Known up front, so the scrub check can look for it (the suite's options are read before the bank starts). */
const SANDBOX_API_KEY = `sk_sandbox_${randomBytes(16).toString('hex')}`;
const NARROW_API_KEY = `sk_sandbox_${randomBytes(16).toString('hex')}`;

describe('sandbox bank adapter', () => {
  let bank: SpawnedSandboxBank;
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'paykey-sandbox-adapter-'));
    bank = await spawnSandboxBank({ dataDir, apiKey: SANDBOX_API_KEY });
  });
  after(async () => {
    await bank?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  runBankAdapterConformance({
    name: 'sandbox bank adapter',
    createAdapter: (settings) => createSandboxBankAdapter({ baseUrl: bank.url, apiKey: bank.apiKey, ...settings }),
    createUnreachableAdapter: async () =>
      createSandboxBankAdapter({ baseUrl: `http://127.0.0.1:${await freePort()}`, apiKey: bank.apiKey, timeoutMs: 2_000 }),
    createMisconfiguredAdapter: () => createSandboxBankAdapter({ baseUrl: bank.url, apiKey: 'sk_sandbox_not_the_key' }),
    cards: sandboxCards,
    faults: {
      kinds: ['timeout', 'drop_after', 'conflict_after', 'garbled_after', 'error_after', 'duplicate'],
      // The bank starts in before(): its URL and admin key are read when a case runs.
      inject: (...args) => sandboxBankFaults(bank).inject(...args),
      clear: () => sandboxBankFaults(bank).clear(),
    },
    secrets: [SANDBOX_API_KEY],
    // 5 % cashback on $25.00 (sandbox-cashback-5); the bank starts in before(): its switch is read when a case runs.
    offers: {
      merchant: DEMO_OFFER_MERCHANT,
      amount: 2_500,
      currency: 'USD',
      control: {
        bumpVersion: (offerId) => cardBankOfferControl(bank).bumpVersion(offerId),
        revocationsOf: (redemptionId) => cardBankOfferControl(bank).revocationsOf(redemptionId),
        restore: () => cardBankOfferControl(bank).restore(),
      },
    },
  });

  describe('against a sandbox bank started with narrower limits', () => {
    const limits = { currencies: ['EUR', 'JPY'], amount: { min: 100, max: 50_000 }, maxDescriptionLength: 30 };
    let narrow: SpawnedSandboxBank;
    let narrowDir: string;
    before(async () => {
      narrowDir = mkdtempSync(join(tmpdir(), 'paykey-sandbox-adapter-narrow-'));
      narrow = await spawnSandboxBank({ dataDir: narrowDir, limits, apiKey: NARROW_API_KEY });
    });
    after(async () => {
      await narrow?.stop();
      rmSync(narrowDir, { recursive: true, force: true });
    });

    runBankAdapterConformance({
      name: 'sandbox bank adapter (BANK_LIMITS)',
      createAdapter: (settings) => createSandboxBankAdapter({ baseUrl: narrow.url, apiKey: narrow.apiKey, limits, ...settings }),
      createUnreachableAdapter: async () =>
        createSandboxBankAdapter({ baseUrl: `http://127.0.0.1:${await freePort()}`, apiKey: narrow.apiKey, timeoutMs: 2_000, limits }),
      createMisconfiguredAdapter: () => createSandboxBankAdapter({ baseUrl: narrow.url, apiKey: 'sk_sandbox_not_the_key', limits }),
      cards: sandboxCards,
      faults: { unavailable: 'the faults run once, against the sandbox bank with its own limits (above)' },
      secrets: [NARROW_API_KEY],
      offers: { unavailable: 'its offers are in USD, which this narrower bank does not carry; they run against the sandbox bank with its own limits (above)' },
    });
  });

  describe('specific to the sandbox bank', () => {
    let stalled: Server;
    let failing: Server;
    before(async () => {
      stalled = createServer(() => {}); // accepts, never answers
      failing = createServer((_request, response) => response.writeHead(503, { 'content-type': 'application/json' }).end('{}'));
      await Promise.all([stalled, failing].map((server) => new Promise<void>((done) => server.listen(0, '127.0.0.1', done))));
    });
    after(() => {
      stalled.closeAllConnections();
      stalled.close();
      failing.close();
    });
    const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as { port: number }).port}`;

    it('its id is "sandbox"', () => {
      assert.equal(createSandboxBankAdapter({ baseUrl: bank.url, apiKey: bank.apiKey }).id, 'sandbox');
    });

    it('a wrong API key is a BankConfigurationError, not a decline', async () => {
      const adapter = createSandboxBankAdapter({ baseUrl: bank.url, apiKey: 'not-the-key' });
      await assert.rejects(adapter.tokenizeCard(sandboxCards.approve, 'k1'), BankConfigurationError);
      await assert.rejects(adapter.lookupCharge('r1'), BankConfigurationError);
    });

    it('a base URL pointing at the wrong path is a BankConfigurationError', async () => {
      const adapter = createSandboxBankAdapter({ baseUrl: `${bank.url}/wrong/`, apiKey: bank.apiKey });
      await assert.rejects(adapter.lookupCharge('r1'), BankConfigurationError);
    });

    it('rejects options it cannot work with at creation', () => {
      assert.throws(() => createSandboxBankAdapter({ baseUrl: 'not a url', apiKey: 'k' }), BankConfigurationError);
      assert.throws(() => createSandboxBankAdapter({ baseUrl: 'ftp://127.0.0.1', apiKey: 'k' }), BankConfigurationError);
      assert.throws(() => createSandboxBankAdapter({ baseUrl: bank.url, apiKey: '' }), BankConfigurationError);
      assert.throws(() => createSandboxBankAdapter({ baseUrl: bank.url, apiKey: 'k', timeoutMs: 0 }), BankConfigurationError);
    });

    it('a bank that does not answer in time is a BankTransportError', async () => {
      const adapter = createSandboxBankAdapter({ baseUrl: urlOf(stalled), apiKey: 'k', timeoutMs: 200 });
      const started = Date.now();
      await assert.rejects(
        adapter.charge({ token: 't', amount: 100, currency: 'EUR', reference: 'r', idempotencyKey: 'k' }),
        (error: unknown) => error instanceof BankTransportError && /within 200 ms/.test(error.message),
      );
      assert.ok(Date.now() - started < 5_000, 'the timeout must be honoured');
    });

    it('a 5xx answer is a BankTransportError (the outcome is unknown)', async () => {
      const adapter = createSandboxBankAdapter({ baseUrl: urlOf(failing), apiKey: 'k' });
      await assert.rejects(
        adapter.charge({ token: 't', amount: 100, currency: 'EUR', reference: 'r', idempotencyKey: 'k' }),
        BankTransportError,
      );
      await assert.rejects(adapter.brand(), BankTransportError);
    });

    it('sends the Idempotency-Key it is given', async () => {
      const seen: (string | undefined)[] = [];
      const echo = createServer((request, response) => {
        seen.push(request.headers['idempotency-key'] as string | undefined);
        response.writeHead(503).end();
      });
      await new Promise<void>((done) => echo.listen(0, '127.0.0.1', done));
      try {
        const adapter = createSandboxBankAdapter({ baseUrl: urlOf(echo), apiKey: 'k' });
        await adapter.tokenizeCard(sandboxCards.approve, 'key-tokenize').catch(() => {});
        await adapter.charge({ token: 't', amount: 1, currency: 'EUR', reference: 'r', idempotencyKey: 'key-charge' }).catch(() => {});
        await adapter.refund({ bankChargeId: 'c', amount: 1, currency: 'EUR', reference: 'r', idempotencyKey: 'key-refund' }).catch(() => {});
        assert.deepEqual(seen, ['key-tokenize', 'key-charge', 'key-refund']);
      } finally {
        echo.close();
      }
    });

    it('an unknown token (a 404, not a decline) is an unknown outcome carrying the refusal, resolved by a lookup', async () => {
      const adapter = createSandboxBankAdapter({ baseUrl: bank.url, apiKey: bank.apiKey });
      const reference = `unknown-${Date.now()}`;
      await assert.rejects(
        adapter.charge({ token: 'tok_unknown', amount: 100, currency: 'EUR', reference, idempotencyKey: 'k' }),
        (error: unknown) => error instanceof BankTransportError && error.refusal?.code === 'invalid_card',
      );
      assert.equal(await adapter.lookupCharge(reference), null);
    });

    it('a 409 or a 402 without a decline code after the bank booked the charge is never a decline (a middlebox may have rewritten a 201)', async () => {
      for (const [status, body] of [
        [409, { error: { code: 'conflict', message: 'upstream conflict' } }],
        [402, { error: { code: 'something_else' } }],
        [409, 'not json'],
      ] as const) {
        const liar = createServer((_request, response) => {
          response.writeHead(status, { 'content-type': 'application/json' });
          response.end(typeof body === 'string' ? body : JSON.stringify(body));
        });
        await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
        try {
          const adapter = createSandboxBankAdapter({ baseUrl: `http://127.0.0.1:${(liar.address() as AddressInfo).port}`, apiKey: 'k' });
          await assert.rejects(
            adapter.charge({ token: 't', amount: 100, currency: 'EUR', reference: 'r', idempotencyKey: 'k' }),
            BankTransportError,
            `HTTP ${status} ${JSON.stringify(body)} must leave the outcome unknown`,
          );
        } finally {
          liar.close();
        }
      }
    });

    it('reusing a reference with another amount charges nothing new, and is not taken for a decline', async () => {
      const adapter = createSandboxBankAdapter({ baseUrl: bank.url, apiKey: bank.apiKey });
      const tokenized = await adapter.tokenizeCard(sandboxCards.approve, `reuse-${Date.now()}`);
      assert.ok(tokenized.status === 'tokenized');
      const reference = `reuse-${Date.now()}`;
      const first = await adapter.charge({ token: tokenized.card.token, amount: 100, currency: 'EUR', reference, idempotencyKey: 'a' });
      assert.equal(first.status, 'approved');
      await assert.rejects(
        adapter.charge({ token: tokenized.card.token, amount: 999, currency: 'EUR', reference, idempotencyKey: 'b' }),
        BankTransportError,
      );
      assert.deepEqual(await adapter.lookupCharge(reference), first);
    });

    it('declares the limits the bank publishes (GET /v1/limits), its own by default', async () => {
      const adapter = createSandboxBankAdapter({ baseUrl: bank.url, apiKey: bank.apiKey });
      const published = await fetch(new URL('/v1/limits', bank.url), { headers: { authorization: `Bearer ${bank.apiKey}` } });
      assert.deepEqual(adapter.limits, await published.json());
      assert.deepEqual(adapter.limits, sandboxBankLimits);
    });

    it('refuses limits that are not well formed at creation', () => {
      assert.throws(
        () => createSandboxBankAdapter({ baseUrl: bank.url, apiKey: 'k', limits: { ...sandboxBankLimits, currencies: [] } }),
        (error: unknown) => error instanceof BankConfigurationError && /limits\.currencies: expected at least one currency/.test(error.message),
      );
    });

    it('caches brand()', async () => {
      const adapter = createSandboxBankAdapter({ baseUrl: bank.url, apiKey: bank.apiKey });
      assert.equal(await adapter.brand(), await adapter.brand());
      assert.deepEqual((await adapter.brand()).name, { en: 'Sandbox Bank', 'zh-CN': '沙盒银行' });
    });

    it('charges its cards in any currency (currency null) and declares the leading digits of every test number as BINs', async () => {
      const adapter = createSandboxBankAdapter({ baseUrl: bank.url, apiKey: bank.apiKey });
      assert.deepEqual(adapter.bins, ['2', '3', '4', '5', '6']);
      const tokenized = await adapter.tokenizeCard(sandboxCards.approve, `currency-${Date.now()}`);
      assert.ok(tokenized.status === 'tokenized' && tokenized.card.currency === null, JSON.stringify(tokenized));
      for (const currency of ['EUR', 'CNY', 'JPY']) {
        const result = await adapter.charge({ token: tokenized.card.token, amount: 500, currency, reference: `any-${currency}-${Date.now()}`, idempotencyKey: `k-${currency}` });
        assert.equal(result.status, 'approved', `${currency}: ${JSON.stringify(result)}`);
      }
      assert.equal(adapter.quoteFx, undefined);
      assert.equal(adapter.feeSchedule, undefined);
    });
  });
});
