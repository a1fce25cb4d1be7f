/**
 * A bank offer the shopper applies, over real HTTP to the sandbox bank and Lotus Bank processes and real SQLite: in
 * the terms and signed (payment hash v3), redeemed once after the passkey, charged net, revoked exactly once on a
 * decline or a refund, on the receipt (cashback expected → credited), invisible to the merchant when the bank funds
 * it and `{ id, discount }` when the merchant does, and deleted with its quote when nobody paid with it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { spawnSandboxBank, type SpawnedSandboxBank } from '../../demo/bank/spawn-sandbox-bank.ts';
import { lotusBankOffers } from '../../demo/lotus/lotus-bank-offers.ts';
import { paymentHash, type SignedTerms } from '../../server/webauthn/payment-hash.ts';
import type { PaymentTerms, Receipt } from '../../widget/shopper-api.ts';
import {
  addCard,
  bearer,
  confirmationOptions,
  createIntent,
  expectError,
  getIntent,
  inFrame,
  registerShopper,
  sendConfirmation,
} from '../support/frame-client.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';

const LOTUS_CARD = '5555555555554444';
const LOTUS_DECLINING_CARD = '5105105105105100';
const CASHBACK_DELAY_MS = 1_500;

let bankDir: string;
let bank: SpawnedSandboxBank;
let wallet: TestWallet;

before(async () => {
  bankDir = mkdtempSync(path.join(tmpdir(), 'paykey-bank-'));
  bank = await spawnSandboxBank({ dataDir: bankDir, cashbackDelayMs: CASHBACK_DELAY_MS });
  wallet = await startTestWallet({ bank: { baseUrl: bank.url, apiKey: bank.apiKey }, lotus: true });
});
after(async () => {
  await wallet?.close();
  await bank?.stop();
  if (bankDir) rmSync(bankDir, { recursive: true, force: true });
});
afterEach(async () => {
  // Every test starts from the banks' own catalogues, with no control set.
  await admin(lotus(), 'DELETE', '/sandbox/offers/catalog');
  await admin(sandbox(), 'DELETE', '/sandbox/offers/catalog');
});

type BankProcess = { url: string; apiKey: string; adminKey: string };
const lotus = (): BankProcess => wallet.lotus!;
const sandbox = (): BankProcess => bank;

async function admin(target: BankProcess, method: string, pathname: string, body?: unknown): Promise<any> {
  const res = await fetch(new URL(pathname, target.url), {
    method,
    headers: { authorization: `Bearer ${target.adminKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.equal(res.status, 200, `${method} ${pathname}: ${await res.clone().text()}`);
  return res.json();
}

interface LoggedRedemption {
  redemptionId: string;
  reference: string;
  offerId: string;
  status: string;
  revocations: number;
  chargeId: string | null;
  cashback: { amount: number; expectedBy: string; creditedAt: string | null } | null;
}
const redemptions = async (target: BankProcess): Promise<LoggedRedemption[]> => (await admin(target, 'GET', '/sandbox/offers/log')).redemptions;

/** What a bank's own ledger lists (`charges` or `refunds`) under one of our references. */
async function ledger(target: BankProcess, kind: 'charges' | 'refunds', reference: string): Promise<Array<{ amount: number; currency: string; status?: string }>> {
  const res = await fetch(`${target.url}/v1/${kind}?reference=${encodeURIComponent(reference)}`, { headers: bearer(target.apiKey) });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()).data;
}

async function shopper(amount: number, currency: string, number = LOTUS_CARD) {
  const authenticator = new SoftwareAuthenticator();
  const intent = await createIntent(wallet, amount, currency);
  const session = await registerShopper(wallet, authenticator, intent.client_secret, `offer${Math.random()}@example.com`);
  const card = await addCard(wallet, session.sessionToken, number);
  return { authenticator, intent, session, card };
}
type Shopper = Awaited<ReturnType<typeof shopper>>;

