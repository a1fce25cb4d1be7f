/**
 * The passkey rules a payment confirmation must meet, one test each (W3C
 * WebAuthn §7.2, FIDO2 server conformance GetAssertion, PSD2 RTS Art. 4–5):
 * single-use challenges that live 5 minutes, UP and UV set, BS never without
 * BE, origin = the wallet, topOrigin = an origin the merchant registered, and
 * a challenge bound to the payment's amount, payee and card. Every refusal
 * has its exact status and code and leaves the intent, the bank's ledger, the
 * sign counter and the cards as they were; each rule has a control that passes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { assertBackupFlagsValid } from '../../server/webauthn/backup-flags.ts';
import { CHALLENGE_TTL_MS } from '../../server/webauthn/challenges.ts';
import { openDatabase } from '../../server/store/database.ts';
import { createMerchant } from '../../server/store/merchants.ts';
import type { RegistrationOptionsResponse, SavedCard, SessionResponse, SignInOptionsResponse } from '../../widget/shopper-api.ts';
import { addCard, bearer, confirmationOptions, createIntent, inFrame, registerShopper, sendConfirmation } from '../support/frame-client.ts';
import { startInProcessTestBank, type InProcessTestBank } from '../support/in-process-test-bank.ts';
import { SoftwareAuthenticator, type CeremonyContext } from '../support/software-authenticator.ts';
import { startTestWallet, TEST_ENGINE, type TestWallet } from '../support/wallet-harness.ts';
import { expectRefusal, paymentState } from './attack-state.ts';

const BANK_KEY = 'bank_sk_rules_0123456789';
let bank: InProcessTestBank;
let wallet: TestWallet;
let authenticator: SoftwareAuthenticator;
let shopper: SessionResponse;
let card: SavedCard;
let emails = 0;
const email = () => `rules${++emails}@example.com`;

before(async () => {
  bank = await startInProcessTestBank(BANK_KEY);
  wallet = await startTestWallet({ bank: bank.config });
  authenticator = new SoftwareAuthenticator();
  const setup = await createIntent(wallet);
  shopper = await registerShopper(wallet, authenticator, setup.client_secret, email());
  card = await addCard(wallet, shopper.sessionToken);
});
after(async () => {
  await wallet?.close();
  await bank?.close();
});

/** A fresh intent, its confirmation challenge and what the state looks like before anything is sent. */
async function prepare(amount = 3141, who = { authenticator, shopper, card }) {
  const intent = await createIntent(wallet, amount);
  const { challengeId, options } = await confirmationOptions(wallet, intent.client_secret, who.card.id, who.shopper.sessionToken);
  const ids = { intentId: intent.id, shopperId: who.shopper.shopper.id };
  const state = () => paymentState(wallet, bank, ids);
  const sign = (ctx: Partial<CeremonyContext> = {}) => who.authenticator.getAssertion(options, inFrame(wallet, ctx));
  const send = (response: unknown) => sendConfirmation(wallet, intent.client_secret, challengeId, response, who.shopper.sessionToken);
  return { intent, challengeId, options, state, sign, send, before: await state() };
}

/** A connection of the test's own to the wallet's PostgreSQL database, to hold locks with. */
async function lockSession(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: wallet.database.databaseUrl });
  await client.connect();
  return client;
}

