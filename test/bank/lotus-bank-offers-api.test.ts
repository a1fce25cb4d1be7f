/**
 * Lotus Bank's offer API (README "Bank offers"), over real HTTP with its SQLite ledger opened beside it, its clock
 * the test's: read-only quotes with stable ids (¥20 off ¥200 or more, 3 interest-free instalments from ¥1,000) in both
 * languages, redemptions re-validated field by field, charges applying a redemption exactly once, revocations counted
 * per idempotency key, and the sandbox controls, log and catalogue under the admin key.
 */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { RunningCardBank } from '../../demo/bank/start-card-bank.ts';
import { lotusBankOffers } from '../../demo/lotus/lotus-bank-offers.ts';
import { startLotusBank } from '../../demo/lotus/main.ts';
import { offerEffect } from '../../server/adapters/bank-offers.ts';

const apiKey = 'lotus_sk_offers_test_0123456789';
const adminKey = 'lotus_admin_offers_test_0123456789';
const merchant = { id: 'mer_demo', name: 'Demo Shop', mcc: '5499', origin: 'http://localhost:5173', country: 'US' };

let bank: RunningCardBank;
let dataDir: string;
let clock = Date.UTC(2026, 11, 1, 12, 1, 0);

interface Answer {
  status: number;
  body: any;
}

