/**
 * End to end on the demo, in real Chromium with a virtual WebAuthn authenticator:
 * the shop (127.0.0.1) embeds the wallet frame (localhost), the wallet server
 * verifies passkeys and charges the sandbox bank (its own process) over HTTP.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Frame } from 'playwright-core';
import { closeDemoInChromium, startDemoInChromium } from './demo-in-chromium.ts';
import type { DemoStack } from './demo-stack.ts';
import {
  addCard,
  assertOrderPaidByWebhook,
  bankCharges,
  checkout,
  choose,
  createPasskey,
  events,
  pressAddCard,
  pressPay,
  retrieveIntent,
  waitForEvent,
} from './demo-shop-driver.ts';
import { addShopFooter, shopLayoutShift } from './shop-footer.ts';
import { addVirtualAuthenticator } from './virtual-authenticator.ts';

let stack: DemoStack;
let browser: Browser;

before(async () => ({ stack, browser } = await startDemoInChromium()));
after(() => closeDemoInChromium({ stack, browser }));

describe('checkout on the demo shop', () => {
  let context: BrowserContext;
  let authenticator: Awaited<ReturnType<typeof addVirtualAuthenticator>>;

  before(async () => {
    context = await browser.newContext();
    const page = await context.newPage();
    authenticator = await addVirtualAuthenticator(page);
  });
  after(() => context?.close());

  it('a new shopper creates a passkey, adds 4242…, and pays; the shop marks the order paid from the webhook', async () => {
    const { page, frame, paymentIntentId } = await checkout(stack, context);
    await createPasskey(frame, `ada-${Date.now()}@example.com`);
    await frame.getByLabel('Card number').waitFor();
    assert.equal(await authenticator.credentialCount(), 1, 'the passkey lives in the authenticator');
    await addCard(frame, '4242 4242 4242 4242');

    await assertConfirmScreen(frame, '$19.99', /4242/);
    const pay = frame.getByRole('button', { name: /^Pay / });
    assert.match((await pay.textContent())!, /\$19\.99/);
    await pressPay(pay);

    const success = await waitForEvent(page, 'paykey-success');
    assert.deepEqual(success.detail, { paymentIntentId, status: 'succeeded' });
    await frame.getByText('Payment complete').waitFor();
    await page.getByText('Demo Shop confirmed your payment on its server').waitFor();
    assert.equal((await retrieveIntent(stack, paymentIntentId)).status, 'succeeded');
    const charges = await bankCharges(stack, paymentIntentId);
    assert.equal(charges.length, 1, 'exactly one charge in the sandbox ledger');
    assert.deepEqual([charges[0].status, charges[0].amount, charges[0].currency], ['approved', 1999, 'USD']);

    // What the device keeps: the card's token and display details, never its number, CVC or a session.
    const cached = await frame.evaluate(
      () => new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('paykey');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('wallet').objectStore('wallet').getAll();
          all.onsuccess = () => resolve(JSON.stringify(all.result));
          all.onerror = () => reject(all.error);
        };
      }),
    );
    assert.match(cached, /"last4":"4242"/);
    assert.match(cached, /"bankToken":"[^"]+"/);
    assert.doesNotMatch(cached, /4242424242424242|4242 4242|cvc|sessionToken|number/i);

    // The shop's own record: Paykey's signed payment_intent.succeeded reached its webhook endpoint.
    await assertOrderPaidByWebhook(page);
  });

  it('a returning shopper on a new intent sees the saved card from IndexedDB and pays without re-entering it', async () => {
    const { page, frame, paymentIntentId } = await checkout(stack, context, 'Buy Matcha Set');
    const card = frame.getByRole('radio', { name: /Visa.*4242/ });
    await card.waitFor();
    assert.equal(await frame.getByLabel('Card number').count(), 0, 'no card form for a returning shopper');
    await pressPay(frame.getByRole('button', { name: /^Pay ¥3,200/ }));

    const success = await waitForEvent(page, 'paykey-success');
    assert.equal(success.detail?.paymentIntentId, paymentIntentId);
    assert.equal((await retrieveIntent(stack, paymentIntentId)).status, 'succeeded');
    const charges = await bankCharges(stack, paymentIntentId);
    assert.deepEqual(charges.map((c) => [c.status, c.amount, c.currency]), [['approved', 3200, 'JPY']]);
  });

  it('a returning shopper without the device cache signs in with "Continue with passkey" and pays', async () => {
    const first = await checkout(stack, context);
    await first.frame.evaluate(
      () => new Promise((resolve, reject) => {
        const request = indexedDB.deleteDatabase('paykey');
        request.onsuccess = resolve;
        request.onerror = () => reject(request.error);
        request.onblocked = resolve;
      }),
    );
    const { page, frame, paymentIntentId } = await checkout(stack, context);
    assert.equal(await frame.getByRole('radio').count(), 0, 'nothing cached: no cards before signing in');
    await frame.getByRole('button', { name: 'Continue with passkey' }).click();
    await frame.getByRole('radio', { name: /Visa.*4242/ }).waitFor();
    await pressPay(frame.getByRole('button', { name: /^Pay \$19\.99/ }));
    const success = await waitForEvent(page, 'paykey-success');
    assert.equal(success.detail?.paymentIntentId, paymentIntentId);
    assert.equal((await retrieveIntent(stack, paymentIntentId)).status, 'succeeded');
    assert.equal((await bankCharges(stack, paymentIntentId)).length, 1);
  });

  it('the decline card fails with card_declined and the intent is failed; another card then pays it', async () => {
    const { page, frame, paymentIntentId } = await checkout(stack, context);
    await pressAddCard(frame);
    await addCard(frame, '4000 0000 0000 0002');
    await choose(frame.getByRole('radio', { name: /0002/ }));
    await pressPay(frame.getByRole('button', { name: /^Pay / }));

    const error = await waitForEvent(page, 'paykey-error');
    assert.equal(error.detail?.code, 'card_declined');
    await frame.getByRole('button', { name: 'Try another card' }).waitFor();
    const intent = await retrieveIntent(stack, paymentIntentId);
    assert.equal(intent.status, 'failed');
    assert.equal(intent.last_error?.code, 'card_declined');
    assert.equal((await events(page)).filter((e) => e.type === 'paykey-success').length, 0);
    assert.deepEqual((await bankCharges(stack, paymentIntentId)).map((c) => c.status), ['declined']);

    // The shopper tries another card on the same intent: one more attempt, one approved charge.
    await frame.getByRole('button', { name: 'Try another card' }).click();
    await choose(frame.getByRole('radio', { name: /4242/ }));
    await pressPay(frame.getByRole('button', { name: /^Pay / }));
    const success = await waitForEvent(page, 'paykey-success');
    assert.equal(success.detail?.paymentIntentId, paymentIntentId);
    assert.equal((await retrieveIntent(stack, paymentIntentId)).status, 'succeeded');
    assert.deepEqual((await bankCharges(stack, paymentIntentId)).map((c) => c.status), ['declined', 'approved']);
  });
});

async function assertConfirmScreen(frame: Frame, amount: string, cardName: RegExp) {
  await frame.getByText('Demo Shop').first().waitFor();
  await frame.getByText(amount).first().waitFor();
  const radio = frame.getByRole('radio', { name: cardName });
  await radio.waitFor();
  assert.equal(await radio.isChecked(), true, 'the new card is selected');
}

describe('embedding rules', () => {
  it('refuses to show the wallet on a page whose origin the merchant did not register', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // Same shop, but as http://localhost:<port>: a different origin from the registered http://127.0.0.1:<port>.
      const unregistered = stack.shopUrl.replace('127.0.0.1', 'localhost');
      await page.goto(unregistered);
      await page.getByRole('button', { name: 'Buy Paykey Tee' }).click();
      await page.waitForURL(/\/orders\//);
      const error = await waitForEvent(page, 'paykey-error');
      assert.equal(error.detail?.code, 'frame_unavailable');
      assert.equal((await events(page)).some((e) => e.type === 'paykey-ready'), false, 'the wallet never became ready');
      const walletFrames = page.frames().filter((f) => f.url().startsWith(stack.walletUrl));
      for (const frame of walletFrames) {
        assert.equal(await frame.getByRole('button', { name: 'Continue with passkey' }).count(), 0, 'no wallet UI rendered');
      }
    } finally {
      await context.close();
    }
  });

  it("keeps the shop's content below the element nearly still as a new shopper's first screen shows", async () => {
    // A shop page with content of its own under the checkout (a footer): whatever the frame's box grows or shrinks by
    // when the first screen shows moves it, and counts in the shop's own layout shift (Core Web Vitals). The box starts
    // near a new shopper's first screen's height (the frame's starting height in `widget/loader/paykey-checkout.ts`).
    for (const [width, lang] of [[1280, 'en'], [1280, 'zh-CN'], [390, 'en']] as const) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      try {
        await addShopFooter(context, 200);
        const { page } = await checkout(stack, context, 'Buy Paykey Tee', lang);
        await page.waitForTimeout(500); // The first screen's height has reached the element (it comes with ready).
        const { value, footerMoved, frameHeight: height } = await shopLayoutShift(page);
        assert.ok(
          footerMoved <= 80,
          `${width} px, ${lang}: expected the shop's footer to move at most 80 px as the first screen (${height} px) showed, it moved ${footerMoved} px (layout shift ${value.toFixed(3)})`,
        );
      } finally {
        await context.close();
      }
    }
  });
});

describe("the frame's module cannot be downloaded", () => {
  it('the merchant page gets paykey-error frame_unavailable, from the boot inline in the frame page', async () => {
    const context = await browser.newContext();
    try {
      // The frame page arrives (with its boot); its one module does not.
      await context.route(/\/assets\/frame-[^/]+\.js$/, (route) => route.abort('connectionrefused'));
      const page = await context.newPage();
      await page.goto(stack.shopUrl);
      await page.getByRole('button', { name: 'Buy Paykey Tee' }).click();
      await page.waitForURL(/\/orders\//);
      const error = await waitForEvent(page, 'paykey-error');
      assert.equal(error.detail?.code, 'frame_unavailable');
      assert.equal((await events(page)).some((e) => e.type === 'paykey-ready'), false, 'the wallet never became ready');
    } finally {
      await context.close();
    }
  });
});

describe('logs', () => {
  it('the demo logged no card number, client secret or bank key while all of the above ran', () => {
    // After the start-up banner and the READY line, which name the test cards and the demo keys on purpose.
    const all = stack.output();
    const output = all.slice(all.indexOf('\n', all.indexOf('PAYKEY_DEMO_READY')));
    assert.match(output, /"event":"request"|"path":"\/api\/frame\/cards"/, 'the wallet logged its requests');
    for (const secret of ['4242424242424242', '4000000000000002', '4242 4242 4242 4242', '_secret_', stack.bankApiKey, stack.bankAdminKey]) {
      assert.equal(output.includes(secret), false, `the demo output contains ${JSON.stringify(secret)}`);
    }
  });
});
