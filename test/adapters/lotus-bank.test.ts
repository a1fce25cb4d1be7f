/**
 * The Lotus Bank adapter against a real Lotus Bank process (real HTTP): the shared conformance suite in CNY (its
 * cards' currency), with its FX quotes and fees, then what is specific to this bank.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawnLotusBank, type SpawnedLotusBank } from '../../demo/lotus/spawn-lotus-bank.ts';
import { BankConfigurationError } from '../../server/adapters/bank-adapter.ts';
import { readEnvConfig } from '../../server/config/read-env-config.ts';
import { feeFor } from '../../server/adapters/fee-schedule.ts';
import { convertedAmount } from '../../server/adapters/fx-quote.ts';
import { createLotusBankAdapter } from '../../server/adapters/lotus-bank.ts';
import { freePort } from '../support/free-port.ts';
import { runBankAdapterConformance } from './bank-adapter.conformance.ts';
import { lotusCards } from './lotus-bank-cards.ts';
import { sandboxBankFaults } from './sandbox-bank-faults.ts';
import { cardBankOfferControl } from './bank-offers-control.ts';
import { DEMO_OFFER_MERCHANT } from './demo-offer-merchant.ts';

/** Known up front, so the scrub check can look for it (the suite's options are read before the bank starts). */
const LOTUS_API_KEY = `sk_lotus_${randomBytes(16).toString('hex')}`;