function requestTerms(s: Shopper, offerId?: string): Promise<Response> {
  return wallet.request(
    'POST',
    '/api/frame/quotes',
    { client_secret: s.intent.client_secret, card_id: s.card.id, ...(offerId ? { offer_id: offerId } : {}) },
    bearer(s.session.sessionToken),
  );
}

async function terms(s: Shopper, offerId?: string): Promise<PaymentTerms> {
  const res = await requestTerms(s, offerId);
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()).terms;
}

/** Options for these terms → the passkey → confirm: the Pay button. */
async function payWith(s: Shopper, quoteId: string): Promise<Response> {
  const { challengeId, options } = await confirmationOptions(wallet, s.intent.client_secret, s.card.id, s.session.sessionToken, quoteId);
  return sendConfirmation(wallet, s.intent.client_secret, challengeId, s.authenticator.getAssertion(options, inFrame(wallet)), s.session.sessionToken);
}

async function attemptsOf(intentId: string) {
  return wallet.query<{ id: string; reference: string; status: string; offer_redemption_id: string | null; offer_revoked_at: string | null }>(
    'SELECT id, reference, status, offer_redemption_id, offer_revoked_at FROM payment_attempts WHERE intent_id = ? ORDER BY attempt_number',
    [intentId],
  );
}

async function receiptOf(s: Shopper): Promise<Receipt> {
  const res = await wallet.request('GET', `/api/frame/payments/${s.intent.id}`, undefined, bearer(s.session.sessionToken));
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()).receipt;
}

async function webhookObject(intentId: string, type: string): Promise<Record<string, unknown>> {
  const rows = await wallet.query<{ payload: string }>('SELECT payload FROM webhook_events WHERE type = ? AND payload LIKE ?', [type, `%"${intentId}"%`]);
  assert.equal(rows.length, 1, `one ${type} event for ${intentId}`);
  return JSON.parse(rows[0].payload).data.object;
}

