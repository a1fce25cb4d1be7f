import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  addCard,
  bearer,
  confirmationOptions,
  createIntent,
  expectError,
  getIntent,
  inFrame,
  pay,
  register,
  registerShopper,
  requestQuote,
  sendConfirmation,
  signIn,
} from '../support/frame-client.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import type { TestBank } from '../support/test-bank.ts';
import { TEST_ENGINE, type TestWallet } from '../support/wallet-harness.ts';
import { closeWalletWithTestBank, startWalletWithTestBank } from '../support/wallet-with-test-bank.ts';

const APPROVE = '4242424242424242';
const DECLINE = '4000000000000002';

let bank: TestBank;
let wallet: TestWallet;
let emailCounter = 0;
const newEmail = () => `shopper${++emailCounter}-${Date.now()}@example.com`;

before(async () => ({ bank, wallet } = await startWalletWithTestBank()));
after(() => closeWalletWithTestBank({ bank, wallet }));

/** The bank's own ledger: charges it holds for one of our references. */
async function ledger(reference: string): Promise<Array<{ status: string; amount: number; reference: string }>> {
  const res = await fetch(`${bank.url}/v1/charges?reference=${encodeURIComponent(reference)}`, { headers: bearer(bank.apiKey) });
  assert.equal(res.status, 200);
  return (await res.json()).data;
}

/** A new shopper with a passkey, a session and one saved card, on a fresh intent. */
async function shopperWithCard(number = APPROVE) {
  const authenticator = new SoftwareAuthenticator();
  const intent = await createIntent(wallet);
  const session = await registerShopper(wallet, authenticator, intent.client_secret, newEmail());
  const card = await addCard(wallet, session.sessionToken, number);
  return { authenticator, intent, session, card };
}

/** `other` answers a challenge for paying with `owner`'s card with their own passkey: 403 credential_mismatch. */
async function answeredByAnothersPasskey(owner: Awaited<ReturnType<typeof shopperWithCard>>, other: Awaited<ReturnType<typeof shopperWithCard>>) {
  const issued = await confirmationOptions(wallet, owner.intent.client_secret, owner.card.id);
  const response = other.authenticator.getAssertion(issued.options, {
    ...inFrame(wallet),
    credentialId: other.authenticator.credentials[0].id.toString('base64url'),
  });
  await expectError(await sendConfirmation(wallet, owner.intent.client_secret, issued.challengeId, response), 403, 'credential_mismatch');
  return issued;
}

