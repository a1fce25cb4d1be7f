/**
 * Rate limits against card testing (issue 5 #3): registration, sign-in, payment terms (quotes), payment challenges,
 * confirmations and card adds are counted by IP address, by intent and by shopper, in the database. Over a limit the answer is
 * `429 rate_limited` with `Retry-After`, and nothing else happened: no challenge, account, card or bank call.
 * Clients come from distinct loopback addresses (127.x.y.z), so each test has buckets of its own.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createBankRegistry } from '../../server/adapters/registry.ts';
import { createSandboxBankAdapter } from '../../server/adapters/sandbox-bank.ts';
import { readEnvConfig } from '../../server/config/read-env-config.ts';
import { MAX_OPEN_CHALLENGES } from '../../server/webauthn/challenges.ts';
import type { ConfirmOptionsResponse, QuoteResponse, SessionResponse, SignInOptionsResponse } from '../../widget/shopper-api.ts';
import {
  addCard,
  bearer,
  createIntent,
  expectError,
  fromAddress,
  getIntent,
  inFrame,
  quoteTerms,
  registerShopper,
  requestConfirmationOptions,
  requestQuote,
  sendConfirmation,
} from '../support/frame-client.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { startTestBank, type TestBank } from '../support/test-bank.ts';
import { startTestWallet, type TestWallet, type TestWalletOptions } from '../support/wallet-harness.ts';

const MINUTE = 60_000;
const LOW_LIMITS: TestWalletOptions['rateLimits'] = {
  'registration.ip': { limit: 10, windowMs: 10 * MINUTE },
  'registration.intent': { limit: 3, windowMs: 10 * MINUTE },
  'sign_in.ip': { limit: 10, windowMs: 10 * MINUTE },
  'sign_in.intent': { limit: 3, windowMs: 10 * MINUTE },
  'quote.ip': { limit: 10, windowMs: MINUTE },
  'quote.intent': { limit: 3, windowMs: 10 * MINUTE },
  'quote.shopper': { limit: 4, windowMs: 10 * MINUTE },
  'confirmation_options.ip': { limit: 10, windowMs: MINUTE },
  'confirmation_options.intent': { limit: 3, windowMs: 10 * MINUTE },
  'confirmation_options.shopper': { limit: 4, windowMs: 10 * MINUTE },
  'confirmation.ip': { limit: 10, windowMs: MINUTE },
  'confirmation.intent': { limit: 3, windowMs: 10 * MINUTE },
  'confirmation.shopper': { limit: 4, windowMs: 10 * MINUTE },
  'card_add.ip': { limit: 10, windowMs: 60 * MINUTE },
  'card_add.shopper': { limit: 3, windowMs: 60 * MINUTE },
  'card_remove.ip': { limit: 10, windowMs: 10 * MINUTE },
  'card_remove.shopper': { limit: 3, windowMs: 10 * MINUTE },
  'payment_history.ip': { limit: 10, windowMs: MINUTE },
  'payment_history.shopper': { limit: 4, windowMs: MINUTE },
};

let bank: TestBank;
let wallet: TestWallet;
/** Calls the wallet made to the bank, by kind. */
const bankCalls = { tokenizeCard: 0, charge: 0, releaseToken: 0 };

before(async () => {
  bank = await startTestBank();
  const real = createSandboxBankAdapter(bank.config);
  const counted = {
    ...real,
    tokenizeCard: (...args: Parameters<typeof real.tokenizeCard>) => (bankCalls.tokenizeCard++, real.tokenizeCard(...args)),
    charge: (...args: Parameters<typeof real.charge>) => (bankCalls.charge++, real.charge(...args)),
    releaseToken: (...args: Parameters<typeof real.releaseToken>) => (bankCalls.releaseToken++, real.releaseToken(...args)),
  };
  wallet = await startTestWallet({ banks: createBankRegistry([counted]), rateLimits: LOW_LIMITS });
});
after(async () => {
  await wallet?.close();
  await bank?.close();
});

let lastAddress = 1;
/** A loopback address no other test uses. */
const newAddress = () => `127.0.${Math.floor(++lastAddress / 250) + 1}.${(lastAddress % 250) + 1}`;
/** A client at an address of its own. */
const newClient = () => fromAddress(wallet, newAddress());

