/**
 * Payment terms on the wallet's own side, with the sandbox bank as its own process and real SQLite: the quote a
 * sandbox USD card gets (no fee, no conversion), the quote the challenge must name, terms that expire before the
 * challenge or between it and the passkey, the bounded list of quotes, and one-time cards released at their bank.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createBankRegistry } from '../../server/adapters/registry.ts';
import { createSandboxBankAdapter } from '../../server/adapters/sandbox-bank.ts';
import { MAX_QUOTES_PER_INTENT, QUOTE_TTL_MS } from '../../server/payments/payment-quotes.ts';
import { CHALLENGE_TTL_MS, MAX_OPEN_CHALLENGES } from '../../server/webauthn/challenges.ts';
import { paymentHash } from '../../server/webauthn/payment-hash.ts';
import type { QuoteResponse } from '../../widget/shopper-api.ts';
import {
  addCard,
  bearer,
  confirmationOptions,
  createIntent,
  expectError,
  inFrame,
  pay,
  quoteTerms,
  registerShopper,
  requestConfirmationOptions,
  requestQuote,
  sendConfirmation,
} from '../support/frame-client.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import type { TestBank } from '../support/test-bank.ts';
import type { TestWallet } from '../support/wallet-harness.ts';
import { closeWalletWithTestBank, startWalletWithTestBank } from '../support/wallet-with-test-bank.ts';

let bank: TestBank;
let wallet: TestWallet;

before(async () => {
  ({ bank, wallet } = await startWalletWithTestBank());
});
after(() => closeWalletWithTestBank({ bank, wallet }));

async function shopperWithCard(amount = 1999) {
  const authenticator = new SoftwareAuthenticator();
  const intent = await createIntent(wallet, amount, 'USD');
  const session = await registerShopper(wallet, authenticator, intent.client_secret, `t${Math.random()}@example.com`);
  const card = await addCard(wallet, session.sessionToken);
  return { authenticator, intent, session, card };
}

const count = async (sql: string, params: unknown[]) => Number((await wallet.query<{ n: number }>(sql, params))[0].n);

/** Charges the sandbox bank booked under one of our references, over HTTP. */
async function bankCharges(reference: string): Promise<Array<{ amount: number; currency: string }>> {
  const res = await fetch(`${bank.url}/v1/charges?reference=${encodeURIComponent(reference)}`, { headers: bearer(bank.apiKey) });
  assert.equal(res.status, 200);
  return (await res.json()).data;
}