/** Every key path of a JSON value (`a.b`, arrays by index), to compare shapes. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keyPaths(inner, prefix ? `${prefix}.${key}` : key)).sort();
}

const merchant = (method: string, pathname: string, body?: unknown) => wallet.request(method, pathname, body, { authorization: `Bearer ${wallet.secretKey}` });

describe('a Lotus Bank card on a ¥250 payment with lotus-tea-20 (¥20 off, bank-funded)', () => {
  test('the terms: gross 25000, the offer signed, debit 23000; paying charges 23000 with the redemption applied once', async () => {
    const s = await shopper(25_000, 'CNY');
    const t = await terms(s, 'lotus-tea-20');
    assert.equal(t.amount, 25_000);
    assert.equal(t.currency, 'CNY');
    assert.deepEqual(t.debit, { amount: 23_000, currency: 'CNY', currencyDigits: 2 });
    assert.ok(t.offer, 'the offer is in the terms');
    assert.deepEqual(
      { offerId: t.offer.offerId, kind: t.offer.kind, fundedBy: t.offer.fundedBy, value: t.offer.value, effect: t.offer.effect, refundPolicy: t.offer.refundPolicy },
      {
        offerId: 'lotus-tea-20',
        kind: 'instant_discount',
        fundedBy: 'bank',
        value: { kind: 'instant_discount', discount: 2_000 },
        effect: { charged: 23_000, dueNow: 23_000, comesBackLater: 0, planFees: 0 },
        refundPolicy: 'revoke_on_any_refund',
      },
    );
    assert.match(t.offer.termsHash, /^[0-9a-f]{64}$/);
    assert.equal(t.offer.endsAt, null, 'the demo offer announces no end (its quote only holds until expiresAt)');

    const res = await payWith(s, t.quoteId);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal((await res.json()).status, 'succeeded');

    const [attempt] = await attemptsOf(s.intent.id);
    assert.ok(attempt.offer_redemption_id, 'the attempt names its redemption');
    assert.deepEqual(
      (await ledger(lotus(), 'charges', attempt.reference)).map((c) => ({ amount: c.amount, currency: c.currency, status: c.status })),
      [{ amount: 23_000, currency: 'CNY', status: 'approved' }],
    );
    const atBank = (await redemptions(lotus())).filter((r) => r.redemptionId === attempt.offer_redemption_id);
    assert.equal(atBank.length, 1);
    assert.deepEqual({ offerId: atBank[0].offerId, status: atBank[0].status, revocations: atBank[0].revocations }, { offerId: 'lotus-tea-20', status: 'applied', revocations: 0 });

    // The challenge bound the offer (v3): the signed terms with it, recomputed here. The one the confirmation used up
    // (the terms came with one of their own, unused here).
    const [challenge] = await wallet.query<{ id: string; payment_hash: string }>(
      "SELECT id, payment_hash FROM webauthn_challenges WHERE intent_id = ? AND purpose = 'payment' AND consumed_at IS NOT NULL",
      [s.intent.id],
    );
    assert.equal(atBank[0].reference, challenge.id, "the redemption's reference is the confirmation's challenge");
    const signed: SignedTerms = {
      quoteId: t.quoteId,
      fee: 0,
      fx: null,
      debit: { amount: 23_000, currency: 'CNY' },
      offer: {
        bankQuoteId: String((await wallet.query<{ q: string }>('SELECT offer_bank_quote_id AS q FROM payment_quotes WHERE id = ?', [t.quoteId]))[0].q),
        offerId: 'lotus-tea-20',
        version: t.offer.version,
        termsHash: t.offer.termsHash,
        value: { kind: 'instant_discount', discount: 2_000 },
        charged: 23_000,
      },
    };
    const details = { intentId: s.intent.id, amount: 25_000, currency: 'CNY', payee: 'Demo Shop', cardToken: s.card.bankToken };
    assert.equal(challenge.payment_hash, paymentHash({ ...details, terms: signed }));

    // The receipt shows the offer.
    const receipt = await receiptOf(s);
    assert.deepEqual(
      { amount: receipt.amount, debit: receipt.debit.amount, offer: receipt.offer && { id: receipt.offer.offerId, status: receipt.offer.status, value: receipt.offer.value, cashback: receipt.offer.cashback } },
      { amount: 25_000, debit: 23_000, offer: { id: 'lotus-tea-20', status: 'applied', value: { kind: 'instant_discount', discount: 2_000 }, cashback: null } },
    );
  });

  test("the merchant's intent and webhook are exactly those of a payment without an offer (amount = gross)", async () => {
    const withOffer = await shopper(25_000, 'CNY');
    assert.equal((await (await payWith(withOffer, (await terms(withOffer, 'lotus-tea-20')).quoteId)).json()).status, 'succeeded');
    const without = await shopper(25_000, 'CNY');
    const plain = await terms(without);
    assert.equal(plain.offer, null);
    assert.equal((await (await payWith(without, plain.quoteId)).json()).status, 'succeeded');

    const [a, b] = [await getIntent(wallet, withOffer.intent.id), await getIntent(wallet, without.intent.id)];
    assert.deepEqual(keyPaths(a), keyPaths(b));
    assert.equal(a.amount, 25_000);
    assert.equal('offer' in a, false);
    assert.doesNotMatch(JSON.stringify(a), /lotus-tea|offer/i);
    const [hookA, hookB] = [await webhookObject(withOffer.intent.id, 'payment_intent.succeeded'), await webhookObject(without.intent.id, 'payment_intent.succeeded')];
    assert.deepEqual(keyPaths(hookA), keyPaths(hookB));
    assert.equal(hookA.amount, 25_000);
    assert.doesNotMatch(JSON.stringify(hookA), /lotus-tea|offer/i);

    // The merchant descriptor at the bank is the merchant's own, offer or not.
    const descriptors = [];
    for (const s of [withOffer, without]) {
      const [attempt] = await attemptsOf(s.intent.id);
      const charges = (await ledger(lotus(), 'charges', attempt.reference)) as Array<{ description?: string | null }>;
      assert.equal(charges.length, 1, `one charge at Lotus for ${attempt.reference}`);
      descriptors.push(charges[0].description);
    }
    assert.deepEqual(descriptors, ['Test order', 'Test order'], 'the statement text is the intent description in both');
  });
});

describe('the signed offer cannot change', () => {
  test('payment hash v3 changes with every offer field, and differs from the same terms without the offer', () => {
    const details = { intentId: 'pi_1', amount: 25_000, currency: 'CNY', payee: 'Demo Shop', cardToken: 'tok_1' };
    const offer = {
      bankQuoteId: 'ofq_1',
      offerId: 'lotus-tea-20',
      version: 1,
      termsHash: 'a'.repeat(64),
      value: { kind: 'instant_discount' as const, discount: 2_000 },
      charged: 23_000,
    };
    const base: SignedTerms = { quoteId: 'quo_1', fee: 0, fx: null, debit: { amount: 23_000, currency: 'CNY' }, offer };
    const hash = paymentHash({ ...details, terms: base });
    const variants: SignedTerms['offer'][] = [
      { ...offer, bankQuoteId: 'ofq_2' },
      { ...offer, offerId: 'lotus-tea-21' },
      { ...offer, version: 2 },
      { ...offer, termsHash: 'b'.repeat(64) },
      { ...offer, value: { kind: 'instant_discount', discount: 2_001 } },
      { ...offer, value: { kind: 'cashback', cashback: 2_000, expectedBy: '2026-12-02T00:00:00.000Z' } },
      { ...offer, charged: 23_001 },
    ];
    const hashes = new Set([hash, ...variants.map((variant) => paymentHash({ ...details, terms: { ...base, offer: variant } }))]);
    assert.equal(hashes.size, variants.length + 1);
    const { offer: _none, ...withoutOffer } = base;
    assert.notEqual(paymentHash({ ...details, terms: withoutOffer }), hash);
  });

  for (const [what, tamper] of [
    ['the discount', "UPDATE payment_quotes SET offer_value = '{\"kind\":\"instant_discount\",\"discount\":2500}' WHERE id = ?"],
    ['the version', 'UPDATE payment_quotes SET offer_version = offer_version + 1 WHERE id = ?'],
  ] as const) {
    test(`${what} changed in the database after the challenge: 409 payment_changed, no redemption, no charge`, async () => {
      const s = await shopper(25_000, 'CNY');
      const t = await terms(s, 'lotus-tea-20');
      const { challengeId, options } = await confirmationOptions(wallet, s.intent.client_secret, s.card.id, s.session.sessionToken, t.quoteId);
      await wallet.query(tamper, [t.quoteId]);
      const before = (await redemptions(lotus())).length;
      const res = await sendConfirmation(wallet, s.intent.client_secret, challengeId, s.authenticator.getAssertion(options, inFrame(wallet)), s.session.sessionToken);
      await expectError(res, 409, 'payment_changed');
      assert.equal((await redemptions(lotus())).length, before, 'no redemption at the bank');
      assert.equal((await redemptions(lotus())).some((r) => r.reference === challengeId), false);
      assert.deepEqual(await attemptsOf(s.intent.id), []);
      assert.deepEqual(await ledger(lotus(), 'charges', `${s.intent.id}_1`), []);
      assert.equal((await getIntent(wallet, s.intent.id)).status, 'requires_confirmation');
    });
  }
});

describe('an offer that can no longer be applied is never charged at full price silently', () => {
  for (const [mode, reason] of [
    ['expire_at_apply', /the offer has ended/],
    ['out_of_budget', /budget has run out/],
  ] as const) {
    test(`${mode}: 409 offer_unavailable, nothing attempted or charged; without the offer it pays full price after a new confirmation`, async () => {
      const s = await shopper(25_000, 'CNY');
      const t = await terms(s, 'lotus-tea-20');
      await admin(lotus(), 'POST', '/sandbox/offers/controls', { offerId: 'lotus-tea-20', mode });
      const res = await payWith(s, t.quoteId);
      const text = await res.text();
      assert.equal(res.status, 409, text);
      assert.equal(JSON.parse(text).error.code, 'offer_unavailable');
      assert.match(JSON.parse(text).error.message, reason);
      assert.deepEqual(await attemptsOf(s.intent.id), []);
      assert.deepEqual(await ledger(lotus(), 'charges', `${s.intent.id}_1`), []);
      assert.equal((await getIntent(wallet, s.intent.id)).status, 'requires_confirmation');

      // The shopper is shown the new amount and confirms it: only then is the full price charged.
      const full = await terms(s);
      assert.equal(full.offer, null);
      assert.equal(full.debit.amount, 25_000);
      const paid = await payWith(s, full.quoteId);
      assert.equal(paid.status, 200, await paid.clone().text());
      assert.equal((await paid.json()).status, 'succeeded');
      const [attempt] = await attemptsOf(s.intent.id);
      assert.equal(attempt.offer_redemption_id, null);
      assert.deepEqual((await ledger(lotus(), 'charges', attempt.reference)).map((c) => c.amount), [25_000]);
    });
  }

  test('an offer the bank no longer quotes for this payment: 409 offer_unavailable at the quote, nothing stored', async () => {
    const s = await shopper(15_000, 'CNY'); // below lotus-tea-20's ¥200 minimum
    await expectError(await requestTerms(s, 'lotus-tea-20'), 409, 'offer_unavailable');
    const rows = await wallet.query<{ n: number }>('SELECT count(*) AS n FROM payment_quotes WHERE intent_id = ?', [s.intent.id]);
    assert.equal(Number(rows[0].n), 0);
  });
});

describe('revoked exactly once', () => {
  test('a declined charge with an offer: the redemption is revoked once', async () => {
    const s = await shopper(25_000, 'CNY', LOTUS_DECLINING_CARD);
    const res = await payWith(s, (await terms(s, 'lotus-tea-20')).quoteId);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal((await res.json()).status, 'failed');
    await wallet.server.runWorkersNow();
    const [attempt] = await attemptsOf(s.intent.id);
    assert.equal(attempt.status, 'declined');
    assert.ok(attempt.offer_redemption_id && attempt.offer_revoked_at, 'revoked, and recorded');
    const [atBank] = (await redemptions(lotus())).filter((r) => r.redemptionId === attempt.offer_redemption_id);
    assert.deepEqual({ status: atBank.status, revocations: atBank.revocations }, { status: 'revoked', revocations: 1 });
    const jobs = await wallet.query<{ n: number }>("SELECT count(*) AS n FROM bank_jobs WHERE kind = 'revoke_offer' AND subject_id = ?", [attempt.id]);
    assert.equal(Number(jobs[0].n), 1);
    assert.equal((await receiptOf(s)).offer?.status, 'revoked');
  });

  test('a declined charge with an offer burns its challenge: the same approval again is challenge_invalid, nothing redeemed again', async () => {
    const s = await shopper(25_000, 'CNY', LOTUS_DECLINING_CARD);
    const { challengeId, options } = await confirmationOptions(wallet, s.intent.client_secret, s.card.id, s.session.sessionToken, (await terms(s, 'lotus-tea-20')).quoteId);
    const approval = s.authenticator.getAssertion(options, inFrame(wallet));
    const first = await sendConfirmation(wallet, s.intent.client_secret, challengeId, approval, s.session.sessionToken);
    assert.equal(first.status, 200, await first.clone().text());
    assert.equal((await first.json()).status, 'failed');
    // The intent is retryable again (failed): only the challenge stops this replay, before any redemption.
    const replay = await sendConfirmation(wallet, s.intent.client_secret, challengeId, approval, s.session.sessionToken);
    await expectError(replay, 400, 'challenge_invalid');
    assert.equal((await redemptions(lotus())).filter((r) => r.reference === challengeId).length, 1);
    assert.equal((await attemptsOf(s.intent.id)).length, 1);
  });

  test('two partial refunds: one revocation; the card gets back net/gross of each refund, the whole net in all', async () => {
    const s = await shopper(25_000, 'CNY');
    assert.equal((await (await payWith(s, (await terms(s, 'lotus-tea-20')).quoteId)).json()).status, 'succeeded');
    const refunds = [];
    for (const amount of [10_000, 15_000]) {
      const res = await merchant('POST', `/v1/payment_intents/${s.intent.id}/refunds`, { amount });
      assert.equal(res.status, 201, await res.clone().text());
      const refund = await res.json();
      assert.equal(refund.status, 'succeeded');
      assert.equal(refund.amount, amount, "the merchant's refund is in its own (gross) amounts");
      refunds.push(refund);
    }
    await wallet.server.runWorkersNow();
    const atBank = [];
    for (const refund of refunds) atBank.push(...(await ledger(lotus(), 'refunds', refund.id)));
    // 23000 × 10000 / 25000 = 9200; the rest of the net, 13800.
    assert.deepEqual(atBank.map((r) => [r.amount, r.currency]), [[9_200, 'CNY'], [13_800, 'CNY']]);
    const [attempt] = await attemptsOf(s.intent.id);
    assert.ok(attempt.offer_revoked_at, 'the revocation is recorded on the attempt');
    const [redemption] = (await redemptions(lotus())).filter((r) => r.redemptionId === attempt.offer_redemption_id);
    assert.equal(redemption.revocations, 1);
    assert.equal(redemption.status, 'revoked');
    assert.equal((await receiptOf(s)).offer?.status, 'revoked');
  });
});

describe('cashback on the receipt', () => {
  test('sandbox-cashback-5: expected (creditedAt null), then credited once the bank says so — stored', async () => {
    const s = await shopper(2_000, 'USD', '4242424242424242');
    const t = await terms(s, 'sandbox-cashback-5');
    assert.deepEqual(t.offer?.effect, { charged: 2_000, dueNow: 2_000, comesBackLater: 100, planFees: 0 });
    assert.equal(t.debit.amount, 2_000);
    assert.equal((await (await payWith(s, t.quoteId)).json()).status, 'succeeded');
    const first = await receiptOf(s);
    assert.equal(first.offer?.kind, 'cashback');
    assert.equal(first.offer?.cashback?.amount, 100);
    assert.ok(first.offer?.cashback?.expectedBy, 'cashback has an expected-by date');
    assert.equal(first.offer?.cashback?.creditedAt, null);
    await new Promise((resolve) => setTimeout(resolve, CASHBACK_DELAY_MS + 300));
    const later = await receiptOf(s);
    assert.ok(later.offer?.cashback?.creditedAt && Number.isFinite(Date.parse(later.offer.cashback.creditedAt)), JSON.stringify(later.offer));
    const [row] = await wallet.query<{ at: string | null }>('SELECT offer_cashback_credited_at AS at FROM payment_attempts WHERE intent_id = ?', [s.intent.id]);
    assert.equal(row.at, later.offer.cashback.creditedAt);
  });
});

describe("an offer's own end", () => {
  test('a catalogue offer ending in 5 minutes: endsAt in the offers and in the terms applying it, which hold no longer (not 10 minutes)', async () => {
    // The bank's clock is the real one, the wallet's may have been moved on: 5 minutes after the later of the two.
    const endsAt = new Date(Math.max(Date.now(), wallet.clock.now().getTime()) + 5 * 60_000);
    endsAt.setUTCMilliseconds(0);
    await admin(lotus(), 'POST', '/sandbox/offers/catalog', { offers: [{ ...lotusBankOffers[0], endsAt: endsAt.toISOString() }] });
    const s = await shopper(25_000, 'CNY');
    const res = await wallet.request('POST', '/api/frame/offers', { client_secret: s.intent.client_secret, card_ids: [s.card.id] }, bearer(s.session.sessionToken));
    assert.equal(res.status, 200, await res.clone().text());
    const [offer] = (await res.json()).cards[0].offers;
    assert.deepEqual([offer?.offerId, offer?.endsAt], ['lotus-tea-20', endsAt.toISOString()], 'the offer view carries the bank\'s end');
    const t = await terms(s, 'lotus-tea-20');
    assert.equal(t.offer?.endsAt, endsAt.toISOString(), "the terms' applied offer carries the fresh bank quote's end");
    assert.ok(Date.parse(t.expiresAt) <= endsAt.getTime(), `expected terms holding no longer than the offer, received ${t.expiresAt}`);
  });
});

describe('a merchant-funded offer', () => {
  test('reaches the merchant as { id, discount } and nothing else, in the intent and its webhook', async () => {
    await admin(lotus(), 'POST', '/sandbox/offers/catalog', {
      offers: [
        {
          id: 'shop-tea-10',
          version: 1,
          rule: { type: 'fixed_discount', currency: 'CNY', minAmount: 10_000, discount: 1_000 },
          match: {},
          personalized: false,
          fundedBy: 'merchant',
          refundPolicy: 'revoke_on_full_refund',
          title: { en: '¥10 off, from Demo Shop', 'zh-CN': '满¥100减¥10' },
          terms: { en: 'Demo Shop takes ¥10 off a payment of ¥100 or more.', 'zh-CN': '满¥100减¥10，由商户出资。' },
          budget: 10,
        },
      ],
    });
    const s = await shopper(25_000, 'CNY');
    const t = await terms(s, 'shop-tea-10');
    assert.equal(t.debit.amount, 24_000);
    assert.equal((await (await payWith(s, t.quoteId)).json()).status, 'succeeded');
    const intent = await getIntent(wallet, s.intent.id);
    assert.deepEqual(intent.offer, { id: 'shop-tea-10', discount: 1_000 });
    assert.equal(intent.amount, 25_000);
    const hook = await webhookObject(s.intent.id, 'payment_intent.succeeded');
    assert.deepEqual(hook.offer, { id: 'shop-tea-10', discount: 1_000 });
  });
});

describe('housekeeping', () => {
  test('deletes an expired quote nobody paid with (its offer with it) and keeps a paid one', async () => {
    const unpaid = await shopper(25_000, 'CNY');
    const unpaidTerms = await terms(unpaid, 'lotus-tea-20');
    const paid = await shopper(25_000, 'CNY');
    const paidTerms = await terms(paid, 'lotus-tea-20');
    assert.equal((await (await payWith(paid, paidTerms.quoteId)).json()).status, 'succeeded');

    await wallet.server.runWorkersNow();
    const count = async (id: string) => Number((await wallet.query<{ n: number }>('SELECT count(*) AS n FROM payment_quotes WHERE id = ?', [id]))[0].n);
    assert.equal(await count(unpaidTerms.quoteId), 1, 'not expired yet: kept');

    wallet.clock.advance(11 * 60_000);
    await wallet.server.runWorkersNow();
    assert.equal(await count(unpaidTerms.quoteId), 0, 'expired and unpaid: deleted');
    assert.equal(await count(paidTerms.quoteId), 1, 'paid with: kept');
    assert.equal((await receiptOf(paid)).offer?.offerId, 'lotus-tea-20');
  });
});
