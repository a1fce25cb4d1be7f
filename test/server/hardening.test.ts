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
import type { RegistrationOptionsResponse } from '../../server/routes/shopper-api-types.ts';
import { createIntent, expectError, inFrame, registerShopper } from '../support/frame-client.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';

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

const count = (sql: string, ...params: unknown[]) => (wallet.sql.prepare(sql).get(...params) as { n: number }).n;

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
    assert.equal(count('SELECT count(*) AS n FROM shoppers WHERE email = ?', email), 0);

    const session = await registerShopper(wallet, new SoftwareAuthenticator(), intent.client_secret, email);
    assert.equal(session.shopper.email, email);
  });
});