describe('terms of a sandbox USD card', () => {
  test('no fee, no conversion: the debit is the amount, fixed for ten minutes', async () => {
    const { authenticator, intent, session, card } = await shopperWithCard(1999);
    const terms = await quoteTerms(wallet, intent.client_secret, card.id, session.sessionToken);
    assert.match(terms.quoteId, /^quo_/);
    assert.deepEqual(
      { ...terms, quoteId: undefined },
      {
        quoteId: undefined,
        cardId: card.id,
        amount: 1999,
        currency: 'USD',
        fee: 0,
        fx: null,
        offer: null,
        debit: { amount: 1999, currency: 'USD', currencyDigits: 2 },
        expiresAt: new Date(wallet.clock.now().getTime() + QUOTE_TTL_MS).toISOString(),
      },
    );
    const { challengeId, options } = await confirmationOptions(wallet, intent.client_secret, card.id, session.sessionToken, terms.quoteId);
    // Plain terms keep the v1 hash: nothing beyond amount, currency, payee and card to bind.
    const [challenge] = await wallet.query<{ payment_hash: string; quote_id: string }>('SELECT payment_hash, quote_id FROM webauthn_challenges WHERE id = ?', [challengeId]);
    assert.equal(challenge.quote_id, terms.quoteId);
    assert.equal(challenge.payment_hash, paymentHash({ intentId: intent.id, amount: 1999, currency: 'USD', payee: 'Demo Shop', cardToken: card.bankToken }));

    const res = await sendConfirmation(wallet, intent.client_secret, challengeId, authenticator.getAssertion(options, inFrame(wallet)), session.sessionToken);
    assert.equal((await res.json()).status, 'succeeded');
    const [attempt] = await wallet.query<Record<string, unknown>>(
      'SELECT reference, quote_id, fee_amount, debit_amount, debit_currency, fx_rate, fx_source FROM payment_attempts WHERE intent_id = ?',
      [intent.id],
    );
    assert.deepEqual(
      { quote: attempt.quote_id, fee: Number(attempt.fee_amount), debit: Number(attempt.debit_amount), currency: attempt.debit_currency, rate: attempt.fx_rate, source: attempt.fx_source },
      { quote: terms.quoteId, fee: 0, debit: 1999, currency: 'USD', rate: null, source: null },
    );
    assert.deepEqual((await bankCharges(String(attempt.reference))).map((c) => [c.amount, c.currency]), [[1999, 'USD']]);
  });

  test('a challenge needs the quote: none is 422, another payment\'s is 404, another card\'s is 409 payment_changed', async () => {
    const { intent, session, card } = await shopperWithCard();
    const ask = (quote_id?: string, cardId = card.id) =>
      wallet.request('POST', '/api/frame/confirmations/options', { client_secret: intent.client_secret, card_id: cardId, ...(quote_id ? { quote_id } : {}) }, bearer(session.sessionToken));
    await expectError(await ask(), 422, 'invalid_request');
    const other = await createIntent(wallet);
    const othersQuote = await quoteTerms(wallet, other.client_secret, card.id, session.sessionToken);
    await expectError(await ask(othersQuote.quoteId), 404, 'resource_missing');
    await expectError(await ask('quo_nope'), 404, 'resource_missing');
    const secondCard = await addCard(wallet, session.sessionToken, '5555555555554444');
    const secondCardQuote = await quoteTerms(wallet, intent.client_secret, secondCard.id, session.sessionToken);
    await expectError(await ask(secondCardQuote.quoteId), 409, 'payment_changed');
    assert.equal(
      await count("SELECT count(*) AS n FROM webauthn_challenges WHERE intent_id = ? AND purpose = 'payment' AND quote_id = ?", [intent.id, secondCardQuote.quoteId]),
      1,
      "the one that came with the second card's terms",
    );
    assert.equal(await count("SELECT count(*) AS n FROM webauthn_challenges WHERE intent_id = ? AND purpose = 'payment'", [intent.id]), 1, 'none from the refusals');
  });

  for (const signedIn of [true, false]) {
    test(`the terms come with a challenge bound to them (${signedIn ? 'signed in: the owner\'s passkeys named' : 'no session: no passkey named'}); signed at once, it pays`, async () => {
      const { authenticator, intent, session, card } = await shopperWithCard(2500);
      const token = signedIn ? session.sessionToken : undefined;
      const res = await requestQuote(wallet, intent.client_secret, card.id, token);
      assert.equal(res.status, 200, await res.clone().text());
      const { terms, confirmation } = (await res.json()) as QuoteResponse;
      assert.ok(confirmation, 'a challenge with the terms');
      assert.equal(confirmation.expiresAt, new Date(wallet.clock.now().getTime() + CHALLENGE_TTL_MS).toISOString());
      assert.equal(confirmation.options.allowCredentials?.length ?? 0, signedIn ? 1 : 0);
      const [challenge] = await wallet.query<{ payment_hash: string; quote_id: string; card_id: string }>(
        'SELECT payment_hash, quote_id, card_id FROM webauthn_challenges WHERE id = ?',
        [confirmation.challengeId],
      );
      assert.deepEqual(
        { ...challenge },
        {
          quote_id: terms.quoteId,
          card_id: card.id,
          payment_hash: paymentHash({ intentId: intent.id, amount: 2500, currency: 'USD', payee: 'Demo Shop', cardToken: card.bankToken }),
        },
      );
      const assertion = authenticator.getAssertion(confirmation.options, inFrame(wallet));
      const confirmed = await sendConfirmation(wallet, intent.client_secret, confirmation.challengeId, assertion, token);
      assert.equal((await confirmed.json()).status, 'succeeded');
      const [attempt] = await wallet.query<{ reference: string; quote_id: string }>('SELECT reference, quote_id FROM payment_attempts WHERE intent_id = ?', [intent.id]);
      assert.equal(attempt.quote_id, terms.quoteId);
      assert.deepEqual((await bankCharges(attempt.reference)).map((c) => [c.amount, c.currency]), [[2500, 'USD']]);
    });
  }
});