let emailCounter = 0;
const newEmail = () => `limited${++emailCounter}@example.com`;

const count = async (sql: string, ...params: unknown[]) => Number((await wallet.query<{ n: number }>(sql, params))[0].n);
const challengesOf = (intentId: string) => count('SELECT count(*) AS n FROM webauthn_challenges WHERE intent_id = ?', intentId);
const quotesOf = (intentId: string) => count('SELECT count(*) AS n FROM payment_quotes WHERE intent_id = ?', intentId);
const challengeIdsOf = async (intentId: string) =>
  (await wallet.query<{ id: string }>('SELECT id FROM webauthn_challenges WHERE intent_id = ?', [intentId])).map((r) => r.id);
/** The intent's challenges that were not among `before` (taken after its terms, which come with one of their own). */
const challengesSince = async (intentId: string, before: string[]) => (await challengeIdsOf(intentId)).filter((id) => !before.includes(id)).length;

/** The card's terms for the intent, asked from an address of its own and without a session (so no test budget is spent). */
const quoteIdFor = async (clientSecret: string, cardId: string) => (await quoteTerms(newClient(), clientSecret, cardId)).quoteId;

/** Expects `429 rate_limited` with a whole number of seconds in `Retry-After`; returns them. */
async function expectRateLimited(res: Response): Promise<number> {
  const retryAfter = res.headers.get('retry-after');
  await expectError(res, 429, 'rate_limited');
  assert.match(retryAfter ?? '', /^[1-9]\d*$/, `Retry-After: expected whole seconds, received ${retryAfter}`);
  return Number(retryAfter);
}

/** Sends `limit` requests that must not be refused by a limit, then one that must; returns its Retry-After. */
async function exhaust(limit: number, send: (i: number) => Promise<Response>): Promise<number> {
  for (let i = 0; i < limit; i++) {
    const res = await send(i);
    const text = await res.text();
    assert.notEqual(res.status, 429, `request ${i + 1} of ${limit} was refused: ${text}`);
  }
  return expectRateLimited(await send(limit));
}

/** A registered shopper (registered from an address of its own) with one saved card. */
async function shopperWithCard(): Promise<{ authenticator: SoftwareAuthenticator; session: SessionResponse; cardId: string }> {
  const client = newClient();
  const authenticator = new SoftwareAuthenticator();
  const intent = await createIntent(client);
  const session = await registerShopper(client, authenticator, intent.client_secret, newEmail());
  const card = await addCard(client, session.sessionToken);
  return { authenticator, session, cardId: card.id };
}

/** Well-formed passkey responses that no challenge matches (what a stale or forged request carries). */
const STALE_ASSERTION = { id: 'AAAA', rawId: 'AAAA', type: 'public-key', response: { clientDataJSON: 'e30', authenticatorData: 'AAAA', signature: 'AAAA' } };
const STALE_ATTESTATION = { id: 'AAAA', rawId: 'AAAA', type: 'public-key', response: { clientDataJSON: 'e30', attestationObject: 'AAAA' } };

const post = (client: TestWallet, path: string, body: unknown, headers: Record<string, string> = {}) =>
  client.request('POST', `/api/frame${path}`, body, headers);

describe('registration (options and verify)', () => {
  test('per intent: the 4th start is 429 with no challenge written; so is the verify; a fresh address does not help; another intent is unaffected', async () => {
    const client = newClient();
    const intent = await createIntent(wallet);
    await exhaust(3, () => post(client, '/registrations/options', { client_secret: intent.client_secret, email: newEmail() }));
    assert.equal(await challengesOf(intent.id), 3);
    const shoppers = await count('SELECT count(*) AS n FROM shoppers');
    await expectRateLimited(await post(client, '/registrations', { client_secret: intent.client_secret, challenge_id: 'chl_x', response: STALE_ATTESTATION }));
    assert.equal(await count('SELECT count(*) AS n FROM shoppers'), shoppers);
    await expectRateLimited(await post(newClient(), '/registrations/options', { client_secret: intent.client_secret, email: newEmail() }));
    assert.equal(await challengesOf(intent.id), 3);

    const other = await createIntent(wallet);
    const res = await post(client, '/registrations/options', { client_secret: other.client_secret, email: newEmail() });
    assert.equal(res.status, 200, await res.text());
  });

  test('per IP address: the 11th is 429 whatever the intent; another address is unaffected', async () => {
    const client = newClient();
    const intents = await Promise.all(Array.from({ length: 12 }, () => createIntent(wallet)));
    await exhaust(10, (i) => post(client, '/registrations/options', { client_secret: intents[i].client_secret, email: newEmail() }));
    assert.equal(await challengesOf(intents[10].id), 0);
    const res = await post(newClient(), '/registrations/options', { client_secret: intents[11].client_secret, email: newEmail() });
    assert.equal(res.status, 200, await res.text());
  });
});