async function call(method: string, path: string, body?: unknown, options: { key?: string; idempotencyKey?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${options.key ?? apiKey}`,
    'content-type': 'application/json',
    'idempotency-key': options.idempotencyKey ?? randomUUID(),
  };
  const response = await fetch(`${bank.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
const admin = (method: string, path: string, body?: unknown) => call(method, path, body, { key: adminKey });

function assertError(answer: Answer, status: number, code: string, message?: RegExp): void {
  assert.equal(answer.status, status, `expected HTTP ${status}, received ${answer.status}: ${JSON.stringify(answer.body)}`);
  assert.equal(answer.body?.error?.code, code, JSON.stringify(answer.body));
  if (message) assert.match(answer.body.error.message, message);
}

function ledgerCount(table: string): number {
  const db = new Database(join(dataDir, 'lotus-bank.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function newToken(number = '5555555555554444'): Promise<string> {
  const answer = await call('POST', '/v1/tokens', { number, exp_month: 12, exp_year: 2099, cvc: '123', name: '李伟' });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body.token;
}

const quotes = (cardTokens: string[], amount = 25_000, extra: Record<string, unknown> = {}) =>
  call('POST', '/v1/offers/quotes', { merchant, amount, currency: 'CNY', card_tokens: cardTokens, personalization: 'none', locale: 'en', ...extra });

async function quoteOf(token: string, offerId = 'lotus-tea-20', amount = 25_000): Promise<any> {
  const answer = await quotes([token], amount);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  const quote = answer.body.data.find((candidate: any) => candidate.offer_id === offerId);
  assert.ok(quote, `expected a quote of ${offerId}, received ${JSON.stringify(answer.body.data.map((q: any) => q.offer_id))}`);
  return quote;
}

const redeemBody = (quote: any, amount = 25_000, reference: string = randomUUID()) => ({
  quote_id: quote.id,
  offer_id: quote.offer_id,
  version: quote.version,
  terms_hash: quote.terms_hash,
  card_token: quote.card_token,
  amount,
  currency: 'CNY',
  value: quote.value,
  merchant,
  reference,
});
const redeem = (body: Record<string, unknown>, idempotencyKey?: string) => call('POST', '/v1/offers/redemptions', body, { idempotencyKey });

async function reserved(token: string): Promise<{ quote: any; redemption: any }> {
  const quote = await quoteOf(token);
  const answer = await redeem(redeemBody(quote));
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return { quote, redemption: answer.body.redemption };
}

const chargeWith = (token: string, redemptionId: string, amount = 23_000, reference: string = randomUUID()) =>
  call('POST', '/v1/charges', { token, amount, currency: 'CNY', reference, offer: { redemption_id: redemptionId, gross_amount: 25_000, gross_currency: 'CNY' } });

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'paykey-lotus-offers-'));
  bank = await startLotusBank({ port: 0, dataDir, apiKey, adminKey, now: () => new Date(clock) });
});
after(async () => {
  await bank?.close();
  rmSync(dataDir, { recursive: true, force: true });
});
afterEach(async () => {
  assert.equal((await admin('DELETE', '/sandbox/offers/catalog')).status, 200);
});

describe('POST /v1/offers/quotes', () => {
  it('¥250 with a Lotus card: ¥20 off (lotus-tea-20), bank-funded, in the request\'s language, firm 10 to 20 minutes', async () => {
    const token = await newToken();
    const en = await quotes([token]);
    assert.equal(en.status, 200, JSON.stringify(en.body));
    assert.equal(en.body.data.length, 1);
    const [quote] = en.body.data;
    assert.match(quote.id, /^oq_/);
    assert.deepEqual({ ...quote, id: 'x', terms: 'x' }, {
      id: 'x',
      offer_id: 'lotus-tea-20',
      version: 1,
      card_token: token,
      kind: 'instant_discount',
      funded_by: 'bank',
      personalized: false,
      title: '¥20 off ¥200 or more',
      terms: 'x',
      terms_hash: quote.terms_hash,
      value: { kind: 'instant_discount', discount: 2_000 },
      refund_policy: 'revoke_on_any_refund',
      expires_at: '2026-12-01T12:20:00.000Z',
      ends_at: null,
    });
    assert.match(quote.terms, /funded by Lotus Bank: the merchant is neither told nor charged/);
    const offer = lotusBankOffers[0];
    const document = [`${offer.id} version 1`, `[en]\n${offer.terms.en}`, `[zh-CN]\n${offer.terms['zh-CN']}`].join('\n\n');
    assert.equal(quote.terms_hash, createHash('sha256').update(document).digest('hex'), 'sha256 of the whole terms document, both languages');
    assert.equal(offerEffect(25_000, { kind: 'instant_discount', discount: quote.value.discount }).charged, 23_000);

    const zh = await quotes([token], 25_000, { locale: 'zh-CN' });
    assert.equal(zh.body.data[0].title, '满¥200立减¥20');
    assert.match(zh.body.data[0].terms, /莲花银行出资/);
    assert.equal(zh.body.data[0].id, quote.id, 'the language is not part of the quote');
    assert.equal(zh.body.data[0].terms_hash, quote.terms_hash, 'one terms document in every language');
  });

  it('is read-only and stable: the same request answers the same ids, writes no row; another amount is another quote', async () => {
    const token = await newToken();
    const rows = () => ['offer_redemptions', 'offer_consents', 'charges', 'fx_quotes'].map(ledgerCount);
    const before = rows();
    const first = await quotes([token]);
    const second = await quotes([token]);
    assert.deepEqual(second.body, first.body);
    assert.deepEqual(rows(), before, 'no row written');
    const other = await quotes([token], 25_100);
    assert.notEqual(other.body.data[0].id, first.body.data[0].id);
  });

  it('quotes only the cards it holds, of the tokens asked: another bank\'s token and a released card get nothing', async () => {
    const mine = await newToken();
    const released = await newToken();
    assert.equal((await call('DELETE', `/v1/tokens/${released}`)).status, 200);
    const answer = await quotes(['tok_of_another_bank', mine, released]);
    assert.deepEqual(answer.body.data.map((quote: any) => quote.card_token), [mine]);
  });

  it('¥1,280: ¥20 off and 3 interest-free instalments, the first taking the rounding (42668 + 2 × 42666)', async () => {
    const token = await newToken();
    const answer = await quotes([token], 128_000);
    const plan = answer.body.data.find((quote: any) => quote.offer_id === 'lotus-3x');
    assert.deepEqual(answer.body.data.map((quote: any) => quote.offer_id), ['lotus-tea-20', 'lotus-3x']);
    assert.deepEqual(plan.value, { kind: 'instalments', count: 3, first_instalment: 42_668, per_instalment: 42_666, total_fees: 0, apr_basis_points: 0 });
    assert.equal(plan.refund_policy, 'revoke_on_full_refund');
    assert.deepEqual(offerEffect(128_000, { kind: 'instalments', count: 3, firstInstalment: 42_668, perInstalment: 42_666, totalFees: 0, aprBasisPoints: 0 }), {
      charged: 128_000,
      dueNow: 42_668,
      comesBackLater: 0,
      planFees: 0,
    });
  });

  it('nothing under ¥200, nothing in another currency', async () => {
    const token = await newToken();
    assert.deepEqual((await quotes([token], 19_999)).body.data, []);
    assert.deepEqual((await quotes([token], 25_000, { currency: 'USD' })).body.data, []);
  });

  it('refuses a body it cannot read with 422 validation_error naming the field; logs every request it answers', async () => {
    assertError(await quotes(['tok'], 25_000, { personalization: 'everything' }), 422, 'validation_error', /personalization/);
    assertError(await quotes([], 25_000), 422, 'validation_error', /card_tokens/);
    assertError(await quotes(['tok'], 25_000, { merchant: { ...merchant, mcc: '54' } }), 422, 'validation_error', /merchant\.mcc/);
    const token = await newToken();
    await quotes([token], 25_000, { locale: 'zh-CN' });
    const log = await admin('GET', '/sandbox/offers/log');
    assert.deepEqual(log.body.requests.at(-1), {
      at: new Date(clock).toISOString(),
      cardTokens: [token],
      personalization: 'none',
      merchant,
      amount: 25_000,
      currency: 'CNY',
      locale: 'zh-CN',
    });
  });
});

describe('POST /v1/offers/redemptions', () => {
  it('reserves a quote under the caller\'s reference (201); the same reference again is the same redemption (200)', async () => {
    const token = await newToken();
    const quote = await quoteOf(token);
    const body = redeemBody(quote);
    const first = await redeem(body);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const { id, created_at: _c, expires_at: expiresAt, ...rest } = first.body.redemption;
    assert.match(id, /^ofr_/);
    assert.equal(expiresAt, new Date(clock + 30 * 60_000).toISOString());
    assert.deepEqual(rest, {
      reference: body.reference,
      offer_id: 'lotus-tea-20',
      version: 1,
      card_token: token,
      status: 'reserved',
      amount: 25_000,
      currency: 'CNY',
      charged: 23_000,
      value: { kind: 'instant_discount', discount: 2_000 },
      charge_id: null,
      cashback: null,
      revocations: 0,
      revoked_at: null,
    });
    const again = await redeem(body);
    assert.equal(again.status, 200);
    assert.equal(again.body.redemption.id, id);
    assertError(await redeem({ ...body, amount: 26_000 }), 409, 'reference_conflict');
    const key = randomUUID();
    assert.equal((await redeem(redeemBody(quote), key)).status, 201);
    assertError(await redeem(redeemBody(quote), key), 409, 'idempotency_key_conflict');
  });

  it('checks every field against its own: another amount, card or quote id is not applicable; another value or terms hash has changed', async () => {
    const token = await newToken();
    const other = await newToken();
    const quote = await quoteOf(token);
    const before = ledgerCount('offer_redemptions');
    assertError(await redeem({ ...redeemBody(quote), amount: 26_000 }), 422, 'offer_not_applicable', /quote_id: expected a quote this bank gave/);
    assertError(await redeem({ ...redeemBody(quote), card_token: other }), 422, 'offer_not_applicable');
    // Another last character (the id's last is random: one quote in 64 already ends in "A").
    const otherId = `${quote.id.slice(0, -1)}${quote.id.endsWith('A') ? 'B' : 'A'}`;
    assertError(await redeem({ ...redeemBody(quote), quote_id: otherId }), 422, 'offer_not_applicable');
    assertError(await redeem({ ...redeemBody(quote), merchant: { ...merchant, id: 'mer_other' } }), 422, 'offer_not_applicable');
    assertError(await redeem({ ...redeemBody(quote), value: { kind: 'instant_discount', discount: 2_500 } }), 422, 'offer_changed', /not the offer's value/);
    assertError(await redeem({ ...redeemBody(quote), terms_hash: '0'.repeat(64) }), 422, 'offer_changed', /terms hash/);
    assert.equal(ledgerCount('offer_redemptions'), before, 'a refusal writes nothing');
  });

  it('a quote past its expiry is refused offer_expired', async () => {
    const token = await newToken();
    const quote = await quoteOf(token);
    const was = clock;
    clock = Date.parse(quote.expires_at);
    try {
      assertError(await redeem(redeemBody(quote)), 422, 'offer_expired', /expired at/);
    } finally {
      clock = was;
    }
  });

  it("an offer's own end (endsAt) is its quotes' ends_at, which they never outlast; once it has passed, no quote, and redeeming is offer_expired", async () => {
    const ending = { ...lotusBankOffers[0], id: 'lotus-ends', endsAt: '2026-12-01T12:05:00Z' };
    const catalog = await admin('POST', '/sandbox/offers/catalog', { offers: [ending, { ...lotusBankOffers[0], id: 'lotus-no-end' }] });
    assert.equal(catalog.status, 200, JSON.stringify(catalog.body));
    const token = await newToken();
    const answer = await quotes([token]);
    const times = Object.fromEntries(answer.body.data.map((quote: any) => [quote.offer_id, [quote.expires_at, quote.ends_at]]));
    assert.deepEqual(times, {
      'lotus-ends': ['2026-12-01T12:05:00.000Z', '2026-12-01T12:05:00.000Z'],
      'lotus-no-end': ['2026-12-01T12:20:00.000Z', null],
    });
    const quote = answer.body.data.find((candidate: any) => candidate.offer_id === 'lotus-ends');
    const was = clock;
    clock = Date.parse('2026-12-01T12:05:00Z');
    try {
      assert.deepEqual((await quotes([token])).body.data.map((candidate: any) => candidate.offer_id), ['lotus-no-end'], 'an ended offer is not quoted');
      assertError(await redeem(redeemBody(quote)), 422, 'offer_expired', /ended at 2026-12-01T12:05:00Z/);
    } finally {
      clock = was;
    }
    assertError(await admin('POST', '/sandbox/offers/catalog', { offers: [{ ...ending, endsAt: 'tomorrow' }] }), 422, 'validation_error', /endsAt/);
  });

  it('out of budget: refused offer_budget_exhausted; a revoked redemption gives its place back', async () => {
    // A new offer: the budget counts every live redemption of the offer, and the others' tests made some.
    const catalog = await admin('POST', '/sandbox/offers/catalog', { offers: [{ ...lotusBankOffers[0], id: 'lotus-budget-1', budget: 1 }] });
    assert.equal(catalog.status, 200, JSON.stringify(catalog.body));
    const token = await newToken();
    const spentQuote = await quoteOf(token, 'lotus-budget-1');
    const first = await redeem(redeemBody(spentQuote));
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assertError(await redeem(redeemBody(spentQuote)), 422, 'offer_budget_exhausted');
    assert.deepEqual((await quotes([token])).body.data.map((quote: any) => quote.offer_id), [], 'a spent offer is not offered');
    assert.equal((await call('POST', `/v1/offers/redemptions/${first.body.redemption.id}/revoke`, { reason: 'not_charged' })).status, 200);
    assert.equal((await redeem(redeemBody(await quoteOf(token, 'lotus-budget-1')))).status, 201);
  });
});

describe('POST /v1/charges with an offer', () => {
  it('books the net (23000), marks the redemption applied with the charge once; a retry changes nothing', async () => {
    const token = await newToken();
    const { redemption } = await reserved(token);
    const reference = randomUUID();
    const charged = await chargeWith(token, redemption.id, 23_000, reference);
    assert.equal(charged.status, 201, JSON.stringify(charged.body));
    assert.deepEqual([charged.body.status, charged.body.amount, charged.body.offer_redemption_id], ['approved', 23_000, redemption.id]);
    const replay = await chargeWith(token, redemption.id, 23_000, reference);
    assert.equal(replay.status, 200);
    assert.equal(replay.body.id, charged.body.id);
    const looked = await call('GET', `/v1/charges?reference=${reference}`);
    assert.equal(looked.body.data[0].offer_redemption_id, redemption.id);
    const after = await call('GET', `/v1/offers/redemptions/${redemption.id}`);
    assert.deepEqual([after.body.redemption.status, after.body.redemption.charge_id], ['applied', charged.body.id]);
  });

  it('a redemption not reserved, for another card, amount or gross is a processing_error decline naming it', async () => {
    const token = await newToken();
    const { redemption } = await reserved(token);
    const cases: [Answer, RegExp][] = [
      [await chargeWith(await newToken(), redemption.id), /reserved for another card/],
      [await chargeWith(token, redemption.id, 25_000), /expected a charge of 23000 CNY \(23000 after the offer, fee 0\), received 25000 CNY/],
      [
        await call('POST', '/v1/charges', { token, amount: 23_000, currency: 'CNY', reference: randomUUID(), offer: { redemption_id: redemption.id, gross_amount: 30_000, gross_currency: 'CNY' } }),
        /reserved for 25000 CNY, received gross 30000 CNY/,
      ],
      [await chargeWith(token, 'ofr_never_reserved'), /ofr_never_reserved is not reserved at this bank/],
    ];
    for (const [answer, message] of cases) {
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
      assert.deepEqual([answer.body.status, answer.body.decline_code], ['declined', 'processing_error']);
      assert.match(answer.body.decline_message, message);
    }
    assert.equal((await call('GET', `/v1/offers/redemptions/${redemption.id}`)).body.redemption.status, 'reserved', 'still reserved: none of them applied it');
    assert.equal((await chargeWith(token, redemption.id)).body.status, 'approved');
    const twice = await chargeWith(token, redemption.id);
    assert.deepEqual([twice.body.status, twice.body.decline_code], ['declined', 'processing_error']);
    assert.match(twice.body.decline_message, new RegExp(`offer redemption ${redemption.id} is not reserved \\(it is applied\\)`));
  });

  it('a declined card leaves the redemption reserved (Paykey revokes it)', async () => {
    const token = await newToken('5105105105105100');
    const { redemption } = await reserved(token);
    const answer = await chargeWith(token, redemption.id);
    assert.deepEqual([answer.body.status, answer.body.decline_code], ['declined', 'card_declined']);
    assert.equal((await call('GET', `/v1/offers/redemptions/${redemption.id}`)).body.redemption.status, 'reserved');
  });
});

describe('revoking and reading a redemption', () => {
  it('revoke: revoked once; the same key again counts nothing, another key counts but changes nothing; unknown → 404', async () => {
    const token = await newToken();
    const { redemption } = await reserved(token);
    await chargeWith(token, redemption.id);
    const key = randomUUID();
    const first = await call('POST', `/v1/offers/redemptions/${redemption.id}/revoke`, { reason: 'refunded' }, { idempotencyKey: key });
    assert.equal(first.status, 200);
    assert.deepEqual([first.body.redemption.status, first.body.redemption.revocations, first.body.redemption.revoked_at], ['revoked', 1, new Date(clock).toISOString()]);
    const replay = await call('POST', `/v1/offers/redemptions/${redemption.id}/revoke`, { reason: 'refunded' }, { idempotencyKey: key });
    assert.deepEqual([replay.status, replay.body.redemption.revocations], [200, 1]);
    const log = await admin('GET', '/sandbox/offers/log');
    assert.deepEqual(log.body.redemptions.find((row: any) => row.redemptionId === redemption.id), {
      redemptionId: redemption.id,
      reference: redemption.reference,
      offerId: 'lotus-tea-20',
      version: 1,
      cardToken: token,
      status: 'revoked',
      revocations: 1,
      chargeId: first.body.redemption.charge_id,
      charged: 23_000,
      cashback: null,
    });
    const another = await call('POST', `/v1/offers/redemptions/${redemption.id}/revoke`, { reason: 'refunded' });
    assert.deepEqual([another.status, another.body.redemption.revocations, another.body.redemption.revoked_at], [200, 2, first.body.redemption.revoked_at]);
    assertError(await call('POST', '/v1/offers/redemptions/ofr_unknown/revoke', { reason: 'refunded' }), 404, 'redemption_not_found');
    assertError(await call('GET', '/v1/offers/redemptions/ofr_unknown'), 404, 'redemption_not_found');
    assertError(await call('POST', `/v1/offers/redemptions/${redemption.id}/revoke`, { reason: 'because' }), 422, 'validation_error');
  });

  it('a revoked redemption can no longer be charged', async () => {
    const token = await newToken();
    const { redemption } = await reserved(token);
    await call('POST', `/v1/offers/redemptions/${redemption.id}/revoke`, { reason: 'payment_failed' });
    const answer = await chargeWith(token, redemption.id);
    assert.deepEqual([answer.body.status, answer.body.decline_code], ['declined', 'processing_error']);
    assert.match(answer.body.decline_message, /is not reserved \(it is revoked\)/);
  });
});

describe('sandbox controls, log and catalogue (admin key)', () => {
  it('expire_at_apply and out_of_budget refuse the next redemptions of that offer only, until none', async () => {
    const token = await newToken();
    assert.equal((await admin('POST', '/sandbox/offers/controls', { offerId: 'lotus-tea-20', mode: 'expire_at_apply' })).status, 200);
    assertError(await redeem(redeemBody(await quoteOf(token))), 422, 'offer_expired');
    assertError(await redeem(redeemBody(await quoteOf(token))), 422, 'offer_expired');
    const plan = await quoteOf(token, 'lotus-3x', 128_000);
    assert.equal((await redeem(redeemBody(plan, 128_000))).status, 201, 'another offer is not affected');
    await admin('POST', '/sandbox/offers/controls', { mode: 'out_of_budget' });
    assertError(await redeem(redeemBody(await quoteOf(token, 'lotus-3x', 128_000), 128_000)), 422, 'offer_budget_exhausted');
    await admin('POST', '/sandbox/offers/controls', { mode: 'none' });
    assert.equal((await redeem(redeemBody(await quoteOf(token)))).status, 201);
  });

  it('bump_version: the old quote is refused offer_changed, the new one has a new version and terms hash', async () => {
    const token = await newToken();
    const old = await quoteOf(token);
    assert.equal((await admin('POST', '/sandbox/offers/controls', { offerId: 'lotus-tea-20', mode: 'bump_version' })).status, 200);
    assertError(await redeem(redeemBody(old)), 422, 'offer_changed', /expected version 2, received 1/);
    const fresh = await quoteOf(token);
    assert.deepEqual([fresh.version, fresh.terms_hash === old.terms_hash, fresh.id === old.id], [2, false, false]);
    assert.equal((await redeem(redeemBody(fresh))).status, 201);
  });

  it('slow: quotes are answered delayMs late', async () => {
    const token = await newToken();
    await admin('POST', '/sandbox/offers/controls', { mode: 'slow', delayMs: 600 });
    const started = Date.now();
    assert.equal((await quotes([token])).status, 200);
    assert.ok(Date.now() - started >= 590, `expected at least 600 ms, took ${Date.now() - started}`);
    assertError(await admin('POST', '/sandbox/offers/controls', { mode: 'slow' }), 422, 'validation_error', /delayMs/);
  });

  it('the catalogue can be replaced (a merchant-funded offer) and restored', async () => {
    const merchantFunded = { ...lotusBankOffers[0], id: 'lotus-shop-10', fundedBy: 'merchant', rule: { type: 'fixed_discount', currency: 'CNY', minAmount: 5_000, discount: 1_000 } };
    const replaced = await admin('POST', '/sandbox/offers/catalog', { offers: [merchantFunded] });
    assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
    const token = await newToken();
    const answer = await quotes([token]);
    assert.deepEqual(answer.body.data.map((quote: any) => [quote.offer_id, quote.funded_by, quote.value.discount]), [['lotus-shop-10', 'merchant', 1_000]]);
    assertError(await admin('POST', '/sandbox/offers/catalog', { offers: [{ ...merchantFunded, rule: { ...merchantFunded.rule, discount: 6_000 } }] }), 422, 'validation_error', /discount to be less than minAmount/);
    const restored = await admin('DELETE', '/sandbox/offers/catalog');
    assert.deepEqual(restored.body.offers.map((offer: any) => offer.id), ['lotus-tea-20', 'lotus-3x']);
    assert.deepEqual((await quotes([token])).body.data.map((quote: any) => quote.offer_id), ['lotus-tea-20']);
  });

  it('only the admin key opens them; the API key does not', async () => {
    assertError(await call('GET', '/sandbox/offers/log'), 401, 'unauthorized');
    assertError(await call('POST', '/sandbox/offers/controls', { mode: 'none' }), 401, 'unauthorized');
    assertError(await call('POST', '/v1/offers/quotes', {}, { key: adminKey }), 401, 'unauthorized');
  });
});
