/**
 * End to end on the demo with a bank that holds a charge past the wallet's bank timeout: the shopper is told the bank
 * is confirming, the merchant page hears `paykey-processing`, and once the held charge books and the outbox finds it,
 * `paykey-success` arrives in the same page and the shop's webhook marks the order paid — with one charge at the bank.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../support/chromium.ts';
import { startDemoStack, type DemoStack } from './demo-stack.ts';
import {
  addCard,
  assertOrderPaidByWebhook,
  bankCharges,
  bankFaults,
  checkout,
  createPasskey,
  events,
  pressPay,
  retrieveIntent,
  setBankFaults,
  waitForEvent,
} from './demo-shop-driver.ts';
import { addVirtualAuthenticator } from './virtual-authenticator.ts';

/** The wallet gives up on a bank call after this long (the default is 10 s). */
const BANK_TIMEOUT_MS = 1_500;
/**
 * How long the bank holds the charge. Past the timeout, and past the frame's quick polls (five, a second apart, after
 * the confirmation answers `processing`), so the shopper sees the pending screen before the outcome.
 */
const HOLD_MS = 10_000;
/**
 * Longer than the hold, so the charge is settled by looking it up once the held request books it, not by sending it
 * again (a re-send would book at once and settle it before the pending screen shows).
 */
const GRACE_MS = 15_000;

let stack: DemoStack;
let browser: Browser;

before(async () => {
  stack = await startDemoStack({
    PAYKEY_BANK_TIMEOUT_MS: String(BANK_TIMEOUT_MS),
    PAYKEY_UNKNOWN_GRACE_MS: String(GRACE_MS),
    // Look the charge up at least every second, so the outcome follows the booking closely.
    PAYKEY_RETRY_MAX_MS: '1000',
  });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('a bank slower than the wallet waits', () => {
  let context: BrowserContext;

  before(async () => {
    context = await browser.newContext();
    await addVirtualAuthenticator(await context.newPage());
  });
  after(() => context?.close());

  it('shows the pending screen and paykey-processing, then paykey-success and the paid order once the held charge books', { timeout: 30_000 }, async () => {
    const { page, frame, paymentIntentId } = await checkout(stack, context);
    await createPasskey(frame, `grace-${Date.now()}@example.com`);
    await addCard(frame, '4242 4242 4242 4242');
    const pay = frame.getByRole('button', { name: /^Pay \$19\.99/ });
    await pay.waitFor();

    await setBankFaults(stack, [{ route: 'charge', kind: 'timeout', ms: HOLD_MS, count: 1 }]);
    await pressPay(pay);

    // The wallet timed out on the bank: the shopper is told not to pay again, and the merchant page hears of it.
    await frame.getByRole('heading', { name: 'Your bank is confirming this payment' }).waitFor({ timeout: 15_000 });
    const processing = await waitForEvent(page, 'paykey-processing');
    assert.deepEqual(processing.detail, { paymentIntentId, status: 'processing' });
    assert.equal(await frame.getByRole('button', { name: /^Pay / }).count(), 0, 'no Pay button while the bank decides');

    // The hold ends, the bank books the charge, the outbox finds it: the same page learns the outcome.
    const success = await waitForEvent(page, 'paykey-success', 20_000);
    assert.deepEqual(success.detail, { paymentIntentId, status: 'succeeded' });
    await frame.getByRole('heading', { name: 'Payment complete' }).waitFor();
    const outcomes = (await events(page)).filter((e) => e.type !== 'paykey-ready').map((e) => e.type);
    assert.deepEqual(outcomes, ['paykey-processing', 'paykey-success']);

    await assertOrderPaidByWebhook(page);
    assert.equal((await retrieveIntent(stack, paymentIntentId)).status, 'succeeded');
    const charges = await bankCharges(stack, paymentIntentId);
    assert.deepEqual(charges.map((c) => [c.status, c.amount, c.currency]), [['approved', 1999, 'USD']], 'exactly one charge at the bank');
    const [fault] = await bankFaults(stack);
    assert.equal(fault.hits, 1, 'the bank held the charge');
  });
});