describe('sign-in (options and verify)', () => {
  test('per intent: the 4th is 429 with no challenge written; another intent is unaffected', async () => {
    const client = newClient();
    const intent = await createIntent(wallet);
    await exhaust(3, () => post(client, '/sessions/options', { client_secret: intent.client_secret }));
    await expectRateLimited(await post(client, '/sessions', { client_secret: intent.client_secret, challenge_id: 'chl_x', response: STALE_ASSERTION }));
    assert.equal(await challengesOf(intent.id), 3);
    const other = await createIntent(wallet);
    assert.equal((await post(client, '/sessions/options', { client_secret: other.client_secret })).status, 200);
  });

  test('per IP address: the 11th is 429; another address is unaffected', async () => {
    const client = newClient();
    const intents = await Promise.all(Array.from({ length: 12 }, () => createIntent(wallet)));
    await exhaust(10, (i) => post(client, '/sessions/options', { client_secret: intents[i].client_secret }));
    assert.equal(await challengesOf(intents[10].id), 0);
    assert.equal((await post(newClient(), '/sessions/options', { client_secret: intents[11].client_secret })).status, 200);
  });
});

describe('payment challenges (confirmation options)', () => {
  test('per intent: the 4th is 429 with no challenge written; another intent is unaffected', async () => {
    const { cardId } = await shopperWithCard();
    const client = newClient();
    const intent = await createIntent(wallet);
    const quoteId = await quoteIdFor(intent.client_secret, cardId);
    const withTerms = await challengeIdsOf(intent.id);
    await exhaust(3, () => post(client, '/confirmations/options', { client_secret: intent.client_secret, card_id: cardId, quote_id: quoteId }));
    assert.equal(await challengesSince(intent.id, withTerms), 3);
    const other = await createIntent(wallet);
    const res = await post(client, '/confirmations/options', { client_secret: other.client_secret, card_id: cardId, quote_id: await quoteIdFor(other.client_secret, cardId) });
    assert.equal(res.status, 200, await res.text());
  });

  test('per shopper (signed in): the 5th is 429 on any intent; another shopper is unaffected', async () => {
    const { session, cardId } = await shopperWithCard();
    const client = newClient();
    const intents = await Promise.all(Array.from({ length: 5 }, () => createIntent(wallet)));
    const auth = bearer(session.sessionToken);
    const quoteIds = await Promise.all(intents.map((intent) => quoteIdFor(intent.client_secret, cardId)));
    const withTerms = await challengeIdsOf(intents[4].id);
    await exhaust(4, (i) => post(client, '/confirmations/options', { client_secret: intents[i].client_secret, card_id: cardId, quote_id: quoteIds[i] }, auth));
    assert.equal(await challengesSince(intents[4].id, withTerms), 0);

    const someoneElse = await shopperWithCard();
    const body = { client_secret: intents[4].client_secret, card_id: someoneElse.cardId, quote_id: await quoteIdFor(intents[4].client_secret, someoneElse.cardId) };
    const res = await post(client, '/confirmations/options', body, bearer(someoneElse.session.sessionToken));
    assert.equal(res.status, 200, await res.text());
  });

  test('per IP address: the 11th is 429; another address is unaffected', async () => {
    const { cardId } = await shopperWithCard();
    const client = newClient();
    const intents = await Promise.all(Array.from({ length: 12 }, () => createIntent(wallet)));
    const quoteIds = await Promise.all(intents.map((intent) => quoteIdFor(intent.client_secret, cardId)));
    const withTerms = await challengeIdsOf(intents[10].id);
    await exhaust(10, (i) => post(client, '/confirmations/options', { client_secret: intents[i].client_secret, card_id: cardId, quote_id: quoteIds[i] }));
    assert.equal(await challengesSince(intents[10].id, withTerms), 0);
    const res = await post(newClient(), '/confirmations/options', { client_secret: intents[11].client_secret, card_id: cardId, quote_id: quoteIds[11] });
    assert.equal(res.status, 200, await res.text());
  });
});

