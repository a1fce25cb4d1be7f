/**
 * Pay by bank end to end on the demo (`demo/start.ts`, with Meridian Bank in its own process), in real Chromium with a
 * virtual WebAuthn authenticator: the shop's pound product (and pages on the shop's origin embedding GBP intents); the shopper
 * chooses "Pay by bank", confirms with the passkey, and approves (or rejects) in Meridian's window.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../support/chromium.ts';
import { startDemoStack, type DemoStack } from './demo-stack.ts';
import { checkout, choose, createPasskey, pressPay, retrieveIntent, waitForEvent, walletFrame } from './demo-shop-driver.ts';
import { addVirtualAuthenticator } from './virtual-authenticator.ts';

let stack: DemoStack;
let browser: Browser;

before(async () => {
  stack = await startDemoStack();
  assert.match(stack.output(), /Meridian Bank\s+http/, `expected Meridian Bank to run with the demo:\n${stack.output()}`);
  browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

async function gbpIntent(amount: number): Promise<{ id: string; client_secret: string }> {
  const res = await fetch(`${stack.walletUrl}/v1/payment_intents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.secretKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ amount, currency: 'GBP', description: 'Paykey Tee (UK)' }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return res.json();
}

/**
 * The shop's page (an allowed origin, served by the shop itself) turned into a checkout for this intent: the same
 * loader script tag and element the shop's order page has, every paykey-* event recorded in `window.paykeyEvents`.
 */
async function openCheckout(context: BrowserContext, clientSecret: string): Promise<Page> {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(stack.shopUrl);
  await page.evaluate(
    ({ walletUrl, secret }) => {
      const recorded: Array<{ type: string; detail: unknown }> = [];
      (window as unknown as { paykeyEvents: typeof recorded }).paykeyEvents = recorded;
      for (const type of ['paykey-ready', 'paykey-success', 'paykey-error', 'paykey-processing', 'paykey-cancel']) {
        document.addEventListener(type, (event) => recorded.push({ type, detail: (event as CustomEvent).detail ?? null }));
      }
      const checkout = document.createElement('paykey-checkout');
      checkout.setAttribute('client-secret', secret);
      checkout.setAttribute('locale', 'en');
      document.body.replaceChildren(checkout);
      const script = document.createElement('script');
      script.type = 'module';
      script.src = `${walletUrl}/paykey.js`;
      document.head.append(script);
    },
    { walletUrl: stack.walletUrl, secret: clientSecret },
  );
  await waitForEvent(page, 'paykey-ready');
  return page;
}

/** New shopper: passkey, then "Pay by bank" → Pay; returns the bank's window. */
async function payByBank(context: BrowserContext, page: Page): Promise<Page> {
  const frame = walletFrame(stack, page);
  await createPasskey(frame, `bank-${Date.now()}@example.com`);
  const choice = frame.getByRole('radio', { name: 'Pay by bank with Meridian Bank' });
  await choose(choice);
  const bankWindow = await pressPayForBankWindow(context, frame);
  await bankWindow.getByRole('button', { name: 'Approve' }).waitFor({ timeout: 20_000 });
  return bankWindow;
}

/**
 * Pay, and the bank's window it opens. Pay ignores presses for a moment after the screen changes (the clickjacking
 * guard, which a re-render right after `pressPay` saw it pressable can restart): a person whose press did nothing
 * presses again — only a press that starts the payment opens a window, so a second window never opens.
 */
async function pressPayForBankWindow(context: BrowserContext, frame: Frame): Promise<Page> {
  const pay = frame.getByRole('button', { name: /^Pay £/ });
  for (let attempt = 0; ; attempt++) {
    const popup = context.waitForEvent('page', { timeout: 3_000 });
    await pressPay(pay);
    try {
      return await popup;
    } catch (error) {
      if (attempt >= 2 || (await pay.getAttribute('aria-disabled')) === 'true') throw error;
    }
  }
}

