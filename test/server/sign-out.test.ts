/**
 * "Sign out on this device": the session ends server-side (its token is refused from then on), the one-time cards
 * it added are released at the bank (checked over HTTP against the sandbox bank's own process), and nothing of the
 * shopper's other devices changes: their sessions, saved cards and one-time cards stay.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SessionResponse } from '../../widget/shopper-api.ts';
import { chargeAtBank } from '../support/charge-at-bank.ts';
import { addCard, bearer, createIntent, expectError, registerShopper, signIn } from '../support/frame-client.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { startTestBank, type TestBank } from '../support/test-bank.ts';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';

let bank: TestBank;
let wallet: TestWallet;

before(async () => {
  bank = await startTestBank();
  wallet = await startTestWallet({ bank: bank.config });
});
after(async () => {
  await wallet?.close();
  await bank?.close();
});

const bankApi = () => ({ url: bank.url, apiKey: bank.apiKey });
const signOut = (token?: string) => wallet.request('DELETE', '/api/frame/sessions/current', undefined, bearer(token));
const released = async (cardId: string) => (await wallet.query<{ released_at: string | null }>('SELECT released_at FROM cards WHERE id = ?', [cardId]))[0].released_at !== null;

describe('sign out on this device', () => {
  test('ends this session server-side, releases its one-time cards, and leaves the other device signed in', async () => {
    const authenticator = new SoftwareAuthenticator();
    const intent = await createIntent(wallet);
    const laptop: SessionResponse = await registerShopper(wallet, authenticator, intent.client_secret, 'signout@example.com');
    const phoneRes = await signIn(wallet, authenticator, intent.client_secret);
    assert.equal(phoneRes.status, 201);
    const phone: SessionResponse = await phoneRes.json();

    const saved = await addCard(wallet, laptop.sessionToken, '4242424242424242', true);
    const onceHere = await addCard(wallet, laptop.sessionToken, '5200828282828210', false);
    const onceOnPhone = await addCard(wallet, phone.sessionToken, '4242424242424242', false);
    const sessions = async () => Number((await wallet.query<{ n: number }>('SELECT count(*) AS n FROM sessions'))[0].n);
    assert.equal(await sessions(), 2);

    assert.equal((await signOut(laptop.sessionToken)).status, 204);
    assert.equal(await sessions(), 1, 'the session row is gone');
    await expectError(await wallet.request('GET', '/api/frame/cards', undefined, bearer(laptop.sessionToken)), 401, 'session_invalid');
    await expectError(await signOut(laptop.sessionToken), 401, 'session_invalid');

    // This session's one-time card: released, and the bank declines it.
    assert.ok(await released(onceHere.id));
    assert.equal((await chargeAtBank(bankApi(), onceHere.bankToken, 'USD')).body.status, 'declined');
    // The other device: still signed in, the saved card listed and live, its own one-time card untouched.
    const list = await wallet.request('GET', '/api/frame/cards', undefined, bearer(phone.sessionToken));
    assert.equal(list.status, 200);
    assert.deepEqual((await list.json()).cards.map((c: { id: string }) => c.id), [saved.id]);
    assert.equal(await released(saved.id), false);
    assert.equal(await released(onceOnPhone.id), false);
    assert.equal((await chargeAtBank(bankApi(), saved.bankToken, 'USD')).body.status, 'approved');
    assert.equal((await chargeAtBank(bankApi(), onceOnPhone.bankToken, 'USD')).body.status, 'approved');
  });

  test('needs a session: none is 401 authentication_required, a made-up one 401 session_invalid', async () => {
    await expectError(await signOut(), 401, 'authentication_required');
    await expectError(await signOut('pks_made_up'), 401, 'session_invalid');
  });
});
