/**
 * Regression tests from the adversarial pass over the money path: each block
 * is one problem that was found, proven here, then fixed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSandboxBank, type RunningSandboxBank } from '../../demo/bank/main.ts';
import type { BankAdapter } from '../../server/adapters/bank-adapter.ts';
import { createBankRegistry } from '../../server/adapters/registry.ts';
import { createSandboxBankAdapter } from '../../server/adapters/sandbox-bank.ts';
import type { RegistrationOptionsResponse } from '../../widget/shopper-api.ts';
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
import { startTestWallet, TEST_ENGINE, type TestWallet } from '../support/wallet-harness.ts';

const BANK_KEY = 'bank_sk_hardening_0123456789';

let bankDir: string;
let bank: RunningSandboxBank;
let wallet: TestWallet;
let emailCounter = 0;
const newEmail = () => `hardening${++emailCounter}@example.com`;

before(async () => {
  bankDir = mkdtempSync(path.join(tmpdir(), 'paykey-hardening-bank-'));
  bank = await startSandboxBank({ port: 0, dataDir: bankDir, apiKey: BANK_KEY });
  wallet = await startTestWallet({ bank: { baseUrl: bank.url, apiKey: BANK_KEY } });
});
after(async () => {
  await wallet?.close();
  await bank?.close();
  rmSync(bankDir, { recursive: true, force: true });
});

const count = async (sql: string, ...params: unknown[]) => Number((await wallet.query<{ n: number }>(sql, params))[0].n);

describe('registration with a mangled public key', () => {
  test('is refused, and the email stays free', async () => {
    const intent = await createIntent(wallet);
    const email = newEmail();
    const optionsRes = await wallet.request('POST', '/api/frame/registrations/options', { client_secret: intent.client_secret, email });
    const { challengeId, options } = (await optionsRes.json()) as RegistrationOptionsResponse;
    const response = new SoftwareAuthenticator().createCredential(options, inFrame(wallet));
    // Attestation "none" is unsigned: cutting the end off shortens the COSE key's `y` and nothing else notices.
    response.response.attestationObject = response.response.attestationObject.slice(0, -10);
    const res = await wallet.request('POST', '/api/frame/registrations', { client_secret: intent.client_secret, challenge_id: challengeId, response });
    await expectError(res, 400, 'invalid_passkey_response');
    assert.equal(await count('SELECT count(*) AS n FROM shoppers WHERE email = ?', email), 0);

    const session = await registerShopper(wallet, new SoftwareAuthenticator(), intent.client_secret, email);
    assert.equal(session.shopper.email, email);
  });
});

describe('a double-submitted card', () => {
  test('with one Idempotency-Key saves one card, even when the bank answers both at once', async () => {
    // Both tokenizations are held until both have arrived, then answered in the same tick:
    // the wallet's "is this token saved already?" checks then run side by side.
    const real = createSandboxBankAdapter({ baseUrl: bank.url, apiKey: BANK_KEY });
    let waiting: Array<() => void> = [];
    const together: BankAdapter = {
      ...real,
      id: real.id,
      brand: () => real.brand(),
      charge: (request) => real.charge(request),
      lookupCharge: (reference) => real.lookupCharge(reference),
      refund: (request) => real.refund(request),
      async tokenizeCard(card, key) {
        const result = await real.tokenizeCard(card, key);
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          if (waiting.length === 2) {
            waiting.forEach((release) => release());
            waiting = [];
          }
        });
        return result;
      },
    };
    const racing = await startTestWallet({ banks: createBankRegistry([together]) });
    try {
      const intent = await createIntent(racing);
      const session = await registerShopper(racing, new SoftwareAuthenticator(), intent.client_secret, newEmail());
      const body = { number: '4242424242424242', exp_month: 12, exp_year: new Date().getUTCFullYear() + 2, cvc: '123', name: 'Ada' };
      const headers = { ...bearer(session.sessionToken), 'idempotency-key': 'save-card-once' };
      const answers = await Promise.all([1, 2].map(() => racing.request('POST', '/api/frame/cards', body, headers)));
      const ids = await Promise.all(
        answers.map(async (res) => {
          assert.equal(res.status, 201, await res.clone().text());
          return (await res.json()).card.id as string;
        }),
      );
      assert.equal(new Set(ids).size, 1, `saved as ${[...new Set(ids)].join(', ')}`);
      const rows = (await racing.query('SELECT count(*) AS n FROM cards WHERE shopper_id = ? AND deleted_at IS NULL', [session.shopper.id]))[0] as { n: number };
      assert.equal(rows.n, 1);
    } finally {
      await racing.close();
    }
  });
});

describe('a card whose bank is no longer configured', () => {
  test('is left out of card lists and refused before the payment moves', async () => {
    const authenticator = new SoftwareAuthenticator();
    const intent = await createIntent(wallet);
    const session = await registerShopper(wallet, authenticator, intent.client_secret, newEmail());
    const retired = await addCard(wallet, session.sessionToken);
    const kept = await addCard(wallet, session.sessionToken);
    const { challengeId, options } = await confirmationOptions(wallet, intent.client_secret, retired.id, session.sessionToken);
    await wallet.query("UPDATE cards SET bank = 'retired-bank' WHERE id = ?", [retired.id]);

    // Confirming with it: a clear 409, and nothing half-written (before: a 500 with the intent stuck in processing).
    const response = authenticator.getAssertion(options, inFrame(wallet));
    await expectError(await sendConfirmation(wallet, intent.client_secret, challengeId, response, session.sessionToken), 409, 'card_unavailable');
    assert.equal(await count('SELECT count(*) AS n FROM payment_attempts WHERE intent_id = ?', intent.id), 0);
    assert.equal((await getIntent(wallet, intent.id)).status, 'requires_confirmation');
    await expectError(await requestQuote(wallet, intent.client_secret, retired.id, session.sessionToken), 409, 'card_unavailable');

    // Listing and signing in still work, without it (before: both were 500s).
    const list = await wallet.request('GET', '/api/frame/cards', undefined, bearer(session.sessionToken));
    assert.equal(list.status, 200);
    assert.deepEqual((await list.json()).cards.map((c: { id: string }) => c.id), [kept.id]);
    const signedIn = await signIn(wallet, authenticator, intent.client_secret);
    assert.equal(signedIn.status, 201, await signedIn.clone().text());
    assert.deepEqual((await signedIn.json()).cards.map((c: { id: string }) => c.id), [kept.id]);

    // The other card pays.
    const paid = await pay(wallet, authenticator, intent.client_secret, kept.id, session.sessionToken);
    assert.equal((await paid.json()).status, 'succeeded');
  });
});

describe('a registration that fails after verifying the passkey', () => {
  test('leaves no account behind holding the email', async () => {
    const intent = await createIntent(wallet);
    const email = newEmail();
    if (TEST_ENGINE === 'postgres') {
      await wallet.query("CREATE FUNCTION refuse_sessions() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'sessions are down'; END $$");
      await wallet.query('CREATE TRIGGER refuse_sessions BEFORE INSERT ON sessions FOR EACH ROW EXECUTE FUNCTION refuse_sessions()');
    } else {
      await wallet.query("CREATE TRIGGER refuse_sessions BEFORE INSERT ON sessions BEGIN SELECT RAISE(ABORT, 'sessions are down'); END");
    }
    try {
      const res = await register(wallet, new SoftwareAuthenticator(), intent.client_secret, email);
      assert.equal(res.status, 500, await res.clone().text());
      assert.equal((await res.json()).error.code, 'internal_error');
    } finally {
      await wallet.query(TEST_ENGINE === 'postgres' ? 'DROP TRIGGER refuse_sessions ON sessions' : 'DROP TRIGGER refuse_sessions');
    }
    assert.equal(await count('SELECT count(*) AS n FROM shoppers WHERE email = ?', email), 0);
    const session = await registerShopper(wallet, new SoftwareAuthenticator(), intent.client_secret, email);
    assert.equal(session.shopper.email, email);
  });
});

describe('secrets a client puts in a URL', () => {
  test('never reach the logs', async () => {
    const intent = await createIntent(wallet);
    const session = await registerShopper(wallet, new SoftwareAuthenticator(), intent.client_secret, newEmail());
    const secrets = ['4242424242424242', '4000 0000 0000 0002', '5555-5555-5555-4444', intent.client_secret, session.sessionToken, wallet.secretKey];
    for (const secret of secrets) {
      const encoded = encodeURIComponent(secret);
      await wallet.request('GET', `/frame/${encoded}`);
      await wallet.request('GET', `/v1/payment_intents/${encoded}`, undefined, { authorization: `Bearer ${wallet.secretKey}` });
      await wallet.request('DELETE', `/api/frame/cards/${encoded}`, undefined, bearer(session.sessionToken));
    }
    const logs = wallet.logs.join('\n');
    for (const secret of secrets) assert.ok(!logs.includes(secret), `${secret.slice(0, 8)}… was logged`);
    for (const part of ['4242424242424242', '0000 0000 0002', '5555-5555', intent.client_secret.split('_secret_')[1]]) {
      assert.ok(!logs.includes(part), `${part} was logged`);
    }
    // Ids stay readable.
    assert.ok(logs.includes(`/v1/payment_intents/${intent.id}`) || logs.includes(intent.id));
  });
});
