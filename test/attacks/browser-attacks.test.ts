/**
 * Attacks in real Chromium on the demo (shop on 127.0.0.1, wallet on
 * localhost, the sandbox bank in its own process), with a virtual WebAuthn
 * authenticator: a passkey without user verification pays nothing; forged
 * postMessages to the loader (a fake `success`, wrong origin, wrong source
 * window, malformed shapes) and to the wallet frame (a forged `init` carrying
 * another intent's client secret) are ignored; a page on an origin the
 * merchant did not register cannot get a working wallet, not even by lying
 * about its origin in the frame URL, nor by opening the frame as a popup.
 * Every case ends with the intent as it was and no charge at the bank.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../support/chromium.ts';
import { startDemoStack, type DemoStack } from '../e2e/demo-stack.ts';
import { addCard, bankCharges, checkout, createPasskey, events, pressPay, retrieveIntent, waitForEvent, walletFrame } from '../e2e/demo-shop-driver.ts';
import { addVirtualAuthenticator } from '../e2e/virtual-authenticator.ts';

let stack: DemoStack;
let browser: Browser;
let context: BrowserContext;
let authenticator: Awaited<ReturnType<typeof addVirtualAuthenticator>>;
/** Every request any page or frame of the context sent: url, method, body. */
const requests: Array<{ url: string; method: string; body: string }> = [];