describe('expired terms', () => {
  test('an expired quote is refused at the challenge (409 quote_expired), nothing written', async () => {
    const { authenticator, intent, session, card } = await shopperWithCard();
    const terms = await quoteTerms(wallet, intent.client_secret, card.id, session.sessionToken);
    wallet.clock.advance(QUOTE_TTL_MS);
    await expectError(await requestConfirmationOptions(wallet, intent.client_secret, card.id, session.sessionToken, terms.quoteId), 409, 'quote_expired');
    assert.equal(await count("SELECT count(*) AS n FROM webauthn_challenges WHERE intent_id = ? AND purpose = 'payment'", [intent.id]), 1, 'only the one that came with the terms');
    // New terms, and it pays.
    assert.equal((await (await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken)).json()).status, 'succeeded');
  });

  test('terms that expire between the challenge and the passkey: 409 quote_expired, nothing charged; new terms pay', async () => {
    const { authenticator, intent, session, card } = await shopperWithCard();
    const terms = await quoteTerms(wallet, intent.client_secret, card.id, session.sessionToken);
    wallet.clock.advance(QUOTE_TTL_MS - CHALLENGE_TTL_MS + 60_000);
    const { challengeId, options } = await confirmationOptions(wallet, intent.client_secret, card.id, session.sessionToken, terms.quoteId);
    const response = authenticator.getAssertion(options, inFrame(wallet));
    wallet.clock.advance(CHALLENGE_TTL_MS - 30_000); // the quote is void, the challenge still open
    await expectError(await sendConfirmation(wallet, intent.client_secret, challengeId, response, session.sessionToken), 409, 'quote_expired');
    assert.equal(await count('SELECT count(*) AS n FROM payment_attempts WHERE intent_id = ?', [intent.id]), 0);
    assert.deepEqual(await bankCharges(`${intent.id}_1`), []);
    assert.equal((await (await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken)).json()).status, 'succeeded');
  });
});

describe('the quotes of one intent are bounded', () => {
  test(`asking again and again keeps the newest ${MAX_QUOTES_PER_INTENT} quotes and ${MAX_OPEN_CHALLENGES} open challenges; a challenge for a retired quote pays nothing`, async () => {
    const { authenticator, intent, session, card } = await shopperWithCard();
    const first = await quoteTerms(wallet, intent.client_secret, card.id, session.sessionToken);
    const { challengeId, options } = await confirmationOptions(wallet, intent.client_secret, card.id, session.sessionToken, first.quoteId);
    const later = [];
    for (let i = 0; i < MAX_QUOTES_PER_INTENT + 2; i += 1) {
      wallet.clock.advance(1000); // quotes are kept newest first by when they were made
      later.push((await quoteTerms(wallet, intent.client_secret, card.id, session.sessionToken)).quoteId);
    }
    const kept = (await wallet.query<{ id: string }>('SELECT id FROM payment_quotes WHERE intent_id = ? ORDER BY id', [intent.id])).map((r) => r.id);
    assert.deepEqual(kept, later.slice(-MAX_QUOTES_PER_INTENT).sort());
    // Each quote came with a challenge: the first quote's challenge was retired with the oldest of them.
    const open = await count("SELECT count(*) AS n FROM webauthn_challenges WHERE intent_id = ? AND purpose = 'payment' AND consumed_at IS NULL", [intent.id]);
    assert.equal(open, MAX_OPEN_CHALLENGES);
    const res = await sendConfirmation(wallet, intent.client_secret, challengeId, authenticator.getAssertion(options, inFrame(wallet)), session.sessionToken);
    await expectError(res, 400, 'challenge_invalid');
    assert.equal(await count('SELECT count(*) AS n FROM payment_attempts WHERE intent_id = ?', [intent.id]), 0);
  });
});

