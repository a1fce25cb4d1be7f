/**
 * Saving a card is an explicit choice: without it (`save` false or absent) the card pays once and is not kept —
 * never listed, its token released at the bank once the payment is final (checked over HTTP against the sandbox
 * bank's own process), or by housekeeping when nobody paid with it within a session's lifetime.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MAX_ACTIVE_CARDS } from '../../server/shoppers/cards.ts';
import { SESSION_TTL_MS } from '../../server/shoppers/sessions.ts';
import type { SavedCard, SessionResponse } from '../../widget/shopper-api.ts';
import { chargeAtBank } from '../support/charge-at-bank.ts';
import { addCard, bearer, createIntent, expectError, pay, registerShopper, signIn } from '../support/frame-client.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { startTestBank, type TestBank } from '../support/test-bank.ts';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';

let bank: TestBank;
let wallet: TestWallet;
const authenticator = new SoftwareAuthenticator();
let session: SessionResponse;

before(async () => {
  bank = await startTestBank();
  wallet = await startTestWallet({ bank: bank.config });
  const intent = await createIntent(wallet);
  session = await registerShopper(wallet, authenticator, intent.client_secret, 'once@example.com');
});
after(async () => {
  await wallet?.close();
  await bank?.close();
});

const bankApi = () => ({ url: bank.url, apiKey: bank.apiKey });
const listed = async () => ((await (await wallet.request('GET', '/api/frame/cards', undefined, bearer(session.sessionToken))).json()).cards as SavedCard[]).map((c) => c.id);
const row = async (id: string) =>
  (await wallet.query<{ saved: number; deleted_at: string | null; released_at: string | null }>('SELECT saved, deleted_at, released_at FROM cards WHERE id = ?', [id]))[0];

describe('one-time cards', () => {
  test('without `save` the card is one-time: returned to pay with, never listed, not even at the next sign-in', async () => {
    const res = await wallet.request(
      'POST',
      '/api/frame/cards',
      { number: '4242 4242 4242 4242', exp_month: 12, exp_year: new Date().getFullYear() + 2, cvc: '123', name: 'Ada Lovelace' },
      bearer(session.sessionToken),
    );
    assert.equal(res.status, 201);
    const { card } = await res.json();
    assert.equal(card.saved, false, 'not kept unless asked');
    assert.equal((await row(card.id)).saved, 0);
    const kept = await addCard(wallet, session.sessionToken, '5200828282828210', true);
    assert.equal(kept.saved, true);
    assert.deepEqual(await listed(), [kept.id]);
    const intent = await createIntent(wallet);
    const signedIn = await signIn(wallet, authenticator, intent.client_secret);
    assert.deepEqual(((await signedIn.json()) as SessionResponse).cards.map((c) => c.id), [kept.id]);
  });

  test('it pays, then its token is released at the bank (which declines it from then on) and the card is gone', async () => {
    const card = await addCard(wallet, session.sessionToken, '4242424242424242', false);
    assert.equal(card.saved, false);
    const intent = await createIntent(wallet, 2500);
    const paid = await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken);
    assert.equal((await paid.json()).status, 'succeeded');
    await wallet.server.runWorkersNow();
    const after = await row(card.id);
    assert.ok(after.released_at, 'released once the payment was final');
    assert.ok(after.deleted_at, 'and removed');
    const charge = await chargeAtBank(bankApi(), card.bankToken, 'USD');
    assert.equal(charge.body.status, 'declined');
    assert.equal(charge.body.decline_code, 'card_declined');
    assert.ok(!(await listed()).includes(card.id));
  });

  test('one nobody paid with is released and removed by housekeeping after a session lifetime, not before', async () => {
    const card = await addCard(wallet, session.sessionToken, '4242424242424242', false);
    await wallet.server.runWorkersNow();
    assert.deepEqual(await row(card.id), { saved: 0, deleted_at: null, released_at: null }, 'its session may still pay with it');
    assert.equal((await chargeAtBank(bankApi(), card.bankToken, 'USD')).body.status, 'approved');

    wallet.clock.advance(SESSION_TTL_MS + 1);
    await wallet.server.runWorkersNow();
    const after = await row(card.id);
    assert.ok(after.deleted_at && after.released_at, JSON.stringify(after));
    assert.equal((await chargeAtBank(bankApi(), card.bankToken, 'USD')).body.status, 'declined');
  });

  test('a full wallet takes no one-time card either: 409 card_limit_reached, no card added', async () => {
    const intent = await createIntent(wallet);
    const full = await registerShopper(wallet, new SoftwareAuthenticator(), intent.client_secret, 'full@example.com');
    for (let i = 0; i < MAX_ACTIVE_CARDS - 1; i++) await addCard(wallet, full.sessionToken, '4242424242424242', true);
    await addCard(wallet, full.sessionToken, '4242424242424242', false);
    const body = { number: '4242424242424242', exp_month: 12, exp_year: new Date().getFullYear() + 2, cvc: '123', name: 'Ada Lovelace' };
    const rows = async () => Number((await wallet.query<{ n: number }>('SELECT count(*) AS n FROM cards WHERE shopper_id = ?', [full.shopper.id]))[0].n);
    assert.equal(await rows(), MAX_ACTIVE_CARDS);
    await expectError(await wallet.request('POST', '/api/frame/cards', { ...body, save: false }, bearer(full.sessionToken)), 409, 'card_limit_reached');
    await expectError(await wallet.request('POST', '/api/frame/cards', { ...body, save: true }, bearer(full.sessionToken)), 409, 'card_limit_reached');
    assert.equal(await rows(), MAX_ACTIVE_CARDS);
  });
});