describe('passkey registration and sign-in', () => {
  test('a new shopper registers, then signs in with the discoverable passkey', async () => {
    const authenticator = new SoftwareAuthenticator();
    const intent = await createIntent(wallet);
    const email = newEmail();
    const registered = await registerShopper(wallet, authenticator, intent.client_secret, email);
    assert.match(registered.sessionToken, /^pks_/);
    assert.equal(registered.shopper.email, email);
    assert.deepEqual(registered.cards, []);

    const res = await signIn(wallet, authenticator, intent.client_secret);
    assert.equal(res.status, 201, await res.clone().text());
    const signedIn = await res.json();
    assert.equal(signedIn.shopper.id, registered.shopper.id);
    assert.notEqual(signedIn.sessionToken, registered.sessionToken);

    const list = await wallet.request('GET', '/api/frame/cards', undefined, bearer(signedIn.sessionToken));
    assert.equal(list.status, 200);
    // The stored counter follows the authenticator.
    const row = (await wallet.query('SELECT counter FROM credentials WHERE shopper_id = ?', [registered.shopper.id]))[0] as { counter: number };
    assert.equal(row.counter, 1);
  });

  test('registration options require user verification and a resident key', async () => {
    const intent = await createIntent(wallet);
    const res = await wallet.request('POST', '/api/frame/registrations/options', { client_secret: intent.client_secret, email: newEmail() });
    const { options } = await res.json();
    assert.equal(options.authenticatorSelection.residentKey, 'required');
    assert.equal(options.authenticatorSelection.userVerification, 'required');
    assert.equal(options.rp.id, 'localhost');
  });

  test('a registration from a page the merchant does not allow is rejected', async () => {
    const intent = await createIntent(wallet);
    const res = await register(wallet, new SoftwareAuthenticator(), intent.client_secret, newEmail(), { topOrigin: 'https://evil.example' });
    await expectError(res, 403, 'origin_not_allowed');
  });

  test('a registration without user verification is rejected', async () => {
    const intent = await createIntent(wallet);
    const res = await register(wallet, new SoftwareAuthenticator(), intent.client_secret, newEmail(), { userVerified: false });
    assert.ok(res.status === 400 || res.status === 401, `got ${res.status}`);
  });

  test('a wrong client secret is 401', async () => {
    const intent = await createIntent(wallet);
    const forged = intent.client_secret.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a'));
    await expectError(await wallet.request('POST', '/api/frame/checkout', { client_secret: forged }), 401, 'invalid_client_secret');
  });

  test('the checkout view shows payee and amount; /brands the bank brand', async () => {
    const intent = await createIntent(wallet, 4200, 'EUR');
    const res = await wallet.request('POST', '/api/frame/checkout', { client_secret: intent.client_secret });
    assert.equal(res.status, 200);
    const view = await res.json();
    assert.equal(view.payee, 'Demo Shop');
    assert.equal(view.amount, 4200);
    assert.equal(view.currency, 'EUR');
    assert.equal(view.status, 'requires_confirmation');
    assert.equal(view.banks, undefined);
    const { banks } = await (await wallet.request('GET', '/api/frame/brands')).json();
    assert.deepEqual(banks.map((bank: { id: string }) => bank.id), ['sandbox']);
    assert.equal(banks[0].name.en, 'Sandbox Bank');
  });
});

describe('saved cards', () => {
  test('cards are listed for their owner only and soft-deleted by their owner only', async () => {
    const a = await shopperWithCard();
    const b = await shopperWithCard();
    assert.equal(a.card.last4, '4242');
    assert.equal(a.card.brand, 'visa');
    assert.equal(a.card.bankName.en, 'Sandbox Bank');

    const listB = await (await wallet.request('GET', '/api/frame/cards', undefined, bearer(b.session.sessionToken))).json();
    assert.deepEqual(listB.cards.map((c: { id: string }) => c.id), [b.card.id]);

    await expectError(await wallet.request('DELETE', `/api/frame/cards/${a.card.id}`, undefined, bearer(b.session.sessionToken)), 404, 'resource_missing');
    const del = await wallet.request('DELETE', `/api/frame/cards/${a.card.id}`, undefined, bearer(a.session.sessionToken));
    assert.equal(del.status, 204);
    const listA = await (await wallet.request('GET', '/api/frame/cards', undefined, bearer(a.session.sessionToken))).json();
    assert.deepEqual(listA.cards, []);
    // A deleted card cannot be paid with.
    const res = await requestQuote(wallet, a.intent.client_secret, a.card.id);
    await expectError(res, 404, 'resource_missing');
  });

  test('cards need a session; an expired session is 401', async () => {
    const a = await shopperWithCard();
    await expectError(await wallet.request('GET', '/api/frame/cards'), 401, 'authentication_required');
    wallet.clock.advance(31 * 60 * 1000);
    await expectError(await wallet.request('GET', '/api/frame/cards', undefined, bearer(a.session.sessionToken)), 401, 'session_expired');
  });

  test('an expired card is 402 expired_card; a card the bank rejects is 402 with its code', async () => {
    const a = await shopperWithCard();
    const now = wallet.clock.now();
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15));
    const expired = await wallet.request(
      'POST',
      '/api/frame/cards',
      { number: APPROVE, exp_month: lastMonth.getUTCMonth() + 1, exp_year: lastMonth.getUTCFullYear(), cvc: '123', name: 'A' },
      bearer(a.session.sessionToken),
    );
    await expectError(expired, 402, 'expired_card');
    const badLuhn = await wallet.request(
      'POST',
      '/api/frame/cards',
      { number: '4242424242424241', exp_month: 12, exp_year: now.getUTCFullYear() + 2, cvc: '123', name: 'A' },
      bearer(a.session.sessionToken),
    );
    await expectError(badLuhn, 402, 'invalid_card');
  });

  test('invalid card details are 422 without echoing them', async () => {
    const a = await shopperWithCard();
    const res = await wallet.request(
      'POST',
      '/api/frame/cards',
      { number: '4242abcd', exp_month: 13, exp_year: 2030, cvc: '98765', name: 'x' },
      bearer(a.session.sessionToken),
    );
    const text = await res.text();
    assert.equal(res.status, 422, text);
    assert.ok(!text.includes('4242abcd'));
  });
});