before(async () => {
  stack = await startDemoStack();
  browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
  // Tall enough that the wallet (and its alert) fits: the frame's clickjacking guard refuses a Pay it cannot fully see.
  context = await browser.newContext({ viewport: { width: 1280, height: 1600 } });
  context.on('request', (request) => requests.push({ url: request.url(), method: request.method(), body: request.postData() ?? '' }));
  const page = await context.newPage();
  authenticator = await addVirtualAuthenticator(page);
  // A shopper with a passkey and the 4242 card, as in the e2e checkout.
  const { frame } = await checkout(stack, context);
  await createPasskey(frame, `attacker-target-${Date.now()}@example.com`);
  await frame.getByLabel('Card number').waitFor();
  await addCard(frame, '4242 4242 4242 4242');
  await frame.getByRole('button', { name: /^Pay / }).waitFor();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

/** An intent made by the merchant's server, not shown anywhere: an attacker would love the shopper to pay it. */
async function createIntent(amount: number): Promise<{ id: string; client_secret: string }> {
  const res = await fetch(`${stack.walletUrl}/v1/payment_intents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.secretKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ amount, currency: 'USD', description: 'Attacker order' }),
  });
  assert.equal(res.status, 201);
  return res.json();
}

/** The intent is still unpaid and the bank never saw a charge for it. */
async function assertUntouched(paymentIntentId: string) {
  assert.equal((await retrieveIntent(stack, paymentIntentId)).status, 'requires_confirmation');
  assert.deepEqual(await bankCharges(stack, paymentIntentId), []);
}

const outcomeEvents = async (page: Page) => (await events(page)).filter((e) => ['paykey-success', 'paykey-error', 'paykey-processing', 'paykey-cancel'].includes(e.type));

/**
 * Presses Pay as a shopper does: in view, after the frame's clickjacking guard saw it settle (it ignores a press
 * within 600 ms of the button moving, and refuses one it last saw partly hidden).
 */

/** Lets forged messages arrive and anything they might trigger happen (a request, an event, a re-render). */
const settle = (page: Page) => page.waitForTimeout(1_500);

describe('user verification', () => {
  it('a passkey whose user is not verified (WebAuthn.setUserVerified false) pays nothing; verified again, it pays', async () => {
    const { page, frame, paymentIntentId } = await checkout(stack, context);
    const pay = frame.getByRole('button', { name: /^Pay / });
    await pay.waitFor();
    await authenticator.cdp.send('WebAuthn.setUserVerified', { authenticatorId: authenticator.authenticatorId, isUserVerified: false });
    const sentBefore = requests.length;
    try {
      await pressPay(pay);
      // The browser refuses the ceremony (UV is required) or the server refuses the assertion: the shopper sees why.
      await frame.getByRole('alert').filter({ hasText: /passkey/i }).waitFor({ timeout: 15_000 });
      const confirmations = requests.slice(sentBefore).filter((r) => r.url.endsWith('/api/frame/confirmations'));
      assert.deepEqual(confirmations, [], 'no assertion reached the server');
      assert.deepEqual(await outcomeEvents(page), []);
      await assertUntouched(paymentIntentId);
    } finally {
      await authenticator.cdp.send('WebAuthn.setUserVerified', { authenticatorId: authenticator.authenticatorId, isUserVerified: true });
    }
    // The control: the same shopper, verified, pays this very intent once.
    await pressPay(pay);
    assert.equal((await waitForEvent(page, 'paykey-success')).detail?.paymentIntentId, paymentIntentId);
    assert.equal((await bankCharges(stack, paymentIntentId)).length, 1);
  });
});

describe('forged postMessages to the loader', () => {
  it('a fake success, error, cancel or resize — from the page, a same-origin iframe, a second wallet-origin frame — and malformed shapes are ignored', async () => {
    const { page, paymentIntentId } = await checkout(stack, context);
    const forged = [
      { paykey: 1, type: 'success', paymentIntentId, status: 'succeeded' },
      { paykey: 1, type: 'processing', paymentIntentId, status: 'processing' },
      { paykey: 1, type: 'error', code: 'card_declined', message: 'forged' },
      { paykey: 1, type: 'cancel' },
      { paykey: 1, type: 'resize', height: 5 },
    ];
    const malformed: unknown[] = [
      null, 'success', 42, [], [{ paykey: 1, type: 'success' }], { type: 'success', paymentIntentId, status: 'succeeded' },
      { paykey: 2, type: 'success', paymentIntentId, status: 'succeeded' }, { paykey: '1', type: 'success', paymentIntentId, status: 'succeeded' },
      { paykey: 1, type: 'success' }, { paykey: 1, type: 'success', paymentIntentId: 5, status: {} }, { paykey: 1, type: 'resize', height: -1 },
      { paykey: 1, type: 'resize', height: 'Infinity' }, { paykey: 1, type: 'constructor' }, { paykey: 1, type: '__proto__' },
    ];
    // 1. The merchant page itself (any script on it): wrong origin, wrong window.
    await page.evaluate((messages) => messages.forEach((m) => window.postMessage(m, '*')), [...forged, ...malformed]);
    // 2. A same-origin iframe on the page: the merchant's origin, not the wallet's.
    await page.evaluate(() => {
      const sibling = document.createElement('iframe');
      sibling.name = 'sibling';
      sibling.srcdoc = '<!doctype html><title>sibling</title>';
      document.body.append(sibling);
      return new Promise((resolve) => sibling.addEventListener('load', resolve));
    });
    await page.frame('sibling')!.evaluate((messages) => messages.forEach((m) => parent.postMessage(m, '*')), forged);
    // 3. A second frame of the wallet origin (the same intent, genuine): the right origin, the wrong window.
    await page.evaluate((src) => {
      const second = document.createElement('iframe');
      second.name = 'second-wallet';
      second.src = src;
      document.body.append(second);
      return new Promise((resolve) => second.addEventListener('load', resolve));
    }, `${stack.walletUrl}/frame/${paymentIntentId}?origin=${encodeURIComponent(new URL(stack.shopUrl).origin)}`);
    const second = page.frame('second-wallet')!;
    assert.equal(new URL(second.url()).origin, stack.walletUrl, 'the second frame is on the wallet origin');
    await second.evaluate((messages) => messages.forEach((m) => parent.postMessage(m, '*')), forged);
    await settle(page);

    assert.deepEqual(await outcomeEvents(page), [], 'the loader relayed a forged message as an event');
    // The frame keeps the height the genuine wallet reports for itself (it may still grow as its screen settles), never 5 px.
    const applied = () => page.evaluate(() => (document.querySelector('paykey-checkout') as unknown as { frame: HTMLIFrameElement }).frame.style.height);
    const genuine = () => walletFrame(stack, page).evaluate(() => `${Math.ceil(document.querySelector('paykey-wallet')!.getBoundingClientRect().height)}px`);
    for (let tries = 0; tries < 40 && (await applied()) !== (await genuine()); tries++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.notEqual(await applied(), '5px', 'a forged resize was applied');
    assert.equal(await applied(), await genuine(), 'the frame has the height the genuine wallet reported');
    await assertUntouched(paymentIntentId);
  });
});

describe('forged postMessages to the wallet frame', () => {
  it("an init carrying another intent's client secret — from a same-origin sibling, a cross-origin iframe, malformed from the parent — is ignored", async () => {
    const { page, frame, paymentIntentId } = await checkout(stack, context);
    await frame.getByRole('button', { name: /^Pay \$19\.99/ }).waitFor();
    const attacker = await createIntent(99_999);
    const init = { paykey: 1, type: 'init', clientSecret: attacker.client_secret, locale: 'en' };
    const walletOrigin = stack.walletUrl;
    // 1. A same-origin sibling (the merchant's origin, not the parent window).
    await page.evaluate(() => {
      const sibling = document.createElement('iframe');
      sibling.name = 'sibling-init';
      sibling.srcdoc = '<!doctype html><title>sibling</title>';
      document.body.append(sibling);
      return new Promise((resolve) => sibling.addEventListener('load', resolve));
    });
    await page.frame('sibling-init')!.evaluate(
      ([message, origin]) => (parent.document.querySelector('paykey-checkout') as unknown as { frame: HTMLIFrameElement }).frame.contentWindow!.postMessage(message, origin as string),
      [init, walletOrigin] as const,
    );
    // 2. A cross-origin iframe (the shop under another host name): it can reach the frames of its parent, not their content.
    const foreign = stack.shopUrl.replace('127.0.0.1', 'localhost');
    await page.evaluate((src) => {
      const other = document.createElement('iframe');
      other.name = 'foreign';
      other.src = src;
      document.body.append(other);
      return new Promise((resolve) => other.addEventListener('load', resolve));
    }, foreign);
    await page.frame('foreign')!.evaluate((message) => {
      for (let i = 0; i < parent.frames.length; i += 1) parent.frames[i].postMessage(message, '*');
    }, init);
    // 3. Malformed inits from the parent window itself (the one window the frame listens to).
    await page.evaluate(
      ([secret, origin]) => {
        const target = (document.querySelector('paykey-checkout') as unknown as { frame: HTMLIFrameElement }).frame.contentWindow!;
        for (const message of [
          { paykey: 1, type: 'init', clientSecret: 123, locale: 'en' },
          { paykey: 1, type: 'init', clientSecret: [secret], locale: 'en' },
          { paykey: 2, type: 'init', clientSecret: secret, locale: 'en' },
          { type: 'init', clientSecret: secret, locale: 'en' },
          { paykey: 1, type: 'init', clientSecret: secret },
          `{"paykey":1,"type":"init","clientSecret":"${secret}","locale":"en"}`,
          null,
        ]) target.postMessage(message, origin);
      },
      [attacker.client_secret, walletOrigin] as const,
    );
    await settle(page);

    const leaked = requests.filter((r) => r.body.includes(attacker.client_secret));
    assert.deepEqual(leaked, [], "the frame used the forged init's client secret");
    assert.equal(await frame.getByText('$999.99').count(), 0, "the frame shows the attacker's amount");
    await frame.getByRole('button', { name: /^Pay \$19\.99/ }).waitFor({ timeout: 1_000 });
    assert.deepEqual(await outcomeEvents(page), []);
    await assertUntouched(paymentIntentId);
    await assertUntouched(attacker.id);
  });
});

describe('an origin the merchant did not register', () => {
  const unregistered = () => stack.shopUrl.replace('127.0.0.1', 'localhost');

  it('cannot frame the wallet, not even with the registered origin written into the frame URL', async () => {
    const target = await createIntent(1_999);
    const page = await context.newPage();
    try {
      await page.goto(unregistered());
      const registered = new URL(stack.shopUrl).origin;
      await page.evaluate((src) => {
        const frame = document.createElement('iframe');
        frame.name = 'lying';
        frame.src = src;
        document.body.append(frame);
        return new Promise((resolve) => frame.addEventListener('load', resolve));
      }, `${stack.walletUrl}/frame/${target.id}?origin=${encodeURIComponent(registered)}`);
      // frame-ancestors names the registered origins only: Chromium shows its error page instead of the wallet.
      const lying = page.frame('lying')!;
      assert.notEqual(new URL(lying.url()).origin, stack.walletUrl, `the wallet rendered in the frame (${lying.url()})`);
      await page.evaluate((secret) => document.querySelector<HTMLIFrameElement>('iframe[name=lying]')!.contentWindow!.postMessage({ paykey: 1, type: 'init', clientSecret: secret, locale: 'en' }, '*'), target.client_secret);
      await settle(page);
      assert.deepEqual(requests.filter((r) => r.body.includes(target.client_secret)), [], 'the wallet was initialized');
      await assertUntouched(target.id);
    } finally {
      await page.close();
    }
  });

  it('cannot initialize the wallet opened as a popup (a top-level wallet page listens to no opener)', async () => {
    const target = await createIntent(1_999);
    const page = await context.newPage();
    try {
      await page.goto(unregistered());
      const registered = new URL(stack.shopUrl).origin;
      const [popup] = await Promise.all([
        context.waitForEvent('page'),
        page.evaluate((src) => {
          (window as unknown as { walletPopup: Window | null }).walletPopup = window.open(src, 'wallet-popup');
        }, `${stack.walletUrl}/frame/${target.id}?origin=${encodeURIComponent(registered)}`),
      ]);
      await popup.waitForLoadState('load');
      await page.evaluate((secret) => {
        const popup = (window as unknown as { walletPopup: Window }).walletPopup;
        popup.postMessage({ paykey: 1, type: 'init', clientSecret: secret, locale: 'en' }, '*');
      }, target.client_secret);
      await settle(page);
      assert.deepEqual(requests.filter((r) => r.body.includes(target.client_secret)), [], 'the popup was initialized by its opener');
      assert.equal(await popup.getByRole('button', { name: /^Pay / }).count(), 0);
      await popup.close();
      await assertUntouched(target.id);
    } finally {
      await page.close();
    }
  });

  it('the loader on that page reports frame_unavailable and never shows the wallet (the embedding check as the merchant sees it)', async () => {
    const page = await context.newPage();
    try {
      await page.goto(unregistered());
      await page.getByRole('button', { name: 'Buy Paykey Tee' }).click();
      await page.waitForURL(/\/orders\//);
      const paymentIntentId = (await page.locator('[data-payment-intent]').getAttribute('data-payment-intent'))!;
      assert.equal((await waitForEvent(page, 'paykey-error')).detail?.code, 'frame_unavailable');
      assert.equal((await events(page)).some((e) => e.type === 'paykey-ready'), false);
      await assertUntouched(paymentIntentId);
    } finally {
      await page.close();
    }
  });
});
