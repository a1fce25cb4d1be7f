/**
 * A whole payment in Chinese on the demo, in real Chromium: the shopper picks 中文 on the shop (`/?lang=zh-CN`, so
 * the order page renders `<paykey-checkout locale="zh-CN">` while the browser itself is English), buys Longjing Tea
 * 龙井茶 in CNY and pays with Lotus Bank's (莲花银行) card, finding every control by the exact Chinese name —
 * as a merchant's own tests would. Then Lotus's decline card fails with `card_declined`, said in Chinese.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { closeDemoInChromium, startDemoInChromium } from './demo-in-chromium.ts';
import type { DemoStack } from './demo-stack.ts';
import {
  addCard,
  bankCharges,
  checkout,
  createPasskeyInChinese,
  formatMoney,
  lotusBank,
  pressAddCard,
  pressPay,
  retrieveIntent,
  waitForEvent,
} from './demo-shop-driver.ts';
import { addVirtualAuthenticator } from './virtual-authenticator.ts';
import { frameText } from './wallet-frame-probe.ts';

let stack: DemoStack;
let browser: Browser;

before(async () => ({ stack, browser } = await startDemoInChromium()));
after(() => closeDemoInChromium({ stack, browser }));

const TEA = 'Buy Longjing Tea 龙井茶';
/** Longjing Tea's price: ¥68.00 (6800 fen). */
const TEA_PRICE = { amount: 6800, currency: 'CNY' };
const HAN = /[\u4e00-\u9fff]/;

describe('中文 checkout: Longjing Tea in CNY with a Lotus Bank card', () => {
  let context: BrowserContext;

  before(async () => {
    // The browser prefers English: the language comes from the shop's locale attribute alone.
    context = await browser.newContext({ locale: 'en-US' });
    await addVirtualAuthenticator(await context.newPage());
  });
  after(() => context?.close());

  it('a new shopper creates a passkey, adds 5555 5555 5555 4444 and pays ¥68.00, every control found by its Chinese name', async () => {
    const { page, frame, paymentIntentId } = await checkout(stack, context, TEA, 'zh-CN');
    assert.equal(await page.locator('paykey-checkout').getAttribute('locale'), 'zh-CN');
    assert.equal(await frame.evaluate(() => document.documentElement.lang), 'zh-CN', 'the frame document says it is Chinese');
    assert.match(await frame.evaluate(() => document.title), /钱包/, 'the frame document title is translated');

    // The first screen.
    await frame.getByRole('button', { name: '使用通行密钥继续' }).waitFor();
    await frame.getByRole('button', { name: '取消' }).waitFor();
    await createPasskeyInChinese(frame, `li-${Date.now()}@example.com`);

    // The card form: the names, and "保存银行卡" unticked until the shopper ticks it.
    for (const label of ['卡号', '有效期', '安全码', '持卡人姓名']) await frame.getByLabel(label, { exact: true }).waitFor();
    await addCard(frame, '5555 5555 5555 4444', { lang: 'zh-CN', save: true });

    // The confirm screen: Lotus Bank's card, the amount in yuan, formatted for zh-CN.
    const price = formatMoney(TEA_PRICE.amount, TEA_PRICE.currency, 'zh-CN');
    await frame.getByText('莲花银行').first().waitFor();
    await frame.getByRole('radio', { name: /4444/ }).waitFor();
    // Pay names the amount once the card's terms are in (it says only 支付 while they load).
    const pay = frame.getByRole('button', { name: new RegExp(`^支付\\s*${price.replace(/[.$]/g, '\\$&')}`) });
    await pay.waitFor();
    await frame.getByRole('button', { name: '取消' }).waitFor();
    await pressPay(pay);

    const success = await waitForEvent(page, 'paykey-success');
    assert.deepEqual(success.detail, { paymentIntentId, status: 'succeeded' });
    await frame.getByRole('heading', { name: '支付成功' }).waitFor();
    assert.equal((await retrieveIntent(stack, paymentIntentId)).status, 'succeeded');
    // Lotus Bank charged the yuan as they are: no conversion, no fee.
    const charges = await bankCharges(stack, paymentIntentId, lotusBank(stack));
    assert.deepEqual(
      charges.map((c) => [c.status, c.amount, c.currency, c.fx_quote_id ?? null]),
      [['approved', TEA_PRICE.amount, TEA_PRICE.currency, null]],
    );
    assert.deepEqual(await bankCharges(stack, paymentIntentId), [], 'nothing at the sandbox bank');
  });

  it(
    '5105 1051 0510 5100 declines with card_declined, and the shopper reads why in Chinese',
    async () => {
      const { page, frame, paymentIntentId } = await checkout(stack, context, TEA, 'zh-CN');
      // A returning shopper: the saved Lotus card is there; they add the decline card for this payment only.
      await frame.getByRole('radio', { name: /4444/ }).waitFor();
      await pressAddCard(frame, 'zh-CN');
      await addCard(frame, '5105 1051 0510 5100', { lang: 'zh-CN', save: false });
      const declineCard = frame.getByRole('radio', { name: /5100/ });
      await declineCard.waitFor();
      assert.equal(await declineCard.isChecked(), true, 'the card just added is selected');
      await pressPay(frame.getByRole('button', { name: /^支付/ }));

      const error = await waitForEvent(page, 'paykey-error');
      assert.equal(error.detail?.code, 'card_declined');
      // The shopper reads why in Chinese: the failure screen, its reason included, has no English sentence.
      await frame.getByRole('heading', { name: '支付未完成', level: 1 }).waitFor();
      await frame.getByRole('button', { name: '换一张卡' }).waitFor();
      const shown = await frameText(frame);
      assert.match(shown, HAN);
      assert.doesNotMatch(shown, /\b(card|declined|was|the)\b/i, `the 中文 failure screen says it in English:\n${shown}`);

      const intent = await retrieveIntent(stack, paymentIntentId);
      assert.deepEqual([intent.status, intent.last_error?.code], ['failed', 'card_declined']);
      assert.deepEqual(
        (await bankCharges(stack, paymentIntentId, lotusBank(stack))).map((c) => [c.status, c.amount, c.currency, c.decline_code]),
        [['declined', TEA_PRICE.amount, TEA_PRICE.currency, 'card_declined']],
      );
  },
  );
});