describe('payment terms (quotes)', () => {
  test('per intent: the 4th is 429 with no quote stored; a fresh address does not help; another intent is unaffected', async () => {
    const { cardId } = await shopperWithCard();
    const client = newClient();
    const intent = await createIntent(wallet);
    await exhaust(3, () => requestQuote(client, intent.client_secret, cardId));
    assert.equal(await quotesOf(intent.id), 3);
    await expectRateLimited(await requestQuote(newClient(), intent.client_secret, cardId));
    assert.equal(await quotesOf(intent.id), 3);
    const other = await createIntent(wallet);
    const res = await requestQuote(client, other.client_secret, cardId);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(((await res.json()) as QuoteResponse).terms.cardId, cardId);
  });

  test('per shopper (signed in): the 5th is 429 on any intent, with no quote stored; another shopper is unaffected', async () => {
    const { session, cardId } = await shopperWithCard();
    const client = newClient();
    const intents = await Promise.all(Array.from({ length: 5 }, () => createIntent(wallet)));
    await exhaust(4, (i) => requestQuote(client, intents[i].client_secret, cardId, session.sessionToken));
    assert.equal(await quotesOf(intents[4].id), 0);

    const someoneElse = await shopperWithCard();
    const res = await requestQuote(client, intents[4].client_secret, someoneElse.cardId, someoneElse.session.sessionToken);
    assert.equal(res.status, 200, await res.text());
  });

  test('per IP address: the 11th is 429 whatever the intent, refusals counted too; another address is unaffected', async () => {
    const { cardId } = await shopperWithCard();
    const client = newClient();
    const intents = await Promise.all(Array.from({ length: 12 }, () => createIntent(wallet)));
    // A card nobody has is refused (404) and still counts: guessing card ids costs budget like anything else.
    await expectError(await requestQuote(client, intents[0].client_secret, 'card_unknown'), 404, 'resource_missing');
    await exhaust(9, (i) => requestQuote(client, intents[i + 1].client_secret, cardId));
    assert.equal(await quotesOf(intents[10].id), 0);
    const res = await requestQuote(newClient(), intents[11].client_secret, cardId);
    assert.equal(res.status, 200, await res.text());
  });

  test('a quote that went through still binds the challenge after the quote budget is spent (the limits are separate)', async () => {
    const { cardId } = await shopperWithCard();
    const client = newClient();
    const intent = await createIntent(wallet);
    const quoteIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await requestQuote(client, intent.client_secret, cardId);
      assert.equal(res.status, 200, await res.clone().text());
      quoteIds.push(((await res.json()) as QuoteResponse).terms.quoteId);
    }
    await expectRateLimited(await requestQuote(client, intent.client_secret, cardId));
    const res = await requestConfirmationOptions(client, intent.client_secret, cardId, undefined, quoteIds[2]);
    assert.equal(res.status, 200, await res.text());
  });
});