describe('pay by bank on the demo (Meridian Bank)', () => {
  let context: BrowserContext;
  before(async () => {
    context = await browser.newContext();
    await addVirtualAuthenticator(await context.newPage());
  });
  after(() => context?.close());

  it('the shop\'s pound product: "Pay by bank" → passkey → Meridian\'s window → Approve: paykey-success, the intent succeeded', async () => {
    const { page, paymentIntentId } = await checkout(stack, context, 'Buy Paykey Mug');
    const intent = { id: paymentIntentId };
    const bankWindow = await payByBank(context, page);
    await bankWindow.getByText('£12.50').first().waitFor();
    await bankWindow.getByRole('button', { name: 'Approve' }).click();
    const success = await waitForEvent(page, 'paykey-success', 30_000);
    assert.deepEqual(success.detail, { paymentIntentId: intent.id, status: 'succeeded' });
    await walletFrame(stack, page).getByText('Payment complete').waitFor();
    assert.equal((await retrieveIntent(stack, intent.id)).status, 'succeeded');
  });
});

describe('pay by bank, refused at the bank', () => {
  let context: BrowserContext;
  before(async () => {
    context = await browser.newContext();
    await addVirtualAuthenticator(await context.newPage());
  });
  after(() => context?.close());

  it('Reject in Meridian\'s window: paykey-error consent_rejected, nothing paid', async () => {
    const intent = await gbpIntent(990);
    const page = await openCheckout(context, intent.client_secret);
    const bankWindow = await payByBank(context, page);
    await bankWindow.getByRole('button', { name: 'Reject' }).click();
    const error = await waitForEvent(page, 'paykey-error', 30_000);
    assert.equal(error.detail?.code, 'consent_rejected');
    const retrieved = await retrieveIntent(stack, intent.id);
    assert.equal(retrieved.status, 'failed');
    assert.equal(retrieved.last_error?.code, 'consent_rejected');
  });
});

describe('pay by bank, window closed before approving', () => {
  let context: BrowserContext;
  before(async () => {
    context = await browser.newContext();
    await addVirtualAuthenticator(await context.newPage());
  });
  after(() => context?.close());

  it("the shopper closes Meridian's window: paykey-error consent_window_closed, nothing paid; paying by bank again then works", async () => {
    const intent = await gbpIntent(450);
    const page = await openCheckout(context, intent.client_secret);
    const bankWindow = await payByBank(context, page);
    await bankWindow.close();
    const error = await waitForEvent(page, 'paykey-error', 30_000);
    assert.equal(error.detail?.code, 'consent_window_closed');
    assert.equal((await retrieveIntent(stack, intent.id)).last_error?.code, 'consent_window_closed');

    assert.equal((await retrieveIntent(stack, intent.id)).status, 'failed');

    // The shopper may pay by bank again in the same checkout.
    const frame = walletFrame(stack, page);
    await frame.getByRole('button', { name: 'Try another card' }).click();
    await choose(frame.getByRole('radio', { name: 'Pay by bank with Meridian Bank' }));
    const again = await pressPayForBankWindow(context, frame);
    await again.getByRole('button', { name: 'Approve' }).click();
    await waitForEvent(page, 'paykey-success', 30_000);
    assert.equal((await retrieveIntent(stack, intent.id)).status, 'succeeded');
  });
});

// Runs last (tests run in file order): everything the payments above exchanged with Meridian.
describe('Meridian Bank validated every message of these payments', () => {
  it('no request or answer broke the official Open Banking v4.0 document', async () => {
    assert.ok(stack.meridian, 'the demo runs Meridian Bank and names it in its READY line');
    const res = await fetch(`${stack.meridian.url}/admin/validation-failures`, { headers: { authorization: `Bearer ${stack.meridian.adminKey}` } });
    assert.equal(res.status, 200);
    const log = (await res.json()) as { checked: number; failures: unknown[] };
    assert.ok(log.checked > 0, `expected Meridian to have checked the payments' messages, it checked ${log.checked}`);
    assert.deepEqual(log.failures, []);
  });
});
