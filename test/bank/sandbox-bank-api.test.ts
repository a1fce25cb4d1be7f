/**
 * The sandbox bank's HTTP API (see "The sandbox bank" in README.md), over real
 * HTTP, with the SQLite ledger opened next to it to check what was written.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { startSandboxBank, type RunningSandboxBank } from '../../demo/bank/main.ts';
import { sandboxBankLimits } from '../../demo/bank/sandbox-bank-limits.ts';
import { brandProblems } from '../../widget/frame/theme/brand-problems.ts';
import { contrastRatio } from '../../widget/frame/theme/contrast-ratio.ts';

const apiKey = 'bank_sk_api_test_0123456789';
const year = new Date().getUTCFullYear();
const cards = {
  approve: '4242424242424242',
  decline: '4000000000000002',
  insufficient: '4000000000009995',
  mastercard: '5200828282828210',
  amex: '378282246310005',
};

let bank: RunningSandboxBank;
let dataDir: string;
const ledgerFile = () => join(dataDir, 'sandbox-bank.sqlite');

interface Answer {
  status: number;
  body: any;
}

async function call(
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; key?: string | null; idempotencyKey?: string | null } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const key = options.key === undefined ? apiKey : options.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const idempotencyKey = options.idempotencyKey === undefined ? randomUUID() : options.idempotencyKey;
  if (idempotencyKey !== null && method === 'POST') headers['idempotency-key'] = idempotencyKey;
  const response = await fetch(`${bank.url}${path}`, {
    method,
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const cardBody = (number: string, overrides: Record<string, unknown> = {}) => ({
  number,
  exp_month: 12,
  exp_year: year + 2,
  cvc: number.startsWith('37') ? '1234' : '123',
  name: 'Ada Lovelace',
  ...overrides,
});

async function tokenFor(number: string): Promise<string> {
  const answer = await call('POST', '/v1/tokens', { body: cardBody(number) });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body.token;
}

function assertError(answer: Answer, status: number, code: string): void {
  assert.equal(answer.status, status, `expected HTTP ${status}, received ${answer.status}: ${JSON.stringify(answer.body)}`);
  assert.equal(answer.body?.error?.code, code);
  assert.equal(typeof answer.body.error.message, 'string');
  assert.ok(answer.body.error.message.length > 0);
}

function withLedger<T>(read: (db: Database.Database) => T): T {
  const db = new Database(ledgerFile(), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const countCharges = (reference: string) =>
  withLedger((db) => (db.prepare('select count(*) as n from charges where reference = ?').get(reference) as { n: number }).n);

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'paykey-bank-api-'));
  bank = await startSandboxBank({ port: 0, dataDir, apiKey });
});
after(async () => {
  await bank?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('startSandboxBank', () => {
  it('listens on 127.0.0.1 on the real port when asked for port 0', () => {
    assert.match(bank.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(new URL(bank.url).port, '0');
  });

  it('keeps its ledger in WAL mode at <dataDir>/sandbox-bank.sqlite', () => {
    assert.equal(withLedger((db) => db.pragma('journal_mode', { simple: true })), 'wal');
  });
});

describe('GET /brand and /logo.svg (no API key)', () => {
  it('names Sandbox Bank in both languages with an SVG data: logo, six colours meeting WCAG AA, radius, font and support', async () => {
    const answer = await call('GET', '/brand', { key: null });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.name, { en: 'Sandbox Bank', 'zh-CN': '沙盒银行' });
    assert.deepEqual(brandProblems(answer.body), []);
    assert.ok(contrastRatio(answer.body.colors.text, answer.body.colors.background) >= 4.5);
    assert.ok(contrastRatio(answer.body.colors.accent, answer.body.colors.background) >= 3);
    assert.deepEqual((await call('GET', '/v1/brand')).body, answer.body);
    assert.equal((await call('GET', '/v1/brand', { key: null })).status, 401);
    const match = /^data:image\/svg\+xml;base64,(.+)$/.exec(answer.body.logo);
    assert.ok(match, 'expected a base64 SVG data: URL');
    assert.match(Buffer.from(match[1], 'base64').toString('utf8'), /^<svg[\s\S]*<\/svg>$/);
    for (const name of ['primary', 'onPrimary', 'accent', 'background', 'text', 'border']) assert.match(answer.body.colors[name], /^#[0-9a-f]{6}$/i);
  });

  it('serves the logo as image/svg+xml', async () => {
    const response = await fetch(`${bank.url}/logo.svg`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^image\/svg\+xml/);
    assert.match(await response.text(), /^<svg/);
  });
});

describe('auth', () => {
  for (const [what, key] of [
    ['no Authorization header', null],
    ['a wrong key', 'wrong'],
    ['the key without its last character', apiKey.slice(0, -1)],
    ['the key with an extra character', `${apiKey}x`],
    ['an empty key', ''],
  ] as const) {
    it(`401 unauthorized for ${what}`, async () => {
      assertError(await call('GET', '/v1/charges?reference=x', { key }), 401, 'unauthorized');
      assertError(await call('POST', '/v1/tokens', { key, body: cardBody(cards.approve) }), 401, 'unauthorized');
    });
  }

  it('401 for a Basic scheme even with the right secret', async () => {
    const response = await fetch(`${bank.url}/v1/charges?reference=x`, { headers: { authorization: `Basic ${apiKey}` } });
    assert.equal(response.status, 401);
  });

  it('accepts the right key', async () => {
    assert.equal((await call('GET', '/v1/charges?reference=x')).status, 200);
  });
});

describe('POST /v1/tokens', () => {
  it('tokenizes a card: 201 with token, brand, last4, expiry and currency (null: any) only', async () => {
    const answer = await call('POST', '/v1/tokens', { body: cardBody(cards.approve) });
    assert.equal(answer.status, 201);
    assert.deepEqual(Object.keys(answer.body).sort(), ['brand', 'currency', 'exp_month', 'exp_year', 'last4', 'token']);
    assert.match(answer.body.token, /^tok_/);
    assert.deepEqual({ ...answer.body, token: 'x' }, { token: 'x', brand: 'visa', last4: '4242', exp_month: 12, exp_year: year + 2, currency: null });
  });

  it('detects brands and accepts spaced numbers', async () => {
    const brandOf = async (number: string, cvc = '123') => (await call('POST', '/v1/tokens', { body: cardBody(number, { cvc }) })).body.brand;
    assert.equal(await brandOf(cards.mastercard), 'mastercard');
    assert.equal(await brandOf('2223003122003222'), 'mastercard');
    assert.equal(await brandOf(cards.amex, '1234'), 'amex');
    assert.equal(await brandOf('6011111111111117'), 'discover');
    assert.equal(await brandOf('3566002020360505'), 'jcb');
    assert.equal(await brandOf('4242 4242 4242 4242'), 'visa');
  });

  it('402 invalid_card for a number failing Luhn', async () => {
    assertError(await call('POST', '/v1/tokens', { body: cardBody('4242424242424241') }), 402, 'invalid_card');
  });

  it('402 invalid_card for too short, too long or non-digit numbers', async () => {
    for (const number of ['42424242424', '42424242424242424242', '4242abcd42424242', '']) {
      assertError(await call('POST', '/v1/tokens', { body: cardBody(number) }), 402, 'invalid_card');
    }
  });

  it('402 expired_card for last month; this month is still valid', async () => {
    const now = new Date();
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    assertError(
      await call('POST', '/v1/tokens', { body: cardBody(cards.approve, { exp_month: lastMonth.getUTCMonth() + 1, exp_year: lastMonth.getUTCFullYear() }) }),
      402,
      'expired_card',
    );
    assertError(await call('POST', '/v1/tokens', { body: cardBody(cards.approve, { exp_year: 2020 }) }), 402, 'expired_card');
    const thisMonth = await call('POST', '/v1/tokens', { body: cardBody(cards.approve, { exp_month: now.getUTCMonth() + 1, exp_year: now.getUTCFullYear() }) });
    assert.equal(thisMonth.status, 201);
  });

  it('402 incorrect_cvc for a CVC of the wrong length for the brand', async () => {
    assertError(await call('POST', '/v1/tokens', { body: cardBody(cards.approve, { cvc: '12' }) }), 402, 'incorrect_cvc');
    assertError(await call('POST', '/v1/tokens', { body: cardBody(cards.approve, { cvc: '1234' }) }), 402, 'incorrect_cvc');
    assertError(await call('POST', '/v1/tokens', { body: cardBody(cards.approve, { cvc: '12a' }) }), 402, 'incorrect_cvc');
    assertError(await call('POST', '/v1/tokens', { body: cardBody(cards.amex, { cvc: '123' }) }), 402, 'incorrect_cvc');
  });

  it('never repeats the card number or CVC in an error message', async () => {
    for (const body of [cardBody('4242424242424241'), cardBody('4242abcd42424242'), cardBody(cards.approve, { cvc: '98' }), cardBody(cards.approve, { exp_year: 2020 })]) {
      const answer = await call('POST', '/v1/tokens', { body });
      assert.ok(answer.status >= 400);
      assert.ok(!JSON.stringify(answer.body).includes(body.number), JSON.stringify(answer.body));
    }
  });

  it('422 validation_error naming each bad field', async () => {
    const answer = await call('POST', '/v1/tokens', { body: { number: 4242424242424242, exp_month: 13, cvc: '123', name: '' } });
    assertError(answer, 422, 'validation_error');
    for (const field of ['number', 'exp_month', 'exp_year', 'name']) assert.match(answer.body.error.message, new RegExp(`\\b${field}:`));
    assert.match(answer.body.error.message, /expected string, received number/);
  });

  it('is idempotent by Idempotency-Key: same card → same token (200); another card → 409', async () => {
    const key = randomUUID();
    const first = await call('POST', '/v1/tokens', { idempotencyKey: key, body: cardBody(cards.approve) });
    const again = await call('POST', '/v1/tokens', { idempotencyKey: key, body: cardBody(cards.approve) });
    assert.equal(first.status, 201);
    assert.equal(again.status, 200);
    assert.equal(again.body.token, first.body.token);
    assertError(await call('POST', '/v1/tokens', { idempotencyKey: key, body: cardBody(cards.mastercard) }), 409, 'idempotency_key_conflict');
  });

  it('422 idempotency_key_required without an Idempotency-Key', async () => {
    assertError(await call('POST', '/v1/tokens', { idempotencyKey: null, body: cardBody(cards.approve) }), 422, 'idempotency_key_required');
  });
});

describe('the ledger never holds a card number, CVC or cardholder name', () => {
  it('after tokenizing (and charging) every test card', async () => {
    const numbers = Object.values(cards);
    for (const number of numbers) {
      const token = await tokenFor(number);
      await call('POST', '/v1/charges', { body: { token, amount: 100, currency: 'EUR', reference: randomUUID() } });
    }

    const { tables, text, columns } = withLedger((db) => {
      const tables = (db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((t) => t.name);
      let text = '';
      const columns: string[] = [];
      for (const table of tables) {
        if (['tokens', 'charges', 'refunds'].includes(table)) columns.push(...(db.prepare(`select name from pragma_table_info(?)`).all(table) as { name: string }[]).map((c) => c.name));
        text += JSON.stringify(db.prepare(`select * from "${table}"`).all());
      }
      return { tables, text, columns };
    });
    assert.ok(tables.includes('tokens') && tables.includes('charges') && tables.includes('refunds'));
    assert.ok(text.includes('4242'), 'the dump must include last4, or this check proves nothing');
    for (const number of numbers) assert.ok(!text.includes(number), `the ledger contains ${number.slice(0, 6)}…`);
    assert.ok(!text.includes('Ada Lovelace'), 'the ledger contains the cardholder name');
    for (const column of columns) assert.doesNotMatch(column, /number|^pan$|cvc|cvv|name|holder/i);
    assert.ok(columns.includes('last4'));

    // Nor do the raw files (database, WAL): nothing was ever written, not even to a freed page.
    for (const file of readdirSync(dataDir).filter((name) => name.startsWith('sandbox-bank.sqlite'))) {
      const bytes = readFileSync(join(dataDir, file));
      for (const number of numbers) assert.equal(bytes.indexOf(number), -1, `${file} contains a card number`);
    }
  });
});

describe('POST /v1/charges and GET /v1/charges?reference=', () => {
  let approveToken: string;
  before(async () => {
    approveToken = await tokenFor(cards.approve);
  });
  const charge = (body: Record<string, unknown>, idempotencyKey?: string) =>
    call('POST', '/v1/charges', { idempotencyKey, body: { token: approveToken, amount: 1999, currency: 'EUR', reference: randomUUID(), ...body } });

  it('201 approved charge in the contract shape', async () => {
    const reference = randomUUID();
    const answer = await charge({ reference, description: 'order 1' });
    assert.equal(answer.status, 201);
    assert.deepEqual(Object.keys(answer.body).sort(), ['amount', 'created_at', 'currency', 'decline_code', 'decline_message', 'description', 'fx_quote_id', 'id', 'offer_redemption_id', 'reference', 'status', 'token']);
    assert.deepEqual(
      { ...answer.body, id: 'x', created_at: 'x' },
      { id: 'x', reference, token: approveToken, amount: 1999, currency: 'EUR', status: 'approved', decline_code: null, decline_message: null, description: 'order 1', fx_quote_id: null, offer_redemption_id: null, created_at: 'x' },
    );
    assert.ok(!Number.isNaN(Date.parse(answer.body.created_at)));
  });

  it('201 declined charges with card_declined and insufficient_funds', async () => {
    const declined = await charge({ token: await tokenFor(cards.decline) });
    assert.equal(declined.status, 201);
    assert.equal(declined.body.status, 'declined');
    assert.equal(declined.body.decline_code, 'card_declined');
    const poor = await charge({ token: await tokenFor(cards.insufficient) });
    assert.equal(poor.body.decline_code, 'insufficient_funds');
    assert.equal(typeof poor.body.decline_message, 'string');
  });

  it('the same reference returns the first charge (200) and writes one ledger row', async () => {
    const reference = randomUUID();
    const first = await charge({ reference, amount: 500 });
    const again = await charge({ reference, amount: 500 }, randomUUID());
    assert.equal(first.status, 201);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body);
    assert.equal(countCharges(reference), 1);
  });

  it('409 reference_conflict when a reference is reused with another amount, currency or token', async () => {
    const reference = randomUUID();
    await charge({ reference, amount: 500 });
    assertError(await charge({ reference, amount: 501 }), 409, 'reference_conflict');
    assertError(await charge({ reference, amount: 500, currency: 'USD' }), 409, 'reference_conflict');
    assertError(await charge({ reference, amount: 500, token: await tokenFor(cards.mastercard) }), 409, 'reference_conflict');
    assert.equal(countCharges(reference), 1);
  });

  it('409 idempotency_key_conflict when an Idempotency-Key is reused for another reference, charging nothing new', async () => {
    const key = randomUUID();
    const first = randomUUID();
    const second = randomUUID();
    assert.equal((await charge({ reference: first, amount: 500 }, key)).status, 201);
    assertError(await charge({ reference: second, amount: 500 }, key), 409, 'idempotency_key_conflict');
    assert.equal(countCharges(second), 0);
    assert.equal((await charge({ reference: first, amount: 500 }, key)).status, 200, 'the same request with its key still replays');
  });

  it('concurrent duplicate charges with one reference still yield one row', async () => {
    const reference = randomUUID();
    const answers = await Promise.all(Array.from({ length: 25 }, () => charge({ reference, amount: 4200 })));
    assert.deepEqual(answers.map((a) => a.status).sort((a, b) => a - b), [...Array(24).fill(200), 201]);
    assert.equal(new Set(answers.map((a) => a.body.id)).size, 1);
    assert.equal(countCharges(reference), 1);
  });

  it('charges at its limits: a description of exactly maxDescriptionLength, the largest amount it carries', async () => {
    const reference = randomUUID();
    const description = `${'é'.repeat(sandboxBankLimits.maxDescriptionLength - 2)}😀`;
    const answer = await charge({ reference, description, amount: sandboxBankLimits.amount.max });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal(answer.body.description, description);
    assert.equal(answer.body.amount, sandboxBankLimits.amount.max);
  });

  for (const [what, body, code, message] of [
    ['a description one longer than its limit', { description: 'x'.repeat(sandboxBankLimits.maxDescriptionLength + 1) }, 'description_too_long', /^description: expected at most 500 characters \(UTF-16 code units\), received 501$/],
    ['a currency it does not carry (XDR)', { currency: 'XDR' }, 'currency_not_supported', /^currency: expected one of the 154 currencies this bank carries \(GET \/v1\/limits\), received XDR$/],
  ] as const) {
    it(`422 ${code} for ${what}, writing nothing`, async () => {
      const reference = randomUUID();
      const answer = await charge({ reference, ...body });
      assertError(answer, 422, code);
      assert.match(answer.body.error.message, message);
      assert.equal(countCharges(reference), 0);
    });
  }

  it('GET /v1/limits publishes its limits, under the API key', async () => {
    const answer = await call('GET', '/v1/limits');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, sandboxBankLimits);
    assert.equal((await call('GET', '/v1/limits', { key: null })).status, 401);
  });

  it('404 token_not_found for an unknown token, writing nothing', async () => {
    const reference = randomUUID();
    assertError(await charge({ reference, token: 'tok_nope' }), 404, 'token_not_found');
    assert.equal(countCharges(reference), 0);
  });

  for (const [what, body, field] of [
    ['a fractional amount', { amount: 10.5 }, 'amount'],
    ['a zero amount', { amount: 0 }, 'amount'],
    ['a negative amount', { amount: -100 }, 'amount'],
    ['an amount as a string', { amount: '100' }, 'amount'],
    ['an unsafe integer amount', { amount: 2 ** 60 }, 'amount'],
    ['a lowercase currency', { currency: 'eur' }, 'currency'],
    ['an unknown currency', { currency: 'XYZ' }, 'currency'],
    ['a missing reference', { reference: undefined }, 'reference'],
    ['an empty reference', { reference: '' }, 'reference'],
    ['a missing token', { token: undefined }, 'token'],
  ] as const) {
    it(`422 validation_error for ${what}`, async () => {
      const answer = await charge(body as Record<string, unknown>);
      assertError(answer, 422, 'validation_error');
      assert.match(answer.body.error.message, new RegExp(`^(.*; )?${field}:`));
    });
  }

  it('4xx, never 500, for any junk body', async () => {
    for (const rawBody of ['', 'not json', 'null', '[]', '"str"', '42', '{"amount":1e400}', '{"token":{"$gt":""}}', `{"reference":"${'x'.repeat(20_000)}"}`]) {
      const answer = await call('POST', '/v1/charges', { rawBody });
      assert.ok(answer.status >= 400 && answer.status < 500, `${rawBody.slice(0, 30)} → ${answer.status}`);
      assert.equal(typeof answer.body.error.code, 'string');
    }
  });

  it('422 idempotency_key_required without an Idempotency-Key', async () => {
    assertError(await call('POST', '/v1/charges', { idempotencyKey: null, body: { token: approveToken, amount: 1, currency: 'EUR', reference: 'r' } }), 422, 'idempotency_key_required');
  });

  it('GET by reference: one charge, or none', async () => {
    const reference = randomUUID();
    const created = await charge({ reference });
    const found = await call('GET', `/v1/charges?reference=${encodeURIComponent(reference)}`);
    assert.equal(found.status, 200);
    assert.deepEqual(found.body, { data: [created.body] });
    assert.deepEqual((await call('GET', `/v1/charges?reference=${randomUUID()}`)).body, { data: [] });
    assertError(await call('GET', '/v1/charges'), 422, 'validation_error');
  });

  it('404 not_found for unknown routes', async () => {
    assertError(await call('GET', '/v1/nothing'), 404, 'not_found');
  });
});

describe('a bank started with narrower limits (BANK_LIMITS)', () => {
  const limits = { currencies: ['USD', 'JPY'], amount: { min: 50, max: 10_000 }, maxDescriptionLength: 12 };
  let narrow: RunningSandboxBank;
  let narrowDir: string;
  before(async () => {
    narrowDir = mkdtempSync(join(tmpdir(), 'paykey-bank-narrow-'));
    narrow = await startSandboxBank({ port: 0, dataDir: narrowDir, apiKey, limits });
  });
  after(async () => {
    await narrow?.close();
    rmSync(narrowDir, { recursive: true, force: true });
  });
  const post = async (path: string, body: unknown): Promise<Answer> => {
    const response = await fetch(`${narrow.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, 'idempotency-key': randomUUID() },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };

  it('charges within them and refuses each limit with 422 naming it', async () => {
    const tokenized = await post('/v1/tokens', cardBody(cards.approve));
    assert.equal(tokenized.status, 201);
    const charge = (body: Record<string, unknown>) => post('/v1/charges', { token: tokenized.body.token, amount: 50, currency: 'USD', reference: randomUUID(), ...body });

    assert.equal((await charge({ amount: 50, description: 'x'.repeat(12) })).status, 201);
    assert.equal((await charge({ amount: 10_000, currency: 'JPY' })).status, 201);
    for (const [body, code, message] of [
      [{ currency: 'EUR' }, 'currency_not_supported', 'currency: expected one of the 2 currencies this bank carries (GET /v1/limits), received EUR'],
      [{ amount: 49 }, 'amount_too_small', 'amount: expected at least 50 (minor units), received 49'],
      [{ amount: 10_001 }, 'amount_too_large', 'amount: expected at most 10000 (minor units), received 10001'],
      [{ description: 'x'.repeat(13) }, 'description_too_long', 'description: expected at most 12 characters (UTF-16 code units), received 13'],
    ] as const) {
      const answer = await charge(body);
      assert.deepEqual({ status: answer.status, body: answer.body }, { status: 422, body: { error: { code, message } } });
    }
    const published = await fetch(`${narrow.url}/v1/limits`, { headers: { authorization: `Bearer ${apiKey}` } });
    assert.deepEqual(await published.json(), limits);
  });
});

describe('POST /v1/refunds', () => {
  let chargeId: string;
  before(async () => {
    const token = await tokenFor(cards.approve);
    chargeId = (await call('POST', '/v1/charges', { body: { token, amount: 1000, currency: 'EUR', reference: randomUUID() } })).body.id;
  });
  const refund = (body: Record<string, unknown>) =>
    call('POST', '/v1/refunds', { body: { charge_id: chargeId, amount: 100, currency: 'EUR', reference: randomUUID(), ...body } });

  it('refunds part of a charge, idempotent by reference, never beyond the charged amount', async () => {
    const reference = randomUUID();
    const first = await refund({ reference, amount: 700 });
    assert.equal(first.status, 201);
    assert.deepEqual({ ...first.body, id: 'x', created_at: 'x' }, { id: 'x', charge_id: chargeId, amount: 700, currency: 'EUR', reference, status: 'succeeded', created_at: 'x' });
    assert.match(first.body.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const again = await refund({ reference, amount: 700 });
    assert.equal(again.status, 200);
    assert.equal(again.body.id, first.body.id);
    assertError(await refund({ reference, amount: 300 }), 409, 'reference_conflict');

    assertError(await refund({ amount: 301 }), 402, 'processing_error');
    assert.equal((await refund({ amount: 300 })).status, 201);
    assertError(await refund({ amount: 1 }), 402, 'processing_error');
    const total = withLedger((db) => (db.prepare('select sum(amount) as s, count(*) as n from refunds where charge_id = ?').get(chargeId) as { s: number; n: number }));
    assert.deepEqual(total, { s: 1000, n: 2 });
  });

  it('concurrent refunds never exceed the charge', async () => {
    const token = await tokenFor(cards.approve);
    const id = (await call('POST', '/v1/charges', { body: { token, amount: 1000, currency: 'EUR', reference: randomUUID() } })).body.id;
    const answers = await Promise.all(Array.from({ length: 10 }, () => refund({ charge_id: id, amount: 400 })));
    assert.equal(answers.filter((a) => a.status === 201).length, 2);
    assert.equal(answers.filter((a) => a.status === 402).length, 8);
  });

  it('refuses declined charges, unknown charges and another currency', async () => {
    const declinedId = (await call('POST', '/v1/charges', { body: { token: await tokenFor(cards.decline), amount: 1000, currency: 'EUR', reference: randomUUID() } })).body.id;
    assertError(await refund({ charge_id: declinedId }), 402, 'processing_error');
    assertError(await refund({ charge_id: 'ch_nope' }), 404, 'charge_not_found');
    assertError(await refund({ currency: 'USD' }), 422, 'currency_mismatch');
    assertError(await refund({ amount: 1.5 }), 422, 'validation_error');
  });
});
