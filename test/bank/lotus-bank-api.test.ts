/**
 * Lotus Bank's HTTP API (README "Lotus Bank"), over real HTTP, with its SQLite ledger opened next to it: CNY cards
 * from its own BINs only, FX quotes and the rules a charge naming one must meet, its fee schedule, token release,
 * declines and its brand. Its clock is the test's, so a quote can expire.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { RunningCardBank } from '../../demo/bank/start-card-bank.ts';
import { startLotusBank } from '../../demo/lotus/main.ts';
import { convertedAmount, type FxQuote } from '../../server/adapters/fx-quote.ts';
import { brandProblems } from '../../widget/frame/theme/brand-problems.ts';
import { contrastRatio } from '../../widget/frame/theme/contrast-ratio.ts';

const apiKey = 'lotus_sk_api_test_0123456789';
const year = new Date().getUTCFullYear();
const cards = { approve: '5555555555554444', decline: '5105105105105100' };

let bank: RunningCardBank;
let dataDir: string;
let clock = Date.now();

interface Answer {
  status: number;
  body: any;
}

async function call(method: string, path: string, options: { body?: unknown; key?: string | null } = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': randomUUID() };
  const key = options.key === undefined ? apiKey : options.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const response = await fetch(`${bank.url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

function assertError(answer: Answer, status: number, code: string, message?: RegExp): void {
  assert.equal(answer.status, status, `expected HTTP ${status}, received ${answer.status}: ${JSON.stringify(answer.body)}`);
  assert.equal(answer.body?.error?.code, code);
  if (message) assert.match(answer.body.error.message, message);
}

const cardBody = (number: string) => ({ number, exp_month: 12, exp_year: year + 2, cvc: '123', name: '李伟' });

async function tokenFor(number: string): Promise<string> {
  const answer = await call('POST', '/v1/tokens', { body: cardBody(number) });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body.token;
}

async function quote(from: string, amount: number): Promise<Answer> {
  return call('POST', '/v1/fx-quotes', { body: { from, to: 'CNY', amount } });
}

const charge = (body: Record<string, unknown>) => call('POST', '/v1/charges', { body: { reference: randomUUID(), ...body } });

function ledgerRows(sql: string, ...params: unknown[]): any[] {
  const db = new Database(join(dataDir, 'lotus-bank.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params);
  } finally {
    db.close();
  }
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'paykey-lotus-api-'));
  bank = await startLotusBank({ port: 0, dataDir, apiKey, now: () => new Date(clock) });
});
after(async () => {
  await bank?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Lotus Bank cards', () => {
  it('tokenizes its Mastercard test cards, held in CNY', async () => {
    const answer = await call('POST', '/v1/tokens', { body: cardBody(cards.approve) });
    assert.equal(answer.status, 201);
    assert.deepEqual({ ...answer.body, token: 'x' }, { token: 'x', brand: 'mastercard', last4: '4444', exp_month: 12, exp_year: year + 2, currency: 'CNY' });
    assert.deepEqual(ledgerRows('select currency, released_at from tokens where token = ?', answer.body.token), [{ currency: 'CNY', released_at: null }]);
  });

  it('refuses a valid card it does not issue: 402 invalid_card, naming its BINs and never the number', async () => {
    const answer = await call('POST', '/v1/tokens', { body: cardBody('4242424242424242') });
    assertError(answer, 402, 'invalid_card', /expected a card Lotus Bank issues \(numbers starting 555555 or 510510\), received one starting 4…/);
    assert.ok(!JSON.stringify(answer.body).includes('4242424242424242'));
  });

  it('approves CNY charges on 5555 5555 5555 4444 and declines 5105 1051 0510 5100 with card_declined', async () => {
    const approved = await charge({ token: await tokenFor(cards.approve), amount: 8800, currency: 'CNY' });
    assert.equal(approved.status, 201);
    assert.deepEqual([approved.body.status, approved.body.fx_quote_id], ['approved', null]);
    const declined = await charge({ token: await tokenFor(cards.decline), amount: 8800, currency: 'CNY' });
    assert.equal(declined.status, 201);
    assert.deepEqual([declined.body.status, declined.body.decline_code], ['declined', 'card_declined']);
  });

  it('refuses a charge in another currency without a quote: 422 fx_quote_required, nothing booked', async () => {
    const reference = randomUUID();
    assertError(await charge({ reference, token: await tokenFor(cards.approve), amount: 1000, currency: 'USD' }), 422, 'fx_quote_required', /expected CNY \(the card's currency\).*received USD/);
    assert.deepEqual(ledgerRows('select id from charges where reference = ?', reference), []);
  });

  it('refuses a currency it does not carry at all: 422 currency_not_supported', async () => {
    assertError(await charge({ token: await tokenFor(cards.approve), amount: 1000, currency: 'CHF' }), 422, 'currency_not_supported');
  });
});

describe('POST /v1/fx-quotes', () => {
  it('quotes 1 USD = 7.1234 CNY as an exact decimal and a minor-unit ratio, from Lotus Bank treasury, for 10 minutes', async () => {
    const answer = await quote('USD', 1015);
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    const { id, ...rest } = answer.body;
    assert.match(id, /^fxq_/);
    assert.deepEqual(rest, {
      from: 'USD',
      to: 'CNY',
      rate: '7.1234',
      ratio: { numerator: 35_617, denominator: 5_000 },
      source: 'Lotus Bank treasury',
      expires_at: new Date(clock + 10 * 60_000).toISOString(),
      amount: 1015,
      debit: 7230, // 10.15 × 7.1234 = 72.30251 CNY
    });
  });

  it('converts JPY (no minor unit) to fen, EUR and GBP too; the debit is convertedAmount of the ratio, half up', async () => {
    const cases = [
      ['JPY', 1000, '0.047812', 4781], // ¥1000 = 47.812 CNY
      ['JPY', 1, '0.047812', 5], // 4.7812 fen → 5
      ['EUR', 10_000, '7.7012', 77_012],
      ['GBP', 333, '9.0345', 3008], // 3.33 × 9.0345 = 30.084885
    ] as const;
    for (const [from, amount, rate, debit] of cases) {
      const { body } = await quote(from, amount);
      assert.deepEqual([body.rate, body.debit], [rate, debit], `${amount} ${from}`);
      const asQuote = { ratio: body.ratio } as FxQuote;
      assert.equal(convertedAmount(asQuote, amount), debit);
    }
  });

  it('refuses a pair it does not quote and malformed requests', async () => {
    assertError(await quote('CHF', 100), 422, 'fx_pair_not_supported', /from: expected one of USD, EUR, GBP, JPY, received CHF/);
    assertError(await call('POST', '/v1/fx-quotes', { body: { from: 'USD', to: 'EUR', amount: 100 } }), 422, 'fx_pair_not_supported', /to: expected CNY/);
    assert.equal((await call('POST', '/v1/fx-quotes', { body: { from: 'USD', to: 'CNY', amount: 1.5 } })).status, 422);
    assert.equal((await call('POST', '/v1/fx-quotes', { body: { from: 'USD', to: 'CNY', amount: 100 }, key: null })).status, 401);
  });
});

describe('a charge naming a quote', () => {
  it('of exactly its debit in CNY is approved and booked with the quote id', async () => {
    const { body: fx } = await quote('USD', 2599);
    const answer = await charge({ token: await tokenFor(cards.approve), amount: fx.debit, currency: 'CNY', fx_quote_id: fx.id });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.deepEqual([answer.body.status, answer.body.fx_quote_id], ['approved', fx.id]);
    assert.deepEqual(ledgerRows('select amount, currency, fx_quote_id from charges where id = ?', answer.body.id), [{ amount: fx.debit, currency: 'CNY', fx_quote_id: fx.id }]);
  });

  it('of another amount or currency is 422 fx_quote_mismatch, nothing booked', async () => {
    const { body: fx } = await quote('USD', 2599);
    const token = await tokenFor(cards.approve);
    for (const wrong of [{ amount: fx.debit + 1, currency: 'CNY' }, { amount: fx.debit - 1, currency: 'CNY' }, { amount: 2599, currency: 'USD' }]) {
      const reference = randomUUID();
      assertError(await charge({ reference, token, ...wrong, fx_quote_id: fx.id }), 422, 'fx_quote_mismatch', new RegExp(`expected the debit of quote ${fx.id}, ${fx.debit} CNY`));
      assert.deepEqual(ledgerRows('select id from charges where reference = ?', reference), []);
    }
  });

  it('that the bank never gave is 422 fx_quote_not_found', async () => {
    assertError(await charge({ token: await tokenFor(cards.approve), amount: 100, currency: 'CNY', fx_quote_id: 'fxq_made_up' }), 422, 'fx_quote_not_found');
  });

  it('once the quote expired is 422 fx_quote_expired; a repeat of a charge booked before is still its first answer', async () => {
    const { body: fx } = await quote('EUR', 500);
    const token = await tokenFor(cards.approve);
    const reference = randomUUID();
    const booked = await charge({ reference, token, amount: fx.debit, currency: 'CNY', fx_quote_id: fx.id });
    assert.equal(booked.status, 201);
    clock += 10 * 60_000;
    try {
      assertError(await charge({ token, amount: fx.debit, currency: 'CNY', fx_quote_id: fx.id }), 422, 'fx_quote_expired', new RegExp(`expired at ${fx.expires_at}`));
      const replay = await charge({ reference, token, amount: fx.debit, currency: 'CNY', fx_quote_id: fx.id });
      assert.deepEqual([replay.status, replay.body.id], [200, booked.body.id]);
    } finally {
      clock -= 10 * 60_000;
    }
  });
});

describe('GET /v1/fee-schedule', () => {
  it('1.5 % on cross-currency card payments in USD, EUR, GBP and JPY; nothing on CNY ones', async () => {
    const answer = await call('GET', '/v1/fee-schedule');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.entries, [
      ...['USD', 'EUR', 'GBP', 'JPY'].map((currency) => ({ method: 'card', currency, fixed: 0, basis_points: 150, applies: 'cross_currency' })),
      { method: 'card', currency: 'CNY', fixed: 0, basis_points: 0, applies: 'any' },
    ]);
  });
});

describe('DELETE /v1/tokens/:token', () => {
  it('releases a token once (idempotent); later charges on it are declined card_declined', async () => {
    const token = await tokenFor(cards.approve);
    const first = await call('DELETE', `/v1/tokens/${token}`);
    assert.equal(first.status, 200);
    assert.deepEqual({ ...first.body, released_at: 'x' }, { token, released: true, released_at: 'x' });
    const again = await call('DELETE', `/v1/tokens/${token}`);
    assert.deepEqual(again, first, 'a second release answers the first');
    const answer = await charge({ token, amount: 100, currency: 'CNY' });
    assert.equal(answer.status, 201);
    assert.deepEqual([answer.body.status, answer.body.decline_code], ['declined', 'card_declined']);
  });

  it('404 token_not_found for a token it never issued; 401 without the key', async () => {
    assertError(await call('DELETE', '/v1/tokens/tok_never'), 404, 'token_not_found');
    assert.equal((await call('DELETE', `/v1/tokens/${await tokenFor(cards.approve)}`, { key: null })).status, 401);
  });
});

describe('GET /v1/brand', () => {
  it('莲花银行 / Lotus Bank: a lotus logo, six colours meeting WCAG 2.2 AA, a radius, CJK fonts and support', async () => {
    const { status, body } = await call('GET', '/v1/brand');
    assert.equal(status, 200);
    assert.deepEqual(body.name, { en: 'Lotus Bank', 'zh-CN': '莲花银行' });
    assert.deepEqual(brandProblems(body), []);
    const { colors } = body;
    assert.ok(contrastRatio(colors.text, colors.background) >= 4.5);
    assert.ok(contrastRatio(colors.onPrimary, colors.primary) >= 4.5);
    assert.ok(contrastRatio(colors.accent, colors.background) >= 3);
    assert.ok(contrastRatio(colors.border, colors.background) >= 3);
    assert.match(Buffer.from(body.logo.split(',')[1], 'base64').toString('utf8'), /^<svg[\s\S]*aria-label="Lotus Bank"[\s\S]*<\/svg>$/);
    assert.match(body.fontStack, /PingFang SC.*Noto Sans SC.*sans-serif$/);
    assert.ok(body.support.phone && body.support.email);
  });
});
