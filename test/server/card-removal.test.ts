/**
 * "Manage cards" → Remove: the card leaves the shopper's list at once and its token is released at the bank (the
 * bank then declines it: checked over HTTP against the sandbox bank's own process). A bank outage, or a charge
 * with the card still in flight, only delays the release: housekeeping retries it until the bank confirms.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BankTransportError, type BankAdapter } from '../../server/adapters/bank-adapter.ts';
import { createBankRegistry } from '../../server/adapters/registry.ts';
import { createSandboxBankAdapter } from '../../server/adapters/sandbox-bank.ts';
import type { SavedCard, SessionResponse } from '../../widget/shopper-api.ts';
import { chargeAtBank } from '../support/charge-at-bank.ts';
import { addCard, bearer, createIntent, expectError, getIntent, pay, registerShopper } from '../support/frame-client.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { startTestBank, type TestBank } from '../support/test-bank.ts';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';

let bank: TestBank;
let wallet: TestWallet;
/** The link to the bank: token releases and/or charges fail as an outage would (nothing reaches the bank). */
const down = { release: false, charge: false };
let releaseCalls = 0;
const authenticator = new SoftwareAuthenticator();
let ada: SessionResponse;

before(async () => {
  bank = await startTestBank();
  const real = createSandboxBankAdapter({ baseUrl: bank.url, apiKey: bank.apiKey });
  const link: BankAdapter = {
    ...real,
    async releaseToken(token) {
      releaseCalls += 1;
      if (down.release) throw new BankTransportError('connection refused (test)');
      return real.releaseToken(token);
    },
    async charge(request) {
      if (down.charge) throw new BankTransportError('connection refused (test)');
      return real.charge(request);
    },
    async lookupCharge(reference) {
      if (down.charge) throw new BankTransportError('connection refused (test)');
      return real.lookupCharge(reference);
    },
  };
  wallet = await startTestWallet({ banks: createBankRegistry([link]) });
  const intent = await createIntent(wallet);
  ada = await registerShopper(wallet, authenticator, intent.client_secret, 'remove@example.com');
});
after(async () => {
  await wallet?.close();
  await bank?.close();
});

const bankApi = () => ({ url: bank.url, apiKey: bank.apiKey });
const listed = async (token: string) =>
  ((await (await wallet.request('GET', '/api/frame/cards', undefined, bearer(token))).json()).cards as SavedCard[]).map((card) => card.id);
const releasedAt = async (cardId: string) => (await wallet.query<{ released_at: string | null }>('SELECT released_at FROM cards WHERE id = ?', [cardId]))[0].released_at;
const remove = (cardId: string, token = ada.sessionToken) => wallet.request('DELETE', `/api/frame/cards/${cardId}`, undefined, bearer(token));

describe('removing a card', () => {
  test('the card leaves the list and its token is released at the bank, which then declines it', async () => {
    const kept = await addCard(wallet, ada.sessionToken);
    const card = await addCard(wallet, ada.sessionToken, '5200828282828210');
    assert.equal((await chargeAtBank(bankApi(), card.bankToken, 'USD')).body.status, 'approved', 'live before');

    assert.equal((await remove(card.id)).status, 204);
    assert.deepEqual(await listed(ada.sessionToken), [kept.id]);
    assert.ok(await releasedAt(card.id));
    const after = await chargeAtBank(bankApi(), card.bankToken, 'USD');
    assert.equal(after.body.status, 'declined');
    assert.equal(after.body.decline_code, 'card_declined');
    assert.equal((await chargeAtBank(bankApi(), kept.bankToken, 'USD')).body.status, 'approved', 'the other card is untouched');

    // Gone is gone: removing it again, or paying with it, finds no card.
    await expectError(await remove(card.id), 404, 'resource_missing');
    const intent = await createIntent(wallet);
    const quote = await wallet.request('POST', '/api/frame/quotes', { client_secret: intent.client_secret, card_id: card.id }, bearer(ada.sessionToken));
    assert.equal(quote.status, 404, await quote.clone().text());
  });

  test("a bank outage: the card is removed at once, the token released by housekeeping once the bank is back", async () => {
    const card = await addCard(wallet, ada.sessionToken, '5200828282828210');
    down.release = true;
    try {
      const calls = releaseCalls;
      assert.equal((await remove(card.id)).status, 204);
      assert.ok(releaseCalls > calls, 'the release was tried at once');
      assert.ok(!(await listed(ada.sessionToken)).includes(card.id), 'removed from the list all the same');
      assert.equal(await releasedAt(card.id), null, 'not released while the bank has not said so');
      assert.ok(wallet.logs.some((line) => line.includes('card_token_release_failed') && line.includes(card.id)));
      await wallet.server.runWorkersNow();
      assert.equal(await releasedAt(card.id), null, 'still down: still waiting');
    } finally {
      down.release = false;
    }
    assert.equal((await chargeAtBank(bankApi(), card.bankToken, 'USD')).body.status, 'approved', 'the token is still live at the bank');
    await wallet.server.runWorkersNow();
    assert.ok(await releasedAt(card.id), 'released on the next pass');
    assert.equal((await chargeAtBank(bankApi(), card.bankToken, 'USD')).body.status, 'declined');
  });

  test('a charge with the card still in flight settles first; the token is released after it', async () => {
    const card = await addCard(wallet, ada.sessionToken, '5200828282828210');
    const intent = await createIntent(wallet, 1250);
    down.charge = true;
    try {
      const res = await pay(wallet, authenticator, intent.client_secret, card.id, ada.sessionToken);
      assert.equal((await res.json()).status, 'processing');
      assert.equal((await remove(card.id)).status, 204);
      assert.equal(await releasedAt(card.id), null, 'no release while the charge is pending');
    } finally {
      down.charge = false;
    }
    // The outbox retries the charge once its backoff is over (it asks the bank first, then sends it).
    wallet.clock.advance(5 * 60_000);
    await wallet.server.runWorkersNow();
    assert.equal((await getIntent(wallet, intent.id)).status, 'succeeded', 'the charge went through with the token');
    assert.ok(await releasedAt(card.id), 'then the token was released');
    assert.equal((await chargeAtBank(bankApi(), card.bankToken, 'USD')).body.status, 'declined');
  });

  test("another shopper's card cannot be removed: 404, and it stays theirs and live", async () => {
    const intent = await createIntent(wallet);
    const grace = await registerShopper(wallet, new SoftwareAuthenticator(), intent.client_secret, 'grace@example.com');
    const hers = await addCard(wallet, grace.sessionToken);
    await expectError(await remove(hers.id), 404, 'resource_missing');
    assert.deepEqual(await listed(grace.sessionToken), [hers.id]);
    assert.equal(await releasedAt(hers.id), null);
    await expectError(await wallet.request('DELETE', `/api/frame/cards/${hers.id}`), 401, 'authentication_required');
  });
});
