/**
 * Bank offers in the frame API over real HTTP: the wallet server (real SQLite, or PostgreSQL), the sandbox bank and
 * Lotus Bank each in its own process. `POST /api/frame/offers` asks each bank with only its own card tokens, within
 * 800 ms, under the card owner's switches, and stores and logs nothing; `GET/PUT /api/frame/offer-settings` record
 * the consent at the banks before personalised offers are asked for. What the banks received is read from their own
 * log (`GET /sandbox/offers/log`, admin key).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { OfferSettings, OffersResponse, SavedCard } from '../../widget/shopper-api.ts';
import { addCard, bearer, createIntent, expectError, registerShopper } from '../support/frame-client.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { startTestBank, type TestBank } from '../support/test-bank.ts';
import { MERCHANT_ORIGIN, startTestWallet, TEST_ENGINE, type TestWallet } from '../support/wallet-harness.ts';

const LOTUS_CARD = '5555555555554444';
const SANDBOX_CARD = '4242424242424242';

interface OfferLog {
  requests: Array<{ cardTokens: string[]; personalization: string; merchant: Record<string, string>; amount: number; currency: string; locale: string }>;
  consents: Array<{ cardTokens: string[]; personalization: string }>;
}
interface AdminBank {
  url: string;
  adminKey: string;
}

let bank: TestBank;
let wallet: TestWallet;

before(async () => {
  bank = await startTestBank();
  wallet = await startTestWallet({ bank: bank.config, lotus: true });
});
after(async () => {
  await wallet?.close();
  await bank?.close();
});

const lotusBank = (): AdminBank => wallet.lotus!;

async function admin(target: AdminBank, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(new URL(path, target.url), {
    method,
    headers: { authorization: `Bearer ${target.adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}
const offerLog = (target: AdminBank) => admin(target, 'GET', '/sandbox/offers/log') as Promise<OfferLog>;

/** What a bank received after `mark` (the log's length before). */
async function marks() {
  const [sandbox, lotus] = await Promise.all([offerLog(bank), offerLog(lotusBank())]);
  return { sandbox: sandbox.requests.length, lotus: lotus.requests.length, sandboxConsents: sandbox.consents.length, lotusConsents: lotus.consents.length };
}
async function since(mark: Awaited<ReturnType<typeof marks>>) {
  const [sandbox, lotus] = await Promise.all([offerLog(bank), offerLog(lotusBank())]);
  return {
    sandbox: sandbox.requests.slice(mark.sandbox),
    lotus: lotus.requests.slice(mark.lotus),
    sandboxConsents: sandbox.consents.slice(mark.sandboxConsents),
    lotusConsents: lotus.consents.slice(mark.lotusConsents),
  };
}

/** A signed-in shopper with a sandbox (USD-any) card and a Lotus Bank (CNY) card. */
async function shopperWithTwoCards() {
  const authenticator = new SoftwareAuthenticator();
  const intent = await createIntent(wallet, 1999, 'USD');
  const session = await registerShopper(wallet, authenticator, intent.client_secret, `offers${Math.random()}@example.com`);
  const sandbox = await addCard(wallet, session.sessionToken, SANDBOX_CARD);
  const lotus = await addCard(wallet, session.sessionToken, LOTUS_CARD);
  assert.equal(sandbox.bank, 'sandbox');
  assert.equal(lotus.bank, 'lotus');
  return { session: session.sessionToken, sandbox, lotus };
}

function requestOffers(clientSecret: string, cards: SavedCard[], session?: string, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}) {
  return wallet.request('POST', '/api/frame/offers', { client_secret: clientSecret, card_ids: cards.map((card) => card.id), ...extra }, { ...bearer(session), ...headers });
}
async function offersFor(clientSecret: string, cards: SavedCard[], session?: string, headers: Record<string, string> = {}): Promise<OffersResponse> {
  const res = await requestOffers(clientSecret, cards, session, headers);
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}
const cardOf = (body: OffersResponse, card: SavedCard) => body.cards.find((entry) => entry.cardId === card.id)!;

async function putSettings(session: string, settings: OfferSettings): Promise<Response> {
  return wallet.request('PUT', '/api/frame/offer-settings', settings, bearer(session));
}