describe('Lotus Bank adapter', () => {
  let bank: SpawnedLotusBank;
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'paykey-lotus-adapter-'));
    bank = await spawnLotusBank({ dataDir, apiKey: LOTUS_API_KEY });
  });
  after(async () => {
    await bank?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  runBankAdapterConformance({
    name: 'Lotus Bank adapter',
    createAdapter: (settings) => createLotusBankAdapter({ baseUrl: bank.url, apiKey: bank.apiKey, ...settings }),
    createUnreachableAdapter: async () => createLotusBankAdapter({ baseUrl: `http://127.0.0.1:${await freePort()}`, apiKey: bank.apiKey, timeoutMs: 2_000 }),
    createMisconfiguredAdapter: () => createLotusBankAdapter({ baseUrl: bank.url, apiKey: 'sk_lotus_not_the_key' }),
    cards: lotusCards,
    currency: 'CNY',
    cardCurrency: 'CNY',
    fxPayment: { from: 'USD', amount: 1015 },
    faults: {
      kinds: ['timeout', 'drop_after', 'conflict_after', 'garbled_after', 'error_after', 'duplicate'],
      // The same demo bank code, so the same fault switch; read when a case runs (the bank starts in before()).
      inject: (...args) => sandboxBankFaults(bank).inject(...args),
      clear: () => sandboxBankFaults(bank).clear(),
    },
    secrets: [LOTUS_API_KEY],
    // ¥20 off ¥250.00 (lotus-tea-20); the bank starts in before(): its switch is read when a case runs.
    offers: {
      merchant: DEMO_OFFER_MERCHANT,
      amount: 25_000,
      currency: 'CNY',
      control: {
        bumpVersion: (offerId) => cardBankOfferControl(bank).bumpVersion(offerId),
        revocationsOf: (redemptionId) => cardBankOfferControl(bank).revocationsOf(redemptionId),
        restore: () => cardBankOfferControl(bank).restore(),
      },
    },
  });

  describe('specific to Lotus Bank', () => {
    const adapter = () => createLotusBankAdapter({ baseUrl: bank.url, apiKey: bank.apiKey });
    const unique = (what: string) => `lotus-${what}-${randomUUID()}`;

    it('its id is "lotus", its BINs 555555 and 510510, its cards held in CNY', async () => {
      const lotus = adapter();
      assert.equal(lotus.id, 'lotus');
      assert.deepEqual(lotus.bins, ['555555', '510510']);
      const tokenized = await lotus.tokenizeCard(lotusCards.approve, unique('tokenize'));
      assert.ok(tokenized.status === 'tokenized', JSON.stringify(tokenized));
      assert.deepEqual({ ...tokenized.card, token: 'x' }, { token: 'x', brand: 'mastercard', last4: '4444', expMonth: 12, expYear: lotusCards.approve.expYear, currency: 'CNY' });
    });

    it('the wallet takes it from LOTUS_BANK_URL and LOTUS_BANK_API_KEY, and offers no Lotus Bank without a URL', () => {
      assert.deepEqual(readEnvConfig({ LOTUS_BANK_URL: 'http://127.0.0.1:8791', LOTUS_BANK_API_KEY: 'k' }).lotusBank, { baseUrl: 'http://127.0.0.1:8791', apiKey: 'k' });
      assert.equal(readEnvConfig({}).lotusBank, undefined);
      assert.throws(() => readEnvConfig({ LOTUS_BANK_URL: 'http://127.0.0.1:8791' }), /LOTUS_BANK_API_KEY: expected the API key Lotus Bank gave the wallet \(LOTUS_BANK_URL is set\), received nothing/);
      assert.throws(() => readEnvConfig({ LOTUS_BANK_URL: 'not a url', LOTUS_BANK_API_KEY: 'k' }), /LOTUS_BANK_URL: expected an http\(s\) URL, received "not a url"/);
    });

    it('declares the limits the bank publishes (GET /v1/limits): CNY and the currencies it converts from', async () => {
      const published = await fetch(new URL('/v1/limits', bank.url), { headers: { authorization: `Bearer ${bank.apiKey}` } });
      assert.deepEqual(adapter().limits, await published.json());
      assert.deepEqual(adapter().limits.currencies, ['CNY', 'USD', 'EUR', 'GBP', 'JPY']);
    });

    it('refuses to tokenize a card it does not issue (invalid_card)', async () => {
      const result = await adapter().tokenizeCard({ ...lotusCards.approve, number: '4242424242424242' }, unique('tokenize'));
      assert.equal(result.status, 'rejected');
      assert.ok(result.status === 'rejected');
      assert.equal(result.code, 'invalid_card');
      assert.match(result.message, /expected a card Lotus Bank issues \(numbers starting 555555 or 510510\)/);
    });

    it('names itself 莲花银行 in Chinese, with a lotus logo and CJK fonts before the generic family', async () => {
      const brand = await adapter().brand();
      assert.deepEqual(brand.name, { en: 'Lotus Bank', 'zh-CN': '莲花银行' });
      assert.match(Buffer.from(brand.logo.split(',')[1], 'base64').toString('utf8'), /aria-label="Lotus Bank"/);
      assert.match(brand.fontStack, /'Noto Sans SC'.*sans-serif$/);
    });

    it('quotes 1 USD = 7.1234 CNY: 10.15 USD debits 72.30 CNY; 1000 JPY (no minor unit) debits 47.81 CNY', async () => {
      const usd = await adapter().quoteFx!({ from: 'USD', to: 'CNY', amount: 1015 });
      assert.deepEqual([usd.rate, usd.debit, usd.source], ['7.1234', 7230, 'Lotus Bank treasury']);
      assert.equal(usd.ratio.numerator * 10_000, usd.ratio.denominator * 71_234, 'fen per cent');
      const jpy = await adapter().quoteFx!({ from: 'JPY', to: 'CNY', amount: 1000 });
      assert.deepEqual([jpy.rate, jpy.debit], ['0.047812', 4781]);
      assert.equal(jpy.ratio.numerator * 10_000, jpy.ratio.denominator * 47_812, 'fen per yen');
      assert.equal(jpy.debit, convertedAmount(jpy, 1000));
      for (const from of ['EUR', 'GBP']) assert.equal((await adapter().quoteFx!({ from, to: 'CNY', amount: 100 })).from, from);
      const expires = Date.parse(usd.expiresAt) - Date.now();
      assert.ok(expires > 9 * 60_000 && expires <= 10 * 60_000, `expected about 10 minutes, received ${expires} ms`);
    });

    it('a quote it cannot give is a BankConfigurationError naming the refusal, never a made-up rate', async () => {
      await assert.rejects(adapter().quoteFx!({ from: 'CHF', to: 'CNY', amount: 100 }), (error: unknown) => error instanceof BankConfigurationError && /fx_pair_not_supported/.test(error.message));
      await assert.rejects(adapter().quoteFx!({ from: 'USD', to: 'EUR', amount: 100 }), (error: unknown) => error instanceof BankConfigurationError && /fx_pair_not_supported/.test(error.message));
    });

    it('charges 1.5 % on cross-currency card payments, nothing on CNY ones', async () => {
      const schedule = await adapter().feeSchedule!();
      assert.equal(feeFor(schedule, 'card', 'USD', 10_000, { crossCurrency: true }), 150);
      assert.equal(feeFor(schedule, 'card', 'JPY', 1_000, { crossCurrency: true }), 15);
      assert.equal(feeFor(schedule, 'card', 'USD', 10_000, { crossCurrency: false }), null);
      assert.equal(feeFor(schedule, 'card', 'CNY', 10_000), 0);
    });

    it('a USD charge on a CNY card without a quote is declined before anything is booked', async () => {
      const lotus = adapter();
      const tokenized = await lotus.tokenizeCard(lotusCards.approve, unique('tokenize'));
      assert.ok(tokenized.status === 'tokenized');
      const reference = unique('charge');
      const result = await lotus.charge({ token: tokenized.card.token, amount: 1000, currency: 'USD', reference, idempotencyKey: unique('key') });
      assert.ok(result.status === 'declined', JSON.stringify(result));
      assert.equal(result.bankChargeId, null);
      assert.match(result.message, /expected CNY \(the card's currency\)/);
      assert.equal(await lotus.lookupCharge(reference), null);
    });

    it('a charge using a quote is booked with the quote id, in CNY, and refunded in CNY', async () => {
      const lotus = adapter();
      const tokenized = await lotus.tokenizeCard(lotusCards.approve, unique('tokenize'));
      assert.ok(tokenized.status === 'tokenized');
      const quote = await lotus.quoteFx!({ from: 'USD', to: 'CNY', amount: 2000 });
      const reference = unique('charge');
      const charge = await lotus.charge({ token: tokenized.card.token, amount: quote.debit, currency: 'CNY', reference, idempotencyKey: unique('key'), fxQuoteId: quote.quoteId });
      assert.ok(charge.status === 'approved', JSON.stringify(charge));
      const listed = await fetch(new URL(`/v1/charges?reference=${reference}`, bank.url), { headers: { authorization: `Bearer ${bank.apiKey}` } });
      const [row] = ((await listed.json()) as { data: { fx_quote_id: string; amount: number; currency: string }[] }).data;
      assert.deepEqual([row.fx_quote_id, row.amount, row.currency], [quote.quoteId, quote.debit, 'CNY']);
      const refund = await lotus.refund({ bankChargeId: charge.bankChargeId, amount: quote.debit, currency: 'CNY', reference: unique('refund'), idempotencyKey: unique('key') });
      assert.equal(refund.status, 'succeeded', JSON.stringify(refund));
    });
  });
});
