/**
 * BIN routing: a card number is tokenized at the partner bank declaring the longest prefix of it (real HTTP to the
 * sandbox bank's and Lotus Bank's own processes), and a number no bank issues is refused before any bank sees it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SessionResponse } from '../../widget/shopper-api.ts';
import { chargeAtBank } from '../support/charge-at-bank.ts';
import { addCard, bearer, createIntent, expectError, registerShopper } from '../support/frame-client.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { startTestBank, type TestBank } from '../support/test-bank.ts';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';

let bank: TestBank;
let wallet: TestWallet;
let session: SessionResponse;

before(async () => {
  bank = await startTestBank();
  wallet = await startTestWallet({ bank: bank.config, lotus: true });
  const intent = await createIntent(wallet);
  session = await registerShopper(wallet, new SoftwareAuthenticator(), intent.client_secret, 'routing@example.com');
});
after(async () => {
  await wallet?.close();
  await bank?.close();
});

describe('BIN routing', () => {
  test('a Lotus Bank number is tokenized at Lotus Bank: its CNY card, under its name in both languages', async () => {
    const card = await addCard(wallet, session.sessionToken, '5555555555554444');
    assert.equal(card.bank, 'lotus');
    assert.equal(card.currency, 'CNY');
    assert.deepEqual(card.bankName, { en: 'Lotus Bank', 'zh-CN': '莲花银行' });
    assert.equal(card.last4, '4444');
    assert.equal(card.brand, 'mastercard');
    assert.deepEqual(await wallet.query('SELECT bank, currency FROM cards WHERE id = ?', [card.id]), [{ bank: 'lotus', currency: 'CNY' }]);
    // The token is Lotus Bank's: Lotus charges it, the sandbox bank never issued it.
    const lotus = { url: wallet.lotus!.url, apiKey: wallet.lotus!.apiKey };
    assert.equal((await chargeAtBank(lotus, card.bankToken, 'CNY')).body.status, 'approved');
    assert.equal((await chargeAtBank({ url: bank.url, apiKey: bank.apiKey }, card.bankToken, 'USD')).status, 404);
  });

  test("Lotus Bank's other BIN (510510) goes there too; a 5… number outside its BINs goes to the sandbox bank", async () => {
    assert.equal((await addCard(wallet, session.sessionToken, '5105105105105100')).bank, 'lotus');
    const other = await addCard(wallet, session.sessionToken, '5200828282828210');
    assert.equal(other.bank, 'sandbox');
    assert.equal(other.currency, null);
  });

  test("a sandbox number is tokenized at the sandbox bank, charged in the payment's currency (no card currency)", async () => {
    const card = await addCard(wallet, session.sessionToken, '4242424242424242');
    assert.equal(card.bank, 'sandbox');
    assert.equal(card.currency, null);
    assert.equal((await chargeAtBank({ url: bank.url, apiKey: bank.apiKey }, card.bankToken, 'USD')).body.status, 'approved');
    const listed = await (await wallet.request('GET', '/api/frame/cards', undefined, bearer(session.sessionToken))).json();
    assert.deepEqual(
      // Sorted: the harness's clock stands still, so the cards share one created_at and the engines order ties differently.
      listed.cards.map((c: { bank: string; last4: string; currency: string | null }) => `${c.bank} ${c.last4} ${c.currency}`).sort(),
      ['lotus 4444 CNY', 'lotus 5100 CNY', 'sandbox 4242 null', 'sandbox 8210 null'],
    );
  });

  test('a number no partner bank issues is refused with card_not_supported, naming its leading digits only', async () => {
    const before = await wallet.query<{ n: number }>('SELECT count(*) AS n FROM cards');
    const number = '9012 3456 7890 1234';
    const res = await wallet.request(
      'POST',
      '/api/frame/cards',
      { number, exp_month: 12, exp_year: new Date().getFullYear() + 2, cvc: '123', name: 'Ada Lovelace', save: true },
      bearer(session.sessionToken),
    );
    const text = await res.clone().text();
    await expectError(res, 422, 'card_not_supported');
    assert.match(text, /starting 901234/);
    assert.ok(!text.includes('9012345678901234'), 'the whole number is never echoed');
    assert.deepEqual(await wallet.query<{ n: number }>('SELECT count(*) AS n FROM cards'), before, 'no card row');
    assert.ok(!wallet.logs.some((line) => line.includes('9012345678901234') || line.includes('7890 1234')), 'nor logged');
  });
});