/** Waits until `count` sessions wait for a lock on `table`, or without one on another transaction's row. */
async function lockWaiters(count: number, table?: string): Promise<void> {
  const waiting = table
    ? { text: 'SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = $1::regclass', values: [table] }
    : { text: "SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'", values: [] };
  const probe = await lockSession();
  try {
    for (let tries = 0; tries < 500; tries += 1) {
      if ((await probe.query(waiting)).rows[0].n >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`expected ${count} sessions waiting for a lock on ${table ?? 'a row'}; fewer did within 5 s`);
  } finally {
    await probe.end();
  }
}

/** Sends a confirmation signed under `ctx`; expects exactly `status code` and no change anywhere. */
async function refused(ctx: Partial<CeremonyContext>, status: number, code: string) {
  const p = await prepare();
  await expectRefusal(await p.send(p.sign(ctx)), status, code, JSON.stringify(ctx));
  assert.deepEqual(await p.state(), p.before);
  assert.equal(p.before.intent.status, 'requires_confirmation');
}

/** Sends a confirmation signed under `ctx`; expects it to pay once. */
async function pays(ctx: Partial<CeremonyContext> = {}, who = { authenticator, shopper, card }) {
  const p = await prepare(3141, who);
  const res = await p.send(p.sign(ctx));
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal((await res.json()).status, 'succeeded');
  assert.equal((await p.state()).bank.charges, p.before.bank.charges + 1);
}

describe('single-use challenges', () => {
  test('a challenge burnt by a failed confirmation cannot then carry the genuine assertion: 400 challenge_invalid', async () => {
    const p = await prepare();
    const genuine = p.sign();
    const forged = { ...genuine, response: { ...genuine.response, signature: Buffer.alloc(70, 1).toString('base64url') } };
    await expectRefusal(await p.send(forged), 400, 'invalid_passkey_response');
    await expectRefusal(await p.send(genuine), 400, 'challenge_invalid');
    assert.deepEqual(await p.state(), p.before);
  });

  test('the same genuine assertion sent twice at once: one payment, one 400 challenge_invalid, one charge', async () => {
    const p = await prepare();
    const genuine = p.sign();
    const answers = await Promise.all([p.send(genuine), p.send(genuine)]);
    const outcomes = await Promise.all(answers.map(async (res) => `${res.status} ${(await res.json()).error?.code ?? 'paid'}`));
    assert.deepEqual(outcomes.sort(), ['200 paid', '400 challenge_invalid']);
    const after = await p.state();
    assert.equal(after.bank.charges, p.before.bank.charges + 1);
    assert.equal(after.attempts, 1);
  });

  test(
    'the second of two requests with one assertion reads the challenge before the first commits and the passkey after: 400 challenge_invalid',
    { skip: TEST_ENGINE !== 'postgres' && 'PostgreSQL row and table locks hold each request at its step' },
    async () => {
      // The first request holds at moving the intent (its transaction has burnt the challenge and moved the sign
      // counter, uncommitted); the second finds the challenge open and then waits to read the passkey until the
      // first commits, so it sees the counter moved on and the intent processing. The challenge is what it is told.
      const p = await prepare();
      const genuine = p.sign();
      const intentLock = await lockSession();
      const passkeyLock = await lockSession();
      try {
        await intentLock.query('BEGIN');
        await intentLock.query('SELECT id FROM payment_intents WHERE id = $1 FOR UPDATE', [p.intent.id]);
        const first = p.send(genuine);
        await lockWaiters(1);
        await passkeyLock.query('BEGIN');
        const passkeysLocked = passkeyLock.query('LOCK TABLE credentials IN ACCESS EXCLUSIVE MODE');
        await lockWaiters(1, 'credentials');
        const second = p.send(genuine);
        await lockWaiters(2, 'credentials');
        await intentLock.query('COMMIT');
        await passkeysLocked;
        await passkeyLock.query('COMMIT');
        const outcomes = await Promise.all([first, second].map(async (sent) => {
          const res = await sent;
          return `${res.status} ${(await res.json()).error?.code ?? 'paid'}`;
        }));
        assert.deepEqual(outcomes, ['200 paid', '400 challenge_invalid']);
        assert.equal((await p.state()).attempts, 1);
      } finally {
        await Promise.all([intentLock.end(), passkeyLock.end()]);
      }
    },
  );

  test('a sign-in challenge cannot confirm a payment: 400 challenge_invalid', async () => {
    const p = await prepare();
    const res = await wallet.request('POST', '/api/frame/sessions/options', { client_secret: p.intent.client_secret });
    const signIn = (await res.json()) as SignInOptionsResponse;
    const assertion = authenticator.getAssertion(signIn.options, inFrame(wallet));
    await expectRefusal(await sendConfirmation(wallet, p.intent.client_secret, signIn.challengeId, assertion, shopper.sessionToken), 400, 'challenge_invalid');
    assert.deepEqual(await p.state(), p.before);
  });
});

describe('5-minute challenges', () => {
  test('a challenge 1 s short of 5 minutes old still pays (the control)', async () => {
    const p = await prepare();
    wallet.clock.advance(CHALLENGE_TTL_MS - 1_000);
    const res = await p.send(p.sign());
    assert.equal(res.status, 200, await res.clone().text());
  });

  test('at 5 minutes it is 400 challenge_expired, and nothing moves', async () => {
    assert.equal(CHALLENGE_TTL_MS, 5 * 60 * 1000);
    const p = await prepare();
    wallet.clock.advance(CHALLENGE_TTL_MS);
    await expectRefusal(await p.send(p.sign()), 400, 'challenge_expired');
    assert.deepEqual(await p.state(), p.before);
  });
});

describe('user presence and user verification', () => {
  test('UV clear (signed that way by the authenticator): 400 invalid_passkey_response', () => refused({ userVerified: false }, 400, 'invalid_passkey_response'));
  test('UP clear (signed that way): 400 invalid_passkey_response', () => refused({ userPresent: false }, 400, 'invalid_passkey_response'));
  test('UP and UV clear: 400 invalid_passkey_response', () => refused({ userPresent: false, userVerified: false }, 400, 'invalid_passkey_response'));
});

describe('backup flags (WebAuthn §6.1: BS=1 requires BE=1)', () => {
  test('the rule itself, byte by byte: every flags value with BS and without BE is refused, the rest pass', () => {
    for (let flags = 0; flags < 256; flags += 1) {
      const data = Buffer.alloc(37);
      data[32] = flags;
      const invalid = (flags & 0x10) !== 0 && (flags & 0x08) === 0;
      if (invalid) assert.throws(() => assertBackupFlagsValid(data), { code: 'invalid_passkey_response' }, `flags ${flags.toString(2)}`);
      else assertBackupFlagsValid(data);
    }
  });

  test('a payment assertion signed with BS and without BE: 400 invalid_passkey_response', () => refused({ backupState: true }, 400, 'invalid_passkey_response'));

  test('a synced passkey (BE and BS) pays (the control)', () => pays({ backupEligible: true, backupState: true }));

  test('a sign-in signed with BS and without BE: 400 invalid_passkey_response, no session', async () => {
    const intent = await createIntent(wallet);
    const res = await wallet.request('POST', '/api/frame/sessions/options', { client_secret: intent.client_secret });
    const { challengeId, options } = (await res.json()) as SignInOptionsResponse;
    const sessions = async () => Number((await wallet.query<{ n: number }>('SELECT count(*) AS n FROM sessions', []))[0].n);
    const counter = async () => (await wallet.query<{ counter: number }>('SELECT counter FROM credentials WHERE shopper_id = ?', [shopper.shopper.id]))[0].counter;
    const [sessionsBefore, counterBefore] = [await sessions(), await counter()];
    const response = authenticator.getAssertion(options, inFrame(wallet, { backupState: true }));
    await expectRefusal(await wallet.request('POST', '/api/frame/sessions', { client_secret: intent.client_secret, challenge_id: challengeId, response }), 400, 'invalid_passkey_response');
    assert.equal(await sessions(), sessionsBefore);
    assert.equal(await counter(), counterBefore);
  });

  for (const [label, ctx, outcome] of [
    ['BS without BE: 400 invalid_passkey_response, no account', { backupState: true }, 'refused'],
    ['BE and BS (a synced passkey): 201 (the control)', { backupEligible: true, backupState: true }, 'created'],
  ] as const) {
    test(`a registration with ${label}`, async () => {
      const intent = await createIntent(wallet);
      const address = email();
      const res = await wallet.request('POST', '/api/frame/registrations/options', { client_secret: intent.client_secret, email: address });
      const { challengeId, options } = (await res.json()) as RegistrationOptionsResponse;
      const response = new SoftwareAuthenticator().createCredential(options, inFrame(wallet, ctx));
      const answer = await wallet.request('POST', '/api/frame/registrations', { client_secret: intent.client_secret, challenge_id: challengeId, response });
      const shoppers = Number((await wallet.query<{ n: number }>('SELECT count(*) AS n FROM shoppers WHERE email = ?', [address]))[0].n);
      if (outcome === 'refused') {
        await expectRefusal(answer, 400, 'invalid_passkey_response');
        assert.equal(shoppers, 0);
      } else {
        assert.equal(answer.status, 201, await answer.text());
        assert.equal(shoppers, 1);
      }
    });
  }
});

describe('origin = the wallet origin', () => {
  test("the merchant page's own origin: 400 invalid_passkey_response", () => refused({ origin: wallet.merchantOrigin }, 400, 'invalid_passkey_response'));
  test('the wallet host on another port: 400 invalid_passkey_response', () => {
    const url = new URL(wallet.url);
    url.port = String(Number(url.port) + 1);
    return refused({ origin: url.origin }, 400, 'invalid_passkey_response');
  });
  test('the wallet origin over https: 400 invalid_passkey_response', () => refused({ origin: wallet.url.replace('http:', 'https:') }, 400, 'invalid_passkey_response'));
  test('the wallet origin with a trailing slash: 400 invalid_passkey_response', () => refused({ origin: `${wallet.url}/` }, 400, 'invalid_passkey_response'));
  test('the wallet origin in a frame on the registered merchant page pays (the control)', () => pays());
});

describe("topOrigin = one of the merchant's registered origins", () => {
  test('an unregistered page: 403 origin_not_allowed', () => refused({ topOrigin: 'https://evil.example' }, 403, 'origin_not_allowed'));
  test('a look-alike of the registered origin (another port): 403 origin_not_allowed', () =>
    refused({ topOrigin: wallet.merchantOrigin.replace(/:\d+$/, ':8790') }, 403, 'origin_not_allowed'));
  test("another merchant's registered origin: 403 origin_not_allowed", async () => {
    const db = await openDatabase(wallet.database);
    try {
      await createMerchant(db, { secretKey: `sk_test_other_${Date.now()}`, origins: ['https://other-shop.example'] }, new Date());
    } finally {
      await db.destroy();
    }
    await refused({ topOrigin: 'https://other-shop.example' }, 403, 'origin_not_allowed');
  });
  test('crossOrigin true without a topOrigin: 403 origin_not_allowed', () => refused({ crossOrigin: true, topOrigin: undefined }, 403, 'origin_not_allowed'));
  test('an empty topOrigin: 403 origin_not_allowed', () => refused({ topOrigin: '' }, 403, 'origin_not_allowed'));
  test('a topOrigin without crossOrigin: 400 invalid_passkey_response', () => refused({ crossOrigin: false }, 400, 'invalid_passkey_response'));
  test('the frame opened at top level (no topOrigin, crossOrigin false) pays (the control)', () => pays({ topOrigin: undefined }));
  test('a registration under an unregistered page: 403 origin_not_allowed, no account', async () => {
    const intent = await createIntent(wallet);
    const address = email();
    const res = await wallet.request('POST', '/api/frame/registrations/options', { client_secret: intent.client_secret, email: address });
    const { challengeId, options } = (await res.json()) as RegistrationOptionsResponse;
    const response = new SoftwareAuthenticator().createCredential(options, inFrame(wallet, { topOrigin: 'https://evil.example' }));
    const answer = await wallet.request('POST', '/api/frame/registrations', { client_secret: intent.client_secret, challenge_id: challengeId, response });
    await expectRefusal(answer, 403, 'origin_not_allowed');
    assert.equal(Number((await wallet.query<{ n: number }>('SELECT count(*) AS n FROM shoppers WHERE email = ?', [address]))[0].n), 0);
  });
});

describe('the challenge is bound to amount, payee and card (dynamic linking)', () => {
  test('the amount changed after the challenge: 409 payment_changed, nothing charged', async () => {
    const p = await prepare();
    await wallet.query('UPDATE payment_intents SET amount = ? WHERE id = ?', [1, p.intent.id]);
    await expectRefusal(await p.send(p.sign()), 409, 'payment_changed');
    const after = await p.state();
    assert.deepEqual({ ...after, intent: { ...after.intent, amount: 3141 } }, p.before);
  });

  test('the payee changed after the challenge: 409 payment_changed, nothing charged', async () => {
    const p = await prepare();
    const [{ display_name }] = await wallet.query<{ display_name: string }>("SELECT display_name FROM merchants WHERE id = 'mer_demo'");
    await wallet.query("UPDATE merchants SET display_name = ? WHERE id = 'mer_demo'", ['Someone Else Ltd']);
    try {
      await expectRefusal(await p.send(p.sign()), 409, 'payment_changed');
    } finally {
      await wallet.query("UPDATE merchants SET display_name = ? WHERE id = 'mer_demo'", [display_name]);
    }
    assert.deepEqual(await p.state(), p.before);
  });

  test('the card removed after the challenge: 409 payment_changed, nothing charged', async () => {
    const spare = await addCard(wallet, shopper.sessionToken);
    const p = await prepare(3141, { authenticator, shopper, card: spare });
    assert.equal((await wallet.request('DELETE', `/api/frame/cards/${spare.id}`, undefined, bearer(shopper.sessionToken))).status, 204);
    await expectRefusal(await p.send(p.sign()), 409, 'payment_changed');
    const after = await p.state();
    assert.deepEqual({ ...after, cards: after.cards + 1 }, p.before);
  });
});
