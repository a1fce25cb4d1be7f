/**
 * The sandbox bank's offers as its own process (`demo/bank/main.ts`, real HTTP), started with
 * `SANDBOX_CASHBACK_DELAY_MS=1500`: 5 % cashback up to $10 on USD, expected then credited after the delay (never once
 * revoked); the personalised 10 % off at food stores only with `bank_profile` and the card holder's recorded consent.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { spawnSandboxBank, type SpawnedSandboxBank } from '../../demo/bank/spawn-sandbox-bank.ts';

const DELAY_MS = 1_500;
const merchant = { id: 'mer_demo', name: 'Demo Shop', mcc: '5499', origin: 'http://localhost:5173', country: 'US' };

let bank: SpawnedSandboxBank;
let dataDir: string;

async function call(method: string, path: string, body?: unknown, key?: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${bank.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key ?? bank.apiKey}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function newToken(): Promise<string> {
  const answer = await call('POST', '/v1/tokens', { number: '4242424242424242', exp_month: 12, exp_year: 2099, cvc: '123', name: 'Ada' });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body.token;
}

const quotes = (cardTokens: string[], personalization = 'none', amount = 2_500, shop = merchant) =>
  call('POST', '/v1/offers/quotes', { merchant: shop, amount, currency: 'USD', card_tokens: cardTokens, personalization, locale: 'en' });

async function chargedWithCashback(token: string): Promise<{ redemptionId: string; chargedAt: number }> {
  const [quote] = (await quotes([token])).body.data;
  const redeemed = await call('POST', '/v1/offers/redemptions', {
    quote_id: quote.id,
    offer_id: quote.offer_id,
    version: quote.version,
    terms_hash: quote.terms_hash,
    card_token: token,
    amount: 2_500,
    currency: 'USD',
    value: quote.value,
    merchant,
    reference: randomUUID(),
  });
  assert.equal(redeemed.status, 201, JSON.stringify(redeemed.body));
  const redemptionId = redeemed.body.redemption.id;
  const charge = await call('POST', '/v1/charges', { token, amount: 2_500, currency: 'USD', reference: randomUUID(), offer: { redemption_id: redemptionId, gross_amount: 2_500, gross_currency: 'USD' } });
  assert.equal(charge.body.status, 'approved', JSON.stringify(charge.body));
  return { redemptionId, chargedAt: Date.parse(charge.body.created_at) };
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'paykey-sandbox-offers-'));
  bank = await spawnSandboxBank({ dataDir, cashbackDelayMs: DELAY_MS });
});
after(async () => {
  await bank?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('sandbox bank offers (its own process, SANDBOX_CASHBACK_DELAY_MS=1500)', () => {
  it('quotes 5 % cashback up to $10 on USD ($25.00 → $1.25; $300.00 → $10.00), expected by the credit delay plus a margin', async () => {
    const token = await newToken();
    const asked = Date.now();
    const answer = await quotes([token]);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual(answer.body.data.map((quote: any) => quote.offer_id), ['sandbox-cashback-5'], 'no personalised offer without bank_profile');
    const [quote] = answer.body.data;
    assert.deepEqual([quote.kind, quote.funded_by, quote.value.cashback, quote.title], ['cashback', 'bank', 125, '5% cashback, up to $10']);
    assert.equal(quote.ends_at, null, 'the demo offer announces no end (its quote only holds until expires_at)');
    const expectedBy = Date.parse(quote.value.expected_by);
    assert.ok(expectedBy >= asked + DELAY_MS && expectedBy <= Date.now() + DELAY_MS + 7_000, `expected about now + 1.5 s + 5 s, received ${quote.value.expected_by}`);
    assert.equal((await quotes([token], 'none', 30_000)).body.data[0].value.cashback, 1_000);
    assert.deepEqual((await call('POST', '/v1/offers/quotes', { merchant, amount: 2_500, currency: 'EUR', card_tokens: [token], personalization: 'none', locale: 'en' })).body.data, []);
  });

  it('cashback is expected after the charge, then credited once the delay has passed', async () => {
    const token = await newToken();
    const { redemptionId, chargedAt } = await chargedWithCashback(token);
    const soon = await call('GET', `/v1/offers/redemptions/${redemptionId}`);
    assert.equal(soon.body.redemption.status, 'applied');
    assert.deepEqual({ ...soon.body.redemption.cashback, expected_by: 'x' }, { amount: 125, expected_by: 'x', credited_at: null });
    assert.ok(Date.parse(soon.body.redemption.cashback.expected_by) >= chargedAt + DELAY_MS);
    await sleep(DELAY_MS + 200);
    const later = await call('GET', `/v1/offers/redemptions/${redemptionId}`);
    assert.equal(later.body.redemption.cashback.credited_at, new Date(chargedAt + DELAY_MS).toISOString());
    const log = await call('GET', '/sandbox/offers/log', undefined, bank.adminKey);
    const logged = log.body.redemptions.find((row: any) => row.redemptionId === redemptionId);
    assert.deepEqual(logged.cashback, { amount: 125, expectedBy: later.body.redemption.cashback.expected_by, creditedAt: new Date(chargedAt + DELAY_MS).toISOString() });
  });

  it('cashback revoked before the delay is never credited', async () => {
    const token = await newToken();
    const { redemptionId } = await chargedWithCashback(token);
    assert.equal((await call('POST', `/v1/offers/redemptions/${redemptionId}/revoke`, { reason: 'refunded' })).status, 200);
    await sleep(DELAY_MS + 200);
    const later = await call('GET', `/v1/offers/redemptions/${redemptionId}`);
    assert.deepEqual([later.body.redemption.status, later.body.redemption.cashback.credited_at], ['revoked', null]);
  });

  it('the personalised offer: only with bank_profile and a recorded consent, only at MCC 5499; withdrawn, gone again', async () => {
    const token = await newToken();
    const ids = async (personalization: string, shop = merchant) => (await quotes([token], personalization, 2_500, shop)).body.data.map((quote: any) => quote.offer_id);
    assert.deepEqual(await ids('bank_profile'), ['sandbox-cashback-5'], 'no consent recorded yet');
    const at = new Date().toISOString();
    const consent = await call('POST', '/v1/offers/consents', { card_tokens: [token, 'tok_not_ours'], personalization: 'bank_profile', at });
    assert.equal(consent.status, 201, JSON.stringify(consent.body));
    assert.deepEqual(consent.body, { card_tokens: [token], personalization: 'bank_profile', at });
    assert.deepEqual(await ids('bank_profile'), ['sandbox-cashback-5', 'sandbox-tea-lovers']);
    assert.deepEqual(await ids('none'), ['sandbox-cashback-5'], 'personalization none: never a personalised offer');
    assert.deepEqual(await ids('bank_profile', { ...merchant, mcc: '5732' }), ['sandbox-cashback-5'], 'another category');
    const tea = (await quotes([token], 'bank_profile')).body.data[1];
    assert.deepEqual([tea.personalized, tea.value], [true, { kind: 'instant_discount', discount: 250 }]);
    await call('POST', '/v1/offers/consents', { card_tokens: [token], personalization: 'none', at: new Date(Date.parse(at) + 1_000).toISOString() });
    assert.deepEqual(await ids('bank_profile'), ['sandbox-cashback-5']);
    const log = await call('GET', '/sandbox/offers/log', undefined, bank.adminKey);
    assert.deepEqual(log.body.consents.slice(-2).map((entry: any) => [entry.cardTokens, entry.personalization]), [
      [[token, 'tok_not_ours'], 'bank_profile'],
      [[token], 'none'],
    ]);
    assert.deepEqual(log.body.requests.slice(-1)[0].personalization, 'bank_profile');
  });
});