describe('POST /api/frame/offers', () => {
  test('each bank receives only its own card tokens; a Lotus card on ¥250 gets ¥20 off (charged 23000), costs per option', async () => {
    const { session, sandbox, lotus } = await shopperWithTwoCards();
    const intent = await createIntent(wallet, 25_000, 'CNY');
    const mark = await marks();
    const body = await offersFor(intent.client_secret, [lotus, sandbox], session);

    const received = await since(mark);
    const merchant = { id: 'mer_demo', name: 'Demo Shop', mcc: '5499', origin: MERCHANT_ORIGIN, country: 'US' };
    assert.deepEqual(
      received.lotus.map(({ cardTokens, personalization, merchant: m, amount, currency, locale }) => ({ cardTokens, personalization, merchant: m, amount, currency, locale })),
      [{ cardTokens: [lotus.bankToken], personalization: 'none', merchant, amount: 25_000, currency: 'CNY', locale: 'en' }],
    );
    assert.deepEqual(received.sandbox.map((r) => r.cardTokens), [[sandbox.bankToken]]);

    assert.deepEqual(body.cards.map((card) => card.cardId), [lotus.id, sandbox.id], 'in the order asked');
    assert.deepEqual(body.settings, { general: true, personalized: false });
    const lotusOffers = cardOf(body, lotus);
    assert.equal(lotusOffers.answered, true);
    assert.equal(lotusOffers.crossCurrency, false);
    assert.deepEqual(
      lotusOffers.offers.map(({ offerId, version, cardId, bank: b, kind, personalized, fundedBy, title, value, effect, refundPolicy }) => ({ offerId, version, cardId, bank: b, kind, personalized, fundedBy, title, value, effect, refundPolicy })),
      [
        {
          offerId: 'lotus-tea-20',
          version: 1,
          cardId: lotus.id,
          bank: 'lotus',
          kind: 'instant_discount',
          personalized: false,
          fundedBy: 'bank',
          title: '¥20 off ¥200 or more',
          value: { kind: 'instant_discount', discount: 2_000 },
          effect: { charged: 23_000, dueNow: 23_000, comesBackLater: 0, planFees: 0 },
          refundPolicy: 'revoke_on_any_refund',
        },
      ],
    );
    assert.ok(Date.parse(lotusOffers.offers[0].expiresAt) > wallet.clock.now().getTime());
    assert.equal(lotusOffers.offers[0].endsAt, null, "the demo offer announces no end: its quote's expiresAt is not one");
    assert.deepEqual(lotusOffers.costs, [
      { offerId: null, charged: 25_000, dueNow: 25_000, fee: 0, comesBackLater: 0, net: 25_000, estimate: false },
      { offerId: 'lotus-tea-20', charged: 23_000, dueNow: 23_000, fee: 0, comesBackLater: 0, net: 23_000, estimate: false },
    ]);
    // The sandbox bank has no CNY offer: it answered, with none; paying in full is still costed.
    const sandboxOffers = cardOf(body, sandbox);
    assert.deepEqual({ answered: sandboxOffers.answered, offers: sandboxOffers.offers }, { answered: true, offers: [] });
    assert.deepEqual(sandboxOffers.costs.map((cost) => [cost.offerId, cost.net]), [[null, 25_000]]);
  });

  test('instalments: ¥1,000 on a Lotus card offers 3 interest-free instalments beside the discount; costed, the first instalment due now', async () => {
    const { session, lotus } = await shopperWithTwoCards();
    const intent = await createIntent(wallet, 100_000, 'CNY');
    const body = await offersFor(intent.client_secret, [lotus], session);
    const card = cardOf(body, lotus);
    const plan = card.offers.find((offer) => offer.offerId === 'lotus-3x');
    assert.ok(plan, JSON.stringify(card.offers));
    assert.deepEqual(plan.value, { kind: 'instalments', count: 3, firstInstalment: 33_334, perInstalment: 33_333, totalFees: 0, aprBasisPoints: 0 });
    assert.deepEqual(card.costs.find((cost) => cost.offerId === 'lotus-3x'), {
      offerId: 'lotus-3x', charged: 100_000, dueNow: 33_334, fee: 0, comesBackLater: 0, net: 100_000, estimate: false,
    });
    assert.deepEqual(card.costs.map((cost) => cost.offerId), [null, ...card.offers.map((offer) => offer.offerId)], 'in full first, then one per offer');
  });

  test('the sandbox card on USD gets 5 % cashback (an estimate); the Lotus CNY card pays USD with its 1.5 % foreign fee; titles in Chinese with Accept-Language zh-CN', async () => {
    const { session, sandbox, lotus } = await shopperWithTwoCards();
    const intent = await createIntent(wallet, 1999, 'USD');
    const mark = await marks();
    const res = await requestOffers(intent.client_secret, [sandbox, lotus], session, { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get('content-language'), 'zh-CN');
    const body = (await res.json()) as OffersResponse;
    const received = await since(mark);
    assert.deepEqual(received.sandbox.map((r) => r.locale), ['zh-CN']);

    const cashback = cardOf(body, sandbox);
    assert.deepEqual(cashback.offers.map((offer) => [offer.offerId, offer.kind, offer.title]), [['sandbox-cashback-5', 'cashback', '5% 返现，最高 $10']]);
    // 5 % of 19.99 = 0.9995, rounded down by the bank to 0.99.
    const back = 99;
    assert.deepEqual(cashback.offers[0].value, { kind: 'cashback', cashback: back, expectedBy: cashback.offers[0].value.kind === 'cashback' ? cashback.offers[0].value.expectedBy : '' });
    assert.deepEqual(cashback.offers[0].effect, { charged: 1999, dueNow: 1999, comesBackLater: back, planFees: 0 });
    assert.deepEqual(cashback.costs, [
      { offerId: null, charged: 1999, dueNow: 1999, fee: 0, comesBackLater: 0, net: 1999, estimate: false },
      { offerId: 'sandbox-cashback-5', charged: 1999, dueNow: 1999, fee: 0, comesBackLater: back, net: 1999 - back, estimate: true },
    ]);

    const foreign = cardOf(body, lotus);
    assert.equal(foreign.crossCurrency, true);
    assert.deepEqual(foreign.offers, [], 'Lotus offers are for CNY payments');
    // 1.5 % of 19.99 USD = 29.985 → 30 cents, on what is charged.
    assert.deepEqual(foreign.costs, [{ offerId: null, charged: 1999, dueNow: 1999, fee: 30, comesBackLater: 0, net: 2029, estimate: false }]);
  });

  test('a slow bank (3000 ms) has no offers for this payment (answered false); the answer comes in under 1.5 s with the other bank\'s offers', async () => {
    const { session, sandbox, lotus } = await shopperWithTwoCards();
    const intent = await createIntent(wallet, 1999, 'USD');
    await offersFor(intent.client_secret, [sandbox, lotus], session); // fee schedules known: only the offers are timed
    await admin(bank, 'POST', '/sandbox/offers/controls', { mode: 'slow', delayMs: 3_000 });
    try {
      const started = performance.now();
      const body = await offersFor(intent.client_secret, [lotus, sandbox], session);
      const elapsed = performance.now() - started;
      assert.ok(elapsed < 1_500, `answered after ${Math.round(elapsed)} ms`);
      assert.ok(elapsed >= 750, `waited the deadline for the slow bank (${Math.round(elapsed)} ms)`);
      assert.deepEqual({ answered: cardOf(body, sandbox).answered, offers: cardOf(body, sandbox).offers }, { answered: false, offers: [] });
      assert.deepEqual(cardOf(body, sandbox).costs.map((cost) => cost.offerId), [null], 'paying in full is still costed');
      assert.equal(cardOf(body, lotus).answered, true);
    } finally {
      await admin(bank, 'POST', '/sandbox/offers/controls', { mode: 'none' });
    }
    // Lotus too, on its CNY offer: the sandbox card is unaffected.
    const cny = await createIntent(wallet, 25_000, 'CNY');
    await admin(lotusBank(), 'POST', '/sandbox/offers/controls', { mode: 'slow', delayMs: 3_000 });
    try {
      const started = performance.now();
      const body = await offersFor(cny.client_secret, [lotus, sandbox], session);
      assert.ok(performance.now() - started < 1_500);
      assert.deepEqual({ answered: cardOf(body, lotus).answered, offers: cardOf(body, lotus).offers }, { answered: false, offers: [] });
      assert.equal(cardOf(body, sandbox).answered, true);
    } finally {
      await admin(lotusBank(), 'POST', '/sandbox/offers/controls', { mode: 'none' });
    }
  });

  test('nothing about offers is stored (no quote, no row anywhere) or logged', async () => {
    const { session, sandbox, lotus } = await shopperWithTwoCards();
    const intent = await createIntent(wallet, 25_000, 'CNY');
    const logsBefore = wallet.logs.length;
    const dumpBefore = await databaseText();
    const body = await offersFor(intent.client_secret, [lotus, sandbox], session);
    assert.equal(cardOf(body, lotus).offers[0]?.offerId, 'lotus-tea-20');
    const quotes = await wallet.query<{ n: number }>('SELECT count(*) AS n FROM payment_quotes WHERE intent_id = ?', [intent.id]);
    assert.equal(Number(quotes[0].n), 0);
    const dumpAfter = await databaseText();
    for (const needle of ['lotus-tea-20', '¥20 off', cardOf(body, lotus).offers[0].terms.slice(0, 30)]) {
      assert.ok(!dumpAfter.includes(needle), `the database holds no "${needle}"`);
    }
    assert.ok(!dumpBefore.includes('lotus-tea-20'));
    const logged = wallet.logs.slice(logsBefore).join('\n');
    for (const needle of ['lotus-tea-20', '¥20', 'cashback', lotus.bankToken]) assert.ok(!logged.includes(needle), `no "${needle}" in the logs: ${logged}`);
  });

  test("another shopper's card is 404; cards of two shoppers without a session are 404; a foreign top origin is 403", async () => {
    const a = await shopperWithTwoCards();
    const b = await shopperWithTwoCards();
    const intent = await createIntent(wallet, 1999, 'USD');
    const mark = await marks();
    await expectError(await requestOffers(intent.client_secret, [a.sandbox, b.sandbox], a.session), 404, 'resource_missing');
    await expectError(await requestOffers(intent.client_secret, [b.lotus], a.session), 404, 'resource_missing');
    await expectError(await requestOffers(intent.client_secret, [a.sandbox, b.lotus]), 404, 'resource_missing');
    await expectError(await requestOffers(intent.client_secret, [a.sandbox], a.session, {}, { top_origin: 'https://evil.example' }), 403, 'origin_not_allowed');
    const after = await since(mark);
    assert.deepEqual([after.sandbox.length, after.lotus.length], [0, 0], 'no bank was asked');
    // Without a session, one shopper's cards answer (the client secret and the card ids, as for a quote).
    const body = await offersFor(intent.client_secret, [a.sandbox, a.lotus]);
    assert.equal(body.cards.length, 2);
    const reported = await requestOffers(intent.client_secret, [a.sandbox], a.session, {}, { top_origin: MERCHANT_ORIGIN });
    assert.equal(reported.status, 200, await reported.clone().text());
  });

  test('bad bodies: 422 invalid_request naming the field', async () => {
    const { session, sandbox } = await shopperWithTwoCards();
    const intent = await createIntent(wallet, 1999, 'USD');
    const send = (body: unknown) => wallet.request('POST', '/api/frame/offers', body, bearer(session));
    const cases: [body: Record<string, unknown>, names: string][] = [
      [{ client_secret: intent.client_secret }, 'card_ids'],
      [{ client_secret: intent.client_secret, card_ids: [] }, 'card_ids'],
      [{ client_secret: intent.client_secret, card_ids: Array.from({ length: 21 }, (_, i) => `card_${i}`) }, 'card_ids'],
      [{ client_secret: intent.client_secret, card_ids: [sandbox.id, sandbox.id] }, 'each card id once'],
      [{ client_secret: intent.client_secret, card_ids: [sandbox.id], locale: 'en' }, 'locale'],
      [{ client_secret: intent.client_secret, card_ids: 'card' }, 'card_ids'],
      [{ client_secret: intent.client_secret, card_ids: [sandbox.id], top_origin: 7 }, 'top_origin'],
    ];
    for (const [body, names] of cases) {
      const res = await send(body);
      const text = await res.text();
      assert.equal(res.status, 422, `${JSON.stringify(body)} → ${text}`);
      const { error } = JSON.parse(text);
      assert.equal(error.code, 'invalid_request');
      assert.ok(error.message.includes(names), `${JSON.stringify(body)}: the message names ${names}: ${error.message}`);
    }
    await expectError(await send({ client_secret: 'pi_nope_secret_x', card_ids: [sandbox.id] }), 401, 'invalid_client_secret');
  });
});

describe('the offer switches', () => {
  test('personalisation off by default (none sent, no personalised offer); on: consent at each bank first, bank_profile sent, sandbox-tea-lovers at MCC 5499; general off: only personalised; both off: no bank asked', async () => {
    const { session, sandbox, lotus } = await shopperWithTwoCards();
    const intent = await createIntent(wallet, 1999, 'USD');
    const get = async () => {
      const res = await wallet.request('GET', '/api/frame/offer-settings', undefined, bearer(session));
      assert.equal(res.status, 200, await res.clone().text());
      return res.json() as Promise<OfferSettings>;
    };
    assert.deepEqual(await get(), { general: true, personalized: false });

    let mark = await marks();
    let body = await offersFor(intent.client_secret, [sandbox, lotus], session);
    let received = await since(mark);
    assert.deepEqual(received.sandbox.map((r) => r.personalization), ['none']);
    assert.deepEqual(cardOf(body, sandbox).offers.map((offer) => offer.offerId), ['sandbox-cashback-5']);

    mark = await marks();
    const on = await putSettings(session, { general: true, personalized: true });
    assert.equal(on.status, 200, await on.clone().text());
    assert.deepEqual(await on.json(), { general: true, personalized: true });
    received = await since(mark);
    assert.deepEqual(received.sandboxConsents.map((c) => [c.cardTokens, c.personalization]), [[[sandbox.bankToken], 'bank_profile']]);
    assert.deepEqual(received.lotusConsents.map((c) => [c.cardTokens, c.personalization]), [[[lotus.bankToken], 'bank_profile']]);
    const [row] = await wallet.query<{ offers_general: number; offers_personalized: number; offers_updated_at: string }>(
      'SELECT offers_general, offers_personalized, offers_updated_at FROM shoppers WHERE id = (SELECT shopper_id FROM cards WHERE id = ?)',
      [sandbox.id],
    );
    assert.deepEqual([Number(row.offers_general), Number(row.offers_personalized), row.offers_updated_at], [1, 1, wallet.clock.now().toISOString()]);

    mark = await marks();
    body = await offersFor(intent.client_secret, [sandbox, lotus], session);
    received = await since(mark);
    assert.deepEqual(received.sandbox.map((r) => r.personalization), ['bank_profile']);
    assert.deepEqual(body.settings, { general: true, personalized: true });
    const tea = cardOf(body, sandbox).offers.find((offer) => offer.offerId === 'sandbox-tea-lovers');
    assert.ok(tea, JSON.stringify(cardOf(body, sandbox).offers));
    assert.equal(tea.personalized, true);
    assert.deepEqual(tea.value, { kind: 'instant_discount', discount: 199 }, '10 % of $19.99, rounded down by the bank');
    assert.deepEqual(cardOf(body, sandbox).costs.find((cost) => cost.offerId === 'sandbox-tea-lovers'), {
      offerId: 'sandbox-tea-lovers', charged: 1800, dueNow: 1800, fee: 0, comesBackLater: 0, net: 1800, estimate: false,
    });

    // "Offers for everyone" off: only the personalised offer is shown.
    assert.equal((await putSettings(session, { general: false, personalized: true })).status, 200);
    body = await offersFor(intent.client_secret, [sandbox, lotus], session);
    assert.deepEqual(cardOf(body, sandbox).offers.map((offer) => offer.offerId), ['sandbox-tea-lovers']);

    // Both off: stored at once, each bank told `none`, and no bank is asked any more.
    mark = await marks();
    const off = await putSettings(session, { general: false, personalized: false });
    assert.equal(off.status, 200, await off.clone().text());
    assert.deepEqual(await off.json(), { general: false, personalized: false });
    received = await since(mark);
    assert.deepEqual(received.sandboxConsents.map((c) => [c.cardTokens, c.personalization]), [[[sandbox.bankToken], 'none']]);
    assert.deepEqual(received.lotusConsents.map((c) => [c.cardTokens, c.personalization]), [[[lotus.bankToken], 'none']]);
    assert.deepEqual(await get(), { general: false, personalized: false });
    mark = await marks();
    body = await offersFor(intent.client_secret, [sandbox, lotus], session);
    received = await since(mark);
    assert.deepEqual([received.sandbox.length, received.lotus.length], [0, 0], 'no request reached any bank');
    assert.deepEqual(body.cards.map((card) => [card.answered, card.offers.length]), [[false, 0], [false, 0]]);
    assert.deepEqual(body.settings, { general: false, personalized: false });
    assert.deepEqual(cardOf(body, sandbox).costs.map((cost) => cost.offerId), [null], 'the checkout is the same minus offers');

    // General back on, personalisation still off: `none` again, no personalised offer.
    assert.equal((await putSettings(session, { general: true, personalized: false })).status, 200);
    mark = await marks();
    body = await offersFor(intent.client_secret, [sandbox], session);
    received = await since(mark);
    assert.deepEqual(received.sandbox.map((r) => r.personalization), ['none']);
    assert.deepEqual(cardOf(body, sandbox).offers.map((offer) => offer.offerId), ['sandbox-cashback-5']);
  });

  test('a card saved after personalisation was turned on: its bank records the consent for that card too (saved cards only)', async () => {
    const { session, sandbox } = await shopperWithTwoCards();
    assert.equal((await putSettings(session, { general: true, personalized: true })).status, 200);
    const mark = await marks();
    const second = await addCard(wallet, session, '4000056655665556');
    await addCard(wallet, session, '4000000000000077', false);
    const received = await since(mark);
    assert.equal(second.bank, 'sandbox');
    assert.notEqual(second.bankToken, sandbox.bankToken);
    assert.deepEqual(received.sandboxConsents.map((c) => [c.cardTokens, c.personalization]), [[[second.bankToken], 'bank_profile']], 'one consent, for the saved card only');
    assert.deepEqual(received.lotusConsents, [], 'no other bank hears of it');
  });

  test('a session is required; bad bodies are 422', async () => {
    const { session } = await shopperWithTwoCards();
    await expectError(await wallet.request('GET', '/api/frame/offer-settings'), 401, 'authentication_required');
    await expectError(await wallet.request('PUT', '/api/frame/offer-settings', { general: true, personalized: false }), 401, 'authentication_required');
    for (const body of [{ general: true }, { general: 'yes', personalized: false }, { general: true, personalized: false, extra: 1 }]) {
      await expectError(await wallet.request('PUT', '/api/frame/offer-settings', body, bearer(session)), 422, 'invalid_request');
    }
    const res = await wallet.request('GET', '/api/frame/offer-settings', undefined, bearer(session));
    assert.deepEqual(await res.json(), { general: true, personalized: false }, 'nothing was changed');
  });
});

describe('a bank that cannot record the consent', () => {
  test('turning personalisation off works with the bank down (stored, logged by bank id); turning it on → 502 bank_unavailable and nothing stored', async () => {
    const own = await startTestBank();
    const ownWallet = await startTestWallet({ bank: own.config });
    try {
      const authenticator = new SoftwareAuthenticator();
      const intent = await createIntent(ownWallet, 1999, 'USD');
      const session = (await registerShopper(ownWallet, authenticator, intent.client_secret, `down${Math.random()}@example.com`)).sessionToken;
      await addCard(ownWallet, session, SANDBOX_CARD);
      const put = (settings: OfferSettings) => ownWallet.request('PUT', '/api/frame/offer-settings', settings, bearer(session));
      const stored = async () => {
        const [row] = await ownWallet.query<{ offers_general: number; offers_personalized: number }>('SELECT offers_general, offers_personalized FROM shoppers');
        return [Number(row.offers_general), Number(row.offers_personalized)];
      };
      assert.equal((await put({ general: true, personalized: true })).status, 200);
      assert.deepEqual(await stored(), [1, 1]);
      await own.stop();

      const logsBefore = ownWallet.logs.length;
      const off = await put({ general: true, personalized: false });
      assert.equal(off.status, 200, await off.clone().text());
      assert.deepEqual(await off.json(), { general: true, personalized: false });
      assert.deepEqual(await stored(), [1, 0], 'off is stored even though the bank cannot be told');
      const logged = ownWallet.logs.slice(logsBefore);
      assert.ok(logged.some((line) => line.includes('"offer_consent_not_recorded"') && line.includes('"bank":"sandbox"')), logged.join('\n'));

      await expectError(await put({ general: false, personalized: true }), 502, 'bank_unavailable');
      assert.deepEqual(await stored(), [1, 0], 'nothing stored');
    } finally {
      await ownWallet.close();
      await own.close();
    }
  });
});

/** Every row of every table of the wallet's database as text. */
async function databaseText(): Promise<string> {
  const tables =
    TEST_ENGINE === 'postgres'
      ? (await wallet.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'")).map((t) => t.name)
      : (await wallet.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")).map((t) => t.name);
  const parts = [];
  for (const table of tables) parts.push(JSON.stringify(await wallet.query(`SELECT * FROM "${table}"`)));
  return parts.join('\n');
}