describe('confirmation (paying)', () => {
  /** Options for a real payment, fetched from an address of its own; the assertion the shopper's device signs. */
  async function readyToPay(shopper: Awaited<ReturnType<typeof shopperWithCard>>, clientSecret: string) {
    const res = await requestConfirmationOptions(newClient(), clientSecret, shopper.cardId, shopper.session.sessionToken);
    assert.equal(res.status, 200, await res.clone().text());
    const { challengeId, options } = (await res.json()) as ConfirmOptionsResponse;
    return { challengeId, response: shopper.authenticator.getAssertion(options, inFrame(wallet)) };
  }

  /** The 429 did nothing: the intent still waits, the challenge is still usable, no attempt, no bank call. */
  async function assertNothingHappened(intent: { id: string }, challengeId: string, chargesBefore: number) {
    assert.equal((await getIntent(wallet, intent.id)).status, 'requires_confirmation');
    assert.deepEqual(await wallet.query('SELECT consumed_at FROM webauthn_challenges WHERE id = ?', [challengeId]), [{ consumed_at: null }]);
    assert.equal(await count('SELECT count(*) AS n FROM payment_attempts WHERE intent_id = ?', intent.id), 0);
    assert.equal(await count('SELECT failed_authentications AS n FROM payment_intents WHERE id = ?', intent.id), 0);
    assert.equal(bankCalls.charge, chargesBefore);
  }

  test('per intent: the 4th is 429 even with a valid passkey, and nothing is charged; the payment goes through once the window has passed', async () => {
    const shopper = await shopperWithCard();
    const client = newClient();
    const intent = await createIntent(wallet);
    // Three stale confirmations (challenge_invalid: no authentication counted, nothing locked).
    await exhaust(3, () => sendConfirmation(client, intent.client_secret, 'chl_stale', STALE_ASSERTION));
    const { challengeId, response } = await readyToPay(shopper, intent.client_secret);
    const charges = bankCalls.charge;
    const retryAfter = await expectRateLimited(await sendConfirmation(client, intent.client_secret, challengeId, response));
    await assertNothingHappened(intent, challengeId, charges);

    wallet.clock.advance(retryAfter * 1000);
    const again = await readyToPay(shopper, intent.client_secret);
    const paid = await sendConfirmation(client, intent.client_secret, again.challengeId, again.response);
    assert.equal(paid.status, 200, await paid.clone().text());
    assert.equal((await paid.json()).status, 'succeeded');
    assert.equal(bankCalls.charge, charges + 1);
  });

  test('per shopper (signed in): the 5th is 429 on any intent; another shopper is unaffected', async () => {
    const shopper = await shopperWithCard();
    const client = newClient();
    const intents = await Promise.all(Array.from({ length: 5 }, () => createIntent(wallet)));
    const auth = shopper.session.sessionToken;
    await exhaust(4, (i) => sendConfirmation(client, intents[i].client_secret, 'chl_stale', STALE_ASSERTION, auth));
    const { challengeId, response } = await readyToPay(shopper, intents[4].client_secret);
    const charges = bankCalls.charge;
    await expectRateLimited(await sendConfirmation(client, intents[4].client_secret, challengeId, response, auth));
    await assertNothingHappened(intents[4], challengeId, charges);

    const someoneElse = await shopperWithCard();
    const res = await sendConfirmation(client, intents[4].client_secret, 'chl_stale', STALE_ASSERTION, someoneElse.session.sessionToken);
    await expectError(res, 400, 'challenge_invalid');
  });

  test('per IP address: the 11th is 429; another address is unaffected', async () => {
    const shopper = await shopperWithCard();
    const client = newClient();
    const intents = await Promise.all(Array.from({ length: 11 }, () => createIntent(wallet)));
    await exhaust(10, (i) => sendConfirmation(client, intents[i].client_secret, 'chl_stale', STALE_ASSERTION));
    const { challengeId, response } = await readyToPay(shopper, intents[10].client_secret);
    const charges = bankCalls.charge;
    await expectRateLimited(await sendConfirmation(client, intents[10].client_secret, challengeId, response));
    await assertNothingHappened(intents[10], challengeId, charges);
    const paid = await sendConfirmation(newClient(), intents[10].client_secret, challengeId, response);
    assert.equal(paid.status, 200, await paid.clone().text());
  });
});