describe('confirming a payment with a passkey', () => {
  test('paying from the device cache (no session) signs the shopper in: the session opens their payments, and nobody else\'s', async () => {
    const { authenticator, session, card } = await shopperWithCard();
    const intent = await createIntent(wallet);
    const res = await pay(wallet, authenticator, intent.client_secret, card.id);
    assert.equal(res.status, 200, await res.clone().text());
    const answer = await res.json();
    assert.equal(answer.status, 'succeeded');
    assert.match(answer.session?.sessionToken ?? '', /\S{20,}/, 'a session token');
    assert.ok(Date.parse(answer.session.expiresAt) > wallet.clock.now().getTime());
    // The new session is the card owner's: their payments list, with this payment first.
    const list = await wallet.request('GET', '/api/frame/payments', undefined, bearer(answer.session.sessionToken));
    assert.equal(list.status, 200);
    assert.equal((await list.json()).payments[0].paymentIntentId, intent.id);
    const cards = await (await wallet.request('GET', '/api/frame/cards', undefined, bearer(answer.session.sessionToken))).json();
    assert.deepEqual(cards.cards.map((c: { id: string }) => c.id), [card.id]);
    assert.notEqual(answer.session.sessionToken, session.sessionToken);
  });

  test('a refused confirmation (a stale assertion) opens no session', async () => {
    const { card } = await shopperWithCard();
    const intent = await createIntent(wallet);
    const { challengeId } = await confirmationOptions(wallet, intent.client_secret, card.id);
    const forged = { id: 'AAAA', rawId: 'AAAA', type: 'public-key', response: { clientDataJSON: 'e30', authenticatorData: 'AAAA', signature: 'AAAA' } };
    const before = await wallet.query<{ n: number }>('SELECT count(*) AS n FROM sessions');
    const res = await sendConfirmation(wallet, intent.client_secret, challengeId, forged as never);
    await expectError(res, 403, 'credential_mismatch');
    assert.equal(Number((await wallet.query<{ n: number }>('SELECT count(*) AS n FROM sessions'))[0].n), Number(before[0].n));
  });

  test('the 4242 card pays: intent succeeded, exactly one charge in the bank ledger', async () => {
    const { authenticator, intent, session, card } = await shopperWithCard();
    const res = await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken);
    assert.equal(res.status, 200, await res.clone().text());
    const { receipt, session: signedIn, ...answer } = await res.json();
    assert.deepEqual(answer, { paymentIntentId: intent.id, status: 'succeeded', lastError: null });
    assert.equal(signedIn, null, 'a confirmation with a session opens no other');
    // The shopper's receipt comes with the outcome: what they signed, and the bank reference.
    assert.deepEqual(
      [receipt.paymentIntentId, receipt.status, receipt.amount, receipt.currency, receipt.fee, receipt.debit, receipt.reference, receipt.card.last4],
      [intent.id, 'succeeded', 1999, 'USD', 0, { amount: 1999, currency: 'USD', currencyDigits: 2 }, `${intent.id}_1`, '4242'],
    );
    assert.equal((await getIntent(wallet, intent.id)).status, 'succeeded');
    const charges = await ledger(`${intent.id}_1`);
    assert.equal(charges.length, 1);
    assert.equal(charges[0].status, 'approved');
    assert.equal(charges[0].amount, 1999);
    assert.deepEqual(await ledger(`${intent.id}_2`), []);

    // Paying again is refused: the intent is complete.
    const again = await requestQuote(wallet, intent.client_secret, card.id);
    await expectError(again, 409, 'payment_intent_unexpected_state');
  });

  test('a returning shopper pays with a cached card without signing in (no session)', async () => {
    const { authenticator, card } = await shopperWithCard();
    const next = await createIntent(wallet, 500);
    const res = await pay(wallet, authenticator, next.client_secret, card.id);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal((await res.json()).status, 'succeeded');
  });

  test('a frame opened at top level (not in an iframe) can pay too', async () => {
    const { authenticator, intent, session, card } = await shopperWithCard();
    const res = await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken, { topOrigin: undefined });
    assert.equal(res.status, 200, await res.clone().text());
  });

  test('the decline card fails with card_declined; another card can then pay', async () => {
    const { authenticator, intent, session, card } = await shopperWithCard(DECLINE);
    const res = await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken);
    assert.equal(res.status, 200, await res.clone().text());
    const body = await res.json();
    assert.equal(body.status, 'failed');
    assert.equal(body.lastError.code, 'card_declined');
    const failed = await getIntent(wallet, intent.id);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.last_error.code, 'card_declined');
    assert.equal((await ledger(`${intent.id}_1`))[0].status, 'declined');

    const good = await addCard(wallet, session.sessionToken, APPROVE);
    const retry = await pay(wallet, authenticator, intent.client_secret, good.id, session.sessionToken);
    assert.equal((await retry.json()).status, 'succeeded');
    const done = await getIntent(wallet, intent.id);
    assert.equal(done.status, 'succeeded');
    assert.equal(done.last_error, null);
    assert.equal((await ledger(`${intent.id}_2`)).length, 1);
  });

  test('a challenge cannot be used twice', async () => {
    const { authenticator, intent, session, card } = await shopperWithCard(DECLINE);
    const { challengeId, options } = await confirmationOptions(wallet, intent.client_secret, card.id, session.sessionToken);
    const response = authenticator.getAssertion(options, inFrame(wallet));
    const first = await sendConfirmation(wallet, intent.client_secret, challengeId, response, session.sessionToken);
    assert.equal((await first.json()).status, 'failed');
    // The intent is retryable again (failed), so only the challenge stops this replay.
    const replay = await sendConfirmation(wallet, intent.client_secret, challengeId, response, session.sessionToken);
    await expectError(replay, 400, 'challenge_invalid');
    assert.deepEqual(await ledger(`${intent.id}_2`), []);
  });

  test('a challenge refused before the attempt is burnt too: the owner cannot use it afterwards', async () => {
    const owner = await shopperWithCard();
    const other = await shopperWithCard();
    const { challengeId, options } = await answeredByAnothersPasskey(owner, other);
    // A genuine approval of the same challenge: refused by the challenge alone (the intent is still confirmable).
    const genuine = owner.authenticator.getAssertion(options, inFrame(wallet));
    await expectError(await sendConfirmation(wallet, owner.intent.client_secret, challengeId, genuine), 400, 'challenge_invalid');
    assert.equal((await getIntent(wallet, owner.intent.id)).status, 'requires_confirmation');
    assert.deepEqual(await ledger(`${owner.intent.id}_1`), []);
  });

  test('an expired challenge is rejected and nothing is charged', async () => {
    const { authenticator, intent, session, card } = await shopperWithCard();
    const { challengeId, options } = await confirmationOptions(wallet, intent.client_secret, card.id, session.sessionToken);
    const response = authenticator.getAssertion(options, inFrame(wallet));
    wallet.clock.advance(5 * 60 * 1000 + 1000);
    const res = await sendConfirmation(wallet, intent.client_secret, challengeId, response);
    await expectError(res, 400, 'challenge_expired');
    assert.equal((await getIntent(wallet, intent.id)).status, 'requires_confirmation');
    assert.deepEqual(await ledger(`${intent.id}_1`), []);
  });

  test("another shopper's passkey is rejected for this card", async () => {
    const owner = await shopperWithCard();
    const other = await shopperWithCard();
    // The other shopper asks to pay with the owner's card and answers with their own passkey.
    const { challengeId } = await answeredByAnothersPasskey(owner, other);

    // With the other shopper's session the owner's card is not even offered.
    const res = await requestQuote(wallet, owner.intent.client_secret, owner.card.id, other.session.sessionToken);
    await expectError(res, 404, 'resource_missing');

    // The owner's passkey under another shopper's session is rejected too.
    const second = await confirmationOptions(wallet, owner.intent.client_secret, owner.card.id);
    const ownerResponse = owner.authenticator.getAssertion(second.options, inFrame(wallet));
    const mixed = await sendConfirmation(wallet, owner.intent.client_secret, second.challengeId, ownerResponse, other.session.sessionToken);
    await expectError(mixed, 403, 'credential_mismatch');

    assert.equal((await getIntent(wallet, owner.intent.id)).status, 'requires_confirmation');
    assert.deepEqual(await ledger(`${owner.intent.id}_1`), []);
  });

  test('an assertion without user verification is rejected', async () => {
    const { authenticator, intent, session, card } = await shopperWithCard();
    const res = await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken, { userVerified: false });
    await expectError(res, 400, 'invalid_passkey_response');
    assert.equal((await getIntent(wallet, intent.id)).status, 'requires_confirmation');
    assert.deepEqual(await ledger(`${intent.id}_1`), []);
  });

  test('a wrong signature is 401 passkey_verification_failed', async () => {
    const { authenticator, intent, session, card } = await shopperWithCard();
    const { challengeId, options } = await confirmationOptions(wallet, intent.client_secret, card.id, session.sessionToken);
    const response = authenticator.getAssertion(options, inFrame(wallet));
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const authData = Buffer.from(response.response.authenticatorData, 'base64url');
    const clientDataHash = createHash('sha256').update(Buffer.from(response.response.clientDataJSON, 'base64url')).digest();
    response.response.signature = sign('sha256', Buffer.concat([authData, clientDataHash]), privateKey).toString('base64url');
    await expectError(await sendConfirmation(wallet, intent.client_secret, challengeId, response), 401, 'passkey_verification_failed');
    assert.deepEqual(await ledger(`${intent.id}_1`), []);
  });

  test('a changed amount after the challenge was issued is rejected', async () => {
    const { authenticator, intent, session, card } = await shopperWithCard();
    const { challengeId, options } = await confirmationOptions(wallet, intent.client_secret, card.id, session.sessionToken);
    const response = authenticator.getAssertion(options, inFrame(wallet));
    await wallet.query('UPDATE payment_intents SET amount = 999999 WHERE id = ?', [intent.id]);
    await expectError(await sendConfirmation(wallet, intent.client_secret, challengeId, response), 409, 'payment_changed');
    assert.deepEqual(await ledger(`${intent.id}_1`), []);
  });

  test('a passkey used under a page the merchant does not allow is rejected', async () => {
    const { authenticator, intent, session, card } = await shopperWithCard();
    const res = await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken, { topOrigin: 'https://evil.example' });
    await expectError(res, 403, 'origin_not_allowed');
    const wrongOrigin = await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken, { origin: 'https://evil.example' });
    await expectError(wrongOrigin, 400, 'invalid_passkey_response');
    assert.deepEqual(await ledger(`${intent.id}_1`), []);
  });

  test('a challenge from another intent cannot confirm this one', async () => {
    const { authenticator, session, card } = await shopperWithCard();
    const one = await createIntent(wallet, 100);
    const two = await createIntent(wallet, 100000);
    const { challengeId, options } = await confirmationOptions(wallet, one.client_secret, card.id, session.sessionToken);
    const response = authenticator.getAssertion(options, inFrame(wallet));
    await expectError(await sendConfirmation(wallet, two.client_secret, challengeId, response), 400, 'challenge_invalid');
  });

  test('two confirmations racing for one intent charge once; the loser is refused by the payment\'s state, not as a clone', async () => {
    // Five rounds, each order of sending: the higher sign counter (b) is verified first in some, the lower in others.
    for (let round = 0; round < 6; round += 1) {
      const { authenticator, intent, session, card } = await shopperWithCard();
      const first = await confirmationOptions(wallet, intent.client_secret, card.id, session.sessionToken);
      const second = await confirmationOptions(wallet, intent.client_secret, card.id, session.sessionToken);
      const a = authenticator.getAssertion(first.options, inFrame(wallet));
      const b = authenticator.getAssertion(second.options, inFrame(wallet));
      const sends = [
        () => sendConfirmation(wallet, intent.client_secret, first.challengeId, a, session.sessionToken),
        () => sendConfirmation(wallet, intent.client_secret, second.challengeId, b, session.sessionToken),
      ];
      if (round % 2 === 1) sends.reverse();
      const results = await Promise.all(sends.map((send) => send()));
      const bodies = await Promise.all(results.map(async (r) => ({ status: r.status, body: await r.clone().json() })));
      const [won, lost] = [...bodies].sort((x, y) => x.status - y.status);
      assert.equal(won.status, 200, `round ${round}: ${JSON.stringify(bodies)}`);
      assert.equal(lost.status, 409, `round ${round}: ${JSON.stringify(lost)}`);
      assert.equal(lost.body.error?.code, 'payment_intent_unexpected_state', `round ${round}: ${JSON.stringify(lost)}`);
      assert.equal((await getIntent(wallet, intent.id)).status, 'succeeded');
      const [row] = await wallet.query<{ attempts: number; failures: number }>(
        'SELECT (SELECT count(*) FROM payment_attempts WHERE intent_id = ?) AS attempts, failed_authentications AS failures FROM payment_intents WHERE id = ?',
        [intent.id, intent.id],
      );
      assert.equal(Number(row.attempts), 1);
      assert.equal(Number(row.failures), 0, `round ${round}: a lost race counted as a failed authentication`);
      assert.equal((await ledger(`${intent.id}_1`)).length, 1);
      assert.deepEqual(await ledger(`${intent.id}_2`), []);
    }
  });

  test('malformed confirmation bodies are 4xx, never 500', async () => {
    const { intent } = await shopperWithCard();
    for (const response of [null, {}, { id: 'x' }, { id: 'a', rawId: 'a', type: 'public-key', response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' } }]) {
      const res = await sendConfirmation(wallet, intent.client_secret, 'chl_nope', response);
      assert.ok(res.status >= 400 && res.status < 500, `got ${res.status} for ${JSON.stringify(response)}`);
    }
  });
});

describe('card data never at rest', () => {
  test('no card number or CVC in the wallet database (its files on SQLite, every row of every table on PostgreSQL) or its logs', async () => {
    if (TEST_ENGINE === 'sqlite') {
      const files = readdirSync(wallet.dataDir).filter((f) => f.startsWith('paykey.sqlite'));
      assert.ok(files.length > 0);
      for (const file of files) {
        const bytes = readFileSync(path.join(wallet.dataDir, file));
        for (const secret of [APPROVE, DECLINE]) assert.ok(!bytes.includes(secret), `${secret} found in ${file}`);
      }
    } else {
      const tables = await wallet.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
      assert.ok(tables.length > 10);
      for (const { table_name } of tables) {
        const rows = JSON.stringify(await wallet.query(`SELECT * FROM "${table_name}"`));
        for (const secret of [APPROVE, DECLINE]) assert.ok(!rows.includes(secret), `${secret} found in ${table_name}`);
      }
    }
    const logs = wallet.logs.join('\n');
    assert.ok(!logs.includes(APPROVE) && !logs.includes(DECLINE));
    assert.ok(!logs.includes('pks_'), 'a session token was logged');
  });
});
