/**
 * Finding #9 (clickjacking), end to end on the demo in real Chromium: the shop's page (127.0.0.1) styles the real
 * wallet frame (localhost) as a hostile registered merchant would — nearly transparent over a decoy, or under a decoy
 * that lets clicks through — and a real mouse click lands on Pay. The wallet refuses it (`paykey-error`
 * `frame_obscured`) and the server never hears of a confirmation; a click right after the frame reappears or changes
 * size is ignored; a click once it has been visible and still for a moment pays, once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Frame, Locator, Page } from 'playwright-core';
import { closeDemoInChromium, startDemoInChromium } from './demo-in-chromium.ts';
import type { DemoStack } from './demo-stack.ts';
import { addCard, bankCharges, checkout, createPasskey, events, retrieveIntent, scrollToMiddle, waitForEvent } from './demo-shop-driver.ts';
import { addVirtualAuthenticator } from './virtual-authenticator.ts';

let stack: DemoStack;
let browser: Browser;

before(async () => ({ stack, browser } = await startDemoInChromium()));
after(() => closeDemoInChromium({ stack, browser }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Requests the wallet server logged for the passkey confirmation of a payment (options or the assertion). */
const confirmationRequests = () => stack.output().match(/"path":"\/api\/frame\/confirmations/g)?.length ?? 0;

/** Polls Pay's `aria-disabled` until it is `value` (the wallet dims Pay while a press would be ignored). */
async function payDisabled(pay: Locator, value: 'true' | 'false') {
  for (let i = 0; i < 100; i++) {
    if ((await pay.getAttribute('aria-disabled')) === value) return;
    await sleep(20);
  }
  assert.fail(`expected Pay's aria-disabled to become ${value} within 2 s, it is ${await pay.getAttribute('aria-disabled')}`);
}

/** A real mouse click at the centre of Pay, in page coordinates: whatever the page put there gets it, as for a person. */
async function clickAt(page: Page, pay: Locator) {
  const box = await pay.boundingBox();
  assert.ok(box, 'Pay has a box on the page');
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

/** Sets a style on the merchant page's <paykey-checkout>, as the page's own CSS could. */
function styleCheckout(page: Page, style: Record<string, string>) {
  return page.evaluate((s) => Object.assign(document.querySelector<HTMLElement>('paykey-checkout')!.style, s), style);
}

describe('a merchant page that hides or covers the wallet frame', () => {
  let page: Page;
  let frame: Frame;
  let pay: Locator;
  let paymentIntentId: string;

  before(async () => {
    const context = await browser.newContext();
    await addVirtualAuthenticator(await context.newPage());
    ({ page, frame, paymentIntentId } = await checkout(stack, context));
    await createPasskey(frame, `eve-target-${Date.now()}@example.com`);
    await addCard(frame, '4242 4242 4242 4242');
    pay = frame.getByRole('button', { name: /^Pay \$19\.99/ });
    await pay.waitFor();
    // Sandbox Bank's cashback on the tee arrives after Pay first shows and makes the screen taller (Pay below the fold
    // of a 720 px window, where a click at its centre lands on nothing): attack the settled screen, Pay in view.
    await frame.getByText(/cashback/i).first().waitFor();
    await scrollToMiddle(pay);
    await payDisabled(pay, 'false');
  });

  const obscuredErrors = async () => (await events(page)).filter((e) => e.type === 'paykey-error' && e.detail?.code === 'frame_obscured');

  async function assertNothingPaid() {
    assert.equal(confirmationRequests(), 0, 'the server saw no confirmation request');
    assert.equal((await retrieveIntent(stack, paymentIntentId)).status, 'requires_confirmation');
    assert.deepEqual(await bankCharges(stack, paymentIntentId), [], 'nothing charged');
    assert.equal((await events(page)).some((e) => e.type === 'paykey-success' || e.type === 'paykey-processing'), false);
  }

  it('at opacity 0.001 over a decoy, a click on Pay is refused: paykey-error frame_obscured, nothing sent, nothing charged', async () => {
    await page.evaluate(() => {
      const decoy = Object.assign(document.createElement('button'), { id: 'decoy', textContent: 'Claim your free prize' });
      const host = document.querySelector<HTMLElement>('paykey-checkout')!;
      host.before(decoy);
      Object.assign(decoy.style, { position: 'absolute', zIndex: '0', width: `${host.offsetWidth}px`, height: `${host.offsetHeight}px` });
      Object.assign(host.style, { position: 'relative', zIndex: '1' });
    });
    await styleCheckout(page, { opacity: '0.001' });
    await sleep(300); // IntersectionObserver v2 reports at most every 100 ms
    await clickAt(page, pay);
    const error = await waitForEvent(page, 'paykey-error');
    assert.equal(error.detail?.code, 'frame_obscured');
    assert.match(String(error.detail?.message), /hidden or covered/);
    await frame.getByRole('alert').getByText('Pay was hidden or covered, so nothing was paid.').waitFor();
    await assertNothingPaid();
  });

  it('under an element that lets clicks through (pointer-events: none), a click on Pay is refused the same way', async () => {
    await styleCheckout(page, { opacity: '' });
    await page.evaluate(() => {
      const host = document.querySelector<HTMLElement>('paykey-checkout')!;
      const r = host.getBoundingClientRect();
      const cover = Object.assign(document.createElement('div'), { id: 'cover', textContent: 'Spin the wheel!' });
      Object.assign(cover.style, {
        position: 'absolute', left: `${r.left + scrollX}px`, top: `${r.top + scrollY}px`, width: `${r.width}px`, height: `${r.height}px`,
        background: '#ffd', zIndex: '10', pointerEvents: 'none',
      });
      document.body.append(cover);
    });
    await sleep(300);
    await clickAt(page, pay);
    for (let i = 0; (await obscuredErrors()).length < 2; i++) {
      assert.ok(i < 100, 'a second paykey-error frame_obscured within 2 s');
      await sleep(20);
    }
    await assertNothingPaid();
  });

  it('a click right after the frame is uncovered, or right after it changes size, is ignored; a moment later Pay pays once', async () => {
    const refusals = (await obscuredErrors()).length;
    await page.evaluate(() => document.getElementById('cover')!.remove());
    // The refusal's message made the frame taller: Pay's row now ends below the fold, which also counts as not visible.
    await page.evaluate(() => document.querySelector('paykey-checkout')!.scrollIntoView({ block: 'end' }));
    await payDisabled(pay, 'true'); // it became visible: Pay waits a moment
    await clickAt(page, pay);
    await payDisabled(pay, 'false');
    await styleCheckout(page, { width: '95%' });
    await payDisabled(pay, 'true'); // it changed size: Pay waits again
    await clickAt(page, pay);
    await sleep(200);
    assert.equal((await obscuredErrors()).length, refusals, 'ignored, not refused');
    await assertNothingPaid();

    await payDisabled(pay, 'false');
    await clickAt(page, pay);
    const success = await waitForEvent(page, 'paykey-success');
    assert.deepEqual(success.detail, { paymentIntentId, status: 'succeeded' });
    assert.equal((await retrieveIntent(stack, paymentIntentId)).status, 'succeeded');
    assert.deepEqual((await bankCharges(stack, paymentIntentId)).map((c) => [c.status, c.amount]), [['approved', 1999]]);
  });
});

describe('a keyboard user whose Pay is below the fold of the shop page', () => {
  it('Enter on the focused Pay is refused, the frame brings Pay into view, and Enter once it has settled there pays once', async () => {
    const context = await browser.newContext();
    try {
      await addVirtualAuthenticator(await context.newPage());
      const { page, frame, paymentIntentId } = await checkout(stack, context);
      await createPasskey(frame, `below-fold-${Date.now()}@example.com`);
      await addCard(frame, '4242 4242 4242 4242');
      const pay = frame.getByRole('button', { name: /^Pay \$19\.99/ });
      // The cashback makes the screen taller after Pay first shows: the focus stays on Pay as it moves below the fold.
      await frame.getByText(/cashback/i).first().waitFor();
      await page.evaluate(() => scrollTo(0, 0));
      await pay.evaluate((button: HTMLElement) => button.focus({ preventScroll: true }));
      const below = await pay.boundingBox();
      assert.ok(below && below.y > page.viewportSize()!.height, `Pay below the fold: at y ${below?.y}`);
      await sleep(700); // the guard has seen it out of view
      const requestsBefore = confirmationRequests();
      await page.keyboard.press('Enter');
      await waitForEvent(page, 'paykey-error');
      assert.deepEqual((await events(page)).filter((e) => e.type === 'paykey-error').map((e) => e.detail?.code), ['frame_obscured']);
      const inView = await pay.boundingBox();
      assert.ok(inView && inView.y >= 0 && inView.y + inView.height <= page.viewportSize()!.height, `Pay brought into view: at y ${inView?.y}`);
      assert.equal(confirmationRequests(), requestsBefore, 'the refused press sent nothing');

      await payDisabled(pay, 'true'); // in view now: Pay waits a moment
      await payDisabled(pay, 'false');
      await page.keyboard.press('Enter');
      const success = await waitForEvent(page, 'paykey-success');
      assert.deepEqual(success.detail, { paymentIntentId, status: 'succeeded' });
      assert.deepEqual((await bankCharges(stack, paymentIntentId)).map((c) => [c.status, c.amount]), [['approved', 1999]]);
    } finally {
      await context.close();
    }
  });
});