describe('card add', () => {
  const cardBody = (number = '4242424242424242') => ({ number, exp_month: 12, exp_year: new Date().getFullYear() + 3, cvc: '123', name: 'Ada Lovelace' });

  test('per shopper: the 4th is 429 before the bank sees the number, and no card is saved; another shopper is unaffected', async () => {
    const { session } = await shopperWithCard();
    const client = newClient();
    const auth = bearer(session.sessionToken);
    // The shopper's first card (in shopperWithCard) counted too.
    await exhaust(2, () => post(client, '/cards', cardBody('5555555555554444'), auth));
    const tokenized = bankCalls.tokenizeCard;
    const cards = await count('SELECT count(*) AS n FROM cards WHERE shopper_id = ?', session.shopper.id);
    await expectRateLimited(await post(client, '/cards', cardBody('4000000000009995'), auth));
    assert.equal(bankCalls.tokenizeCard, tokenized, 'the bank saw the number');
    assert.equal(await count('SELECT count(*) AS n FROM cards WHERE shopper_id = ?', session.shopper.id), cards);

    const someoneElse = await shopperWithCard();
    assert.equal((await post(client, '/cards', cardBody(), bearer(someoneElse.session.sessionToken))).status, 201);
  });

  test('per IP address: the 11th is 429 whoever is signed in; another address is unaffected', async () => {
    const shoppers: Array<Awaited<ReturnType<typeof shopperWithCard>>> = [];
    for (let i = 0; i < 11; i++) shoppers.push(await shopperWithCard());
    const client = newClient();
    await exhaust(10, (i) => post(client, '/cards', cardBody('5555555555554444'), bearer(shoppers[i].session.sessionToken)));
    const tokenized = bankCalls.tokenizeCard;
    await expectRateLimited(await post(client, '/cards', cardBody('5555555555554444'), bearer(shoppers[10].session.sessionToken)));
    assert.equal(bankCalls.tokenizeCard, tokenized, 'the bank saw the number');
    assert.equal((await post(newClient(), '/cards', cardBody('5555555555554444'), bearer(shoppers[10].session.sessionToken))).status, 201);
  });
});

describe('card removal', () => {
  const remove = (client: TestWallet, id: string, token: string) => client.request('DELETE', `/api/frame/cards/${id}`, undefined, bearer(token));
  const listed = async (token: string) => ((await (await newClient().request('GET', '/api/frame/cards', undefined, bearer(token))).json()) as { cards: { id: string }[] }).cards.map((c) => c.id);

  test('per shopper: the 4th is 429 (refused ids counted too), the card stays and the bank is not called; another shopper is unaffected', async () => {
    const { session, cardId } = await shopperWithCard();
    const client = newClient();
    await exhaust(3, (i) => remove(client, `card_unknown${i}`, session.sessionToken));
    const released = bankCalls.releaseToken;
    await expectRateLimited(await remove(client, cardId, session.sessionToken));
    assert.equal(bankCalls.releaseToken, released, 'the bank was asked to release the token');
    assert.deepEqual(await listed(session.sessionToken), [cardId]);

    const someoneElse = await shopperWithCard();
    assert.equal((await remove(client, someoneElse.cardId, someoneElse.session.sessionToken)).status, 204);
  });

  test('per IP address: the 11th is 429 whoever is signed in; another address is unaffected', async () => {
    const shoppers: Array<Awaited<ReturnType<typeof shopperWithCard>>> = [];
    for (let i = 0; i < 11; i++) shoppers.push(await shopperWithCard());
    const client = newClient();
    await exhaust(10, (i) => remove(client, `card_unknown${i}`, shoppers[i].session.sessionToken));
    await expectRateLimited(await remove(client, shoppers[10].cardId, shoppers[10].session.sessionToken));
    assert.deepEqual(await listed(shoppers[10].session.sessionToken), [shoppers[10].cardId]);
    assert.equal((await remove(newClient(), shoppers[10].cardId, shoppers[10].session.sessionToken)).status, 204);
  });
});

describe('payment history (payments list and receipts)', () => {
  const history = (client: TestWallet, path: string, token: string) => client.request('GET', `/api/frame${path}`, undefined, bearer(token));

  test('per shopper: the 5th is 429, lists and receipts together; another shopper is unaffected', async () => {
    const { session } = await shopperWithCard();
    const client = newClient();
    await exhaust(4, (i) => history(client, i % 2 ? '/payments/pi_unknown' : '/payments', session.sessionToken));
    await expectRateLimited(await history(newClient(), '/payments', session.sessionToken));
    const someoneElse = await shopperWithCard();
    assert.equal((await history(client, '/payments', someoneElse.session.sessionToken)).status, 200);
  });

  test('per IP address: the 11th is 429 whoever is signed in; another address is unaffected', async () => {
    const shoppers: Array<Awaited<ReturnType<typeof shopperWithCard>>> = [];
    for (let i = 0; i < 3; i++) shoppers.push(await shopperWithCard());
    const client = newClient();
    await exhaust(10, (i) => history(client, '/payments', shoppers[i % 3].session.sessionToken));
    await expectRateLimited(await history(client, '/payments', shoppers[2].session.sessionToken));
    assert.equal((await history(newClient(), '/payments', shoppers[2].session.sessionToken)).status, 200);
  });
});