describe('a card paid with once', () => {
  test('once the outcome is final it leaves the shopper\'s cards and its token is released at the bank', async () => {
    const { authenticator, intent, session, card } = await shopperWithCard();
    await wallet.query('UPDATE cards SET saved = 0 WHERE id = ?', [card.id]);
    assert.equal((await (await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken)).json()).status, 'succeeded');
    const [removed] = await wallet.query<{ deleted_at: string | null; released_at: string | null }>('SELECT deleted_at, released_at FROM cards WHERE id = ?', [card.id]);
    assert.ok(removed.deleted_at, 'removed with the outcome');
    await wallet.server.runWorkersNow();
    const [released] = await wallet.query<{ released_at: string | null }>('SELECT released_at FROM cards WHERE id = ?', [card.id]);
    assert.ok(released.released_at, 'released once the bank said so');
    // The bank declines the token from now on.
    const charge = await fetch(`${bank.url}/v1/charges`, {
      method: 'POST',
      headers: { ...bearer(bank.apiKey), 'content-type': 'application/json', 'idempotency-key': `after-release-${card.id}` },
      body: JSON.stringify({ token: card.bankToken, amount: 100, currency: 'USD', reference: `after_release_${card.id}` }),
    });
    assert.equal((await charge.json()).status, 'declined');
  });

  test('a bank outage only delays the release: the outbox tries again until the bank answers', async () => {
    const { authenticator, intent, session, card } = await shopperWithCard();
    await wallet.query('UPDATE cards SET saved = 0 WHERE id = ?', [card.id]);
    assert.equal((await (await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken)).json()).status, 'succeeded');
    // The same bank, unreachable (nothing listens on port 9).
    await wallet.restart({ banks: createBankRegistry([createSandboxBankAdapter({ baseUrl: 'http://127.0.0.1:9', apiKey: bank.apiKey, timeoutMs: 2000 })]) });
    try {
      await wallet.server.runWorkersNow();
      const [job] = await wallet.query<{ tries: number; done_at: string | null; last_error: string | null }>(
        "SELECT tries, done_at, last_error FROM bank_jobs WHERE kind = 'release_token' AND subject_id = ?",
        [card.id],
      );
      assert.equal(job.done_at, null);
      assert.ok(Number(job.tries) >= 1 && job.last_error, JSON.stringify(job));
      assert.equal((await wallet.query<{ released_at: string | null }>('SELECT released_at FROM cards WHERE id = ?', [card.id]))[0].released_at, null);
    } finally {
      await wallet.restart();
    }
    wallet.clock.advance(60 * 60_000);
    await wallet.server.runWorkersNow();
    assert.ok((await wallet.query<{ released_at: string | null }>('SELECT released_at FROM cards WHERE id = ?', [card.id]))[0].released_at);
    const [done] = await wallet.query<{ done_at: string | null }>("SELECT done_at FROM bank_jobs WHERE kind = 'release_token' AND subject_id = ?", [card.id]);
    assert.ok(done.done_at, 'the job is done');
  });

  test('a saved card stays', async () => {
    const { authenticator, intent, session, card } = await shopperWithCard();
    assert.equal((await (await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken)).json()).status, 'succeeded');
    await wallet.server.runWorkersNow();
    const [row] = await wallet.query<{ deleted_at: string | null; released_at: string | null }>('SELECT deleted_at, released_at FROM cards WHERE id = ?', [card.id]);
    assert.deepEqual(row, { deleted_at: null, released_at: null });
    assert.equal(await count("SELECT count(*) AS n FROM bank_jobs WHERE kind = 'release_token' AND subject_id = ?", [card.id]), 0);
  });
});