describe('where the limits live', () => {
  test('in the database: hits on two server instances add up, and a restart forgets none', async () => {
    const address = newAddress();
    const client = fromAddress(wallet, address);
    const intent = await createIntent(wallet);
    const second = await wallet.startAnotherInstance();
    try {
      const onSecond = fromAddress({ ...wallet, url: second.url }, address);
      const body = { client_secret: intent.client_secret };
      assert.equal((await post(client, '/sessions/options', body)).status, 200);
      assert.equal((await post(onSecond, '/sessions/options', body)).status, 200);
      assert.equal((await post(client, '/sessions/options', body)).status, 200);
      await expectRateLimited(await post(onSecond, '/sessions/options', body));
      await expectRateLimited(await post(client, '/sessions/options', body));
    } finally {
      await second.close();
    }
    await wallet.restart();
    await expectRateLimited(await post(client, '/sessions/options', { client_secret: intent.client_secret }));
    assert.equal(await challengesOf(intent.id), 3);
  });

  test('windows reset as the clock moves: Retry-After is when one more is allowed, two windows give the whole budget back', async () => {
    const client = newClient();
    const intent = await createIntent(wallet);
    const body = { client_secret: intent.client_secret };
    const retryAfter = await exhaust(3, () => post(client, '/sessions/options', body));
    assert.ok(retryAfter <= 20 * 60, `Retry-After ${retryAfter} s is longer than two 10-minute windows`);
    wallet.clock.advance(retryAfter * 1000 - 2000);
    await expectRateLimited(await post(client, '/sessions/options', body));
    wallet.clock.advance(20 * MINUTE);
    await exhaust(3, () => post(client, '/sessions/options', body));
  });

  test('X-Forwarded-For is ignored unless the operator trusts a proxy', async () => {
    const client = newClient();
    const intents = await Promise.all(Array.from({ length: 11 }, () => createIntent(wallet)));
    await exhaust(10, (i) => post(client, '/sessions/options', { client_secret: intents[i].client_secret }, { 'x-forwarded-for': `203.0.113.${i}` }));

    const proxied = await startTestWallet({ rateLimits: { 'sign_in.ip': { limit: 2, windowMs: MINUTE } }, trustedProxyHops: 1 });
    try {
      const viaProxy = (ip: string) => async () =>
        proxied.request('POST', '/api/frame/sessions/options', { client_secret: (await createIntent(proxied)).client_secret }, { 'x-forwarded-for': `198.51.100.7, ${ip}` });
      await exhaust(2, viaProxy('203.0.113.1'));
      assert.equal((await viaProxy('203.0.113.2')()).status, 200);
      // IPv6 clients count by their /64.
      await exhaust(2, viaProxy('2001:db8:1:2::1'));
      await expectRateLimited(await viaProxy('2001:db8:1:2:ffff::9')());
      assert.equal((await viaProxy('2001:db8:1:3::1')()).status, 200);
    } finally {
      await proxied.close();
    }
  });

  test('expired windows are pruned by housekeeping; live ones stay', async () => {
    const client = newClient();
    const intent = await createIntent(wallet);
    assert.equal((await post(client, '/sessions/options', { client_secret: intent.client_secret })).status, 200);
    const bucket = `sign_in.intent:${intent.id}`;
    const rows = () => wallet.query('SELECT bucket FROM rate_limit_windows WHERE bucket = ?', [bucket]);
    await wallet.server.runWorkersNow();
    assert.equal((await rows()).length, 1);
    wallet.clock.advance(20 * MINUTE + 1);
    await wallet.server.runWorkersNow();
    assert.equal((await rows()).length, 0);
    assert.equal(await count("SELECT count(*) AS n FROM rate_limit_windows WHERE expires_at <= ?", wallet.clock.now().toISOString()), 0);
  });
});

describe('settings', () => {
  test('PAYKEY_RATE_LIMIT_<ACTION>_<KEY> sets a limit or turns it off; a malformed one names the variable, what was expected and what was received', () => {
    const config = readEnvConfig({
      PAYKEY_RATE_LIMIT_CARD_ADD_SHOPPER: '5/1h',
      PAYKEY_RATE_LIMIT_SIGN_IN_IP: 'off',
      PAYKEY_RATE_LIMIT_QUOTE_INTENT: '12/5m',
      PAYKEY_TRUSTED_PROXY_HOPS: '1',
    });
    assert.deepEqual(config.rateLimits, {
      'card_add.shopper': { limit: 5, windowMs: 60 * MINUTE },
      'sign_in.ip': 'off',
      'quote.intent': { limit: 12, windowMs: 5 * MINUTE },
    });
    assert.equal(config.trustedProxyHops, 1);
    assert.throws(() => readEnvConfig({ PAYKEY_RATE_LIMIT_CONFIRMATION_IP: '30 a minute' }), {
      message: 'PAYKEY_RATE_LIMIT_CONFIRMATION_IP: expected "<hits>/<window>" such as "30/1m", "10/1h" or "20/90s" (at least 1 hit, a window of at least 1s), or "off"; received "30 a minute"',
    });
  });
});

describe('open challenges', () => {
  let roomy: TestWallet;
  before(async () => {
    roomy = await startTestWallet({ bank: bank.config });
  });
  after(() => roomy?.close());

  test(`one intent holds at most ${MAX_OPEN_CHALLENGES}: the oldest retires (and is then challenge_invalid), the newest signs in`, async () => {
    const authenticator = new SoftwareAuthenticator();
    const intent = await createIntent(roomy);
    await registerShopper(roomy, authenticator, intent.client_secret, newEmail());
    const issued: SignInOptionsResponse[] = [];
    for (let i = 0; i < MAX_OPEN_CHALLENGES + 2; i++) {
      roomy.clock.advance(1);
      const res = await roomy.request('POST', '/api/frame/sessions/options', { client_secret: intent.client_secret });
      assert.equal(res.status, 200);
      issued.push(await res.json());
    }
    const open = await roomy.query<{ id: string }>('SELECT id FROM webauthn_challenges WHERE intent_id = ? AND consumed_at IS NULL ORDER BY created_at', [intent.id]);
    assert.deepEqual(open.map((row) => row.id), issued.slice(2).map((o) => o.challengeId));

    const signInWith = (options: SignInOptionsResponse) =>
      roomy.request('POST', '/api/frame/sessions', {
        client_secret: intent.client_secret,
        challenge_id: options.challengeId,
        response: authenticator.getAssertion(options.options, inFrame(roomy)),
      });
    await expectError(await signInWith(issued[0]), 400, 'challenge_invalid');
    assert.equal((await signInWith(issued.at(-1)!)).status, 201);
  });

  test(`one shopper holds at most ${MAX_OPEN_CHALLENGES} open payment challenges across intents`, async () => {
    const authenticator = new SoftwareAuthenticator();
    const first = await createIntent(roomy);
    const session = await registerShopper(roomy, authenticator, first.client_secret, newEmail());
    const card = await addCard(roomy, session.sessionToken);
    const intents = await Promise.all(Array.from({ length: MAX_OPEN_CHALLENGES + 1 }, () => createIntent(roomy)));
    const issued: ConfirmOptionsResponse[] = [];
    for (const intent of intents) {
      roomy.clock.advance(1);
      // The challenge that comes with each intent's terms.
      const res = await requestQuote(roomy, intent.client_secret, card.id, session.sessionToken);
      assert.equal(res.status, 200, await res.clone().text());
      const { confirmation } = (await res.json()) as QuoteResponse;
      assert.ok(confirmation);
      issued.push(confirmation);
    }
    const open = await roomy.query<{ id: string }>(
      "SELECT id FROM webauthn_challenges WHERE shopper_id = ? AND purpose = 'payment' AND consumed_at IS NULL ORDER BY created_at",
      [session.shopper.id],
    );
    assert.deepEqual(open.map((row) => row.id), issued.slice(1).map((o) => o.challengeId));
    const stale = await sendConfirmation(roomy, intents[0].client_secret, issued[0].challengeId, authenticator.getAssertion(issued[0].options, inFrame(roomy)), session.sessionToken);
    await expectError(stale, 400, 'challenge_invalid');
    assert.equal((await getIntent(roomy, intents[0].id)).status, 'requires_confirmation');
  });
});

