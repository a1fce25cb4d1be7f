/**
 * The shopper's control over their data, end to end on the demo in real Chromium, each checked where the data lives:
 * the frame's IndexedDB (read inside the frame), the wallet server (its shopper API, called with the frame's own
 * session token) and the bank (its API, with the bank's key).
 * - A card paid with "Save card" unticked is kept nowhere, and its token is released at the bank.
 * - "Manage cards" → remove: gone from IndexedDB and the server, and the bank refuses its token.
 * - "Sign out on this device": the frame's IndexedDB is deleted and the server refuses the old session token.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { closeDemoInChromium, startDemoInChromium } from './demo-in-chromium.ts';
import type { DemoStack } from './demo-stack.ts';
import { addCard, bankCharges, checkout, createPasskey, pressPay, sandboxBank, waitForEvent, type BankApi, type LedgerCharge } from './demo-shop-driver.ts';
import { cachedCards, frameDatabases, recordSessionTokens, serverCards } from './wallet-frame-probe.ts';
import { addVirtualAuthenticator } from './virtual-authenticator.ts';

let stack: DemoStack;
let browser: Browser;

before(async () => ({ stack, browser } = await startDemoInChromium()));
after(() => closeDemoInChromium({ stack, browser }));

/**
 * What the bank does with a charge on `token` now, asked directly with the bank's own key: a released token's charge
 * is declined (and so books no money); a live one's approves. A 1-minor-unit charge under a reference of our own.
 */
async function chargeAtBank(bank: BankApi, token: string): Promise<LedgerCharge> {
  const res = await fetch(`${bank.url}/v1/charges`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bank.apiKey}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify({ token, amount: 1, currency: 'USD', reference: `e2e_probe_${randomUUID()}` }),
  });
  assert.equal(res.status, 201, `the bank booked the probe charge: ${await res.clone().text()}`);
  return (await res.json()) as LedgerCharge;
}

/** Waits until the bank refuses `token` (the wallet releases tokens right after the payment or removal, retrying on failure). */
async function assertTokenReleased(bank: BankApi, token: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = await chargeAtBank(bank, token);
    if (probe.status === 'declined') {
      assert.deepEqual([probe.decline_code, probe.decline_message], ['card_declined', 'The card was removed from the wallet; its token is released.']);
      return;
    }
    assert.ok(Date.now() < deadline, `expected the bank to refuse token ${token} within 10 s; it still approves charges on it`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('the shopper controls what is kept', () => {
  // Each test is a new shopper on a browser of their own.
  const contexts: BrowserContext[] = [];
  async function newShopperContext(): Promise<BrowserContext> {
    const context = await browser.newContext();
    contexts.push(context);
    await addVirtualAuthenticator(await context.newPage());
    return context;
  }
  after(() => Promise.all(contexts.map((c) => c.close())));

  it('"Save card" unticked: the card pays once, then is in neither IndexedDB nor the server\'s list, and its token is released at the bank', async () => {
    const context = await newShopperContext();
    const { page, frame, paymentIntentId } = await checkout(stack, context);
    const session = recordSessionTokens(stack, page);
    await createPasskey(frame, `once-${Date.now()}@example.com`);
    await addCard(frame, '4242 4242 4242 4242', { save: false });
    await pressPay(frame.getByRole('button', { name: /^Pay \$19\.99/ }));
    await waitForEvent(page, 'paykey-success');

    const [charge] = await bankCharges(stack, paymentIntentId);
    assert.deepEqual([charge.status, charge.amount], ['approved', 1999], 'the one-time card paid');
    assert.deepEqual(await cachedCards(frame), [], 'no card in the frame\'s IndexedDB');
    const listed = await serverCards(stack, session.latest());
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.cards, [], 'no card in the server\'s list');
    await assertTokenReleased(sandboxBank(stack), charge.token);
  });

  it('"Manage cards" → remove: the saved card leaves IndexedDB and the server, and the bank refuses its token', async () => {
    const context = await newShopperContext();
    const { page, frame } = await checkout(stack, context);
    const session = recordSessionTokens(stack, page);
    await createPasskey(frame, `remove-${Date.now()}@example.com`);
    await addCard(frame, '4242 4242 4242 4242', { save: true });
    await frame.getByRole('radio', { name: /4242/ }).waitFor();
    const [saved] = await cachedCards(frame);
    assert.equal(saved?.last4, '4242', 'the saved card is cached on the device');
    assert.deepEqual((await serverCards(stack, session.latest())).body.cards?.map((c) => c.id), [saved.id], 'and listed by the server');
    assert.ok((await chargeAtBank(sandboxBank(stack), saved.bankToken)).status === 'approved', 'its token works at the bank before removal');

    await frame.getByRole('button', { name: 'Manage cards' }).click();
    await frame.getByRole('heading', { name: 'Manage cards', level: 1 }).waitFor();
    await frame.getByRole('button', { name: /^Remove Visa ending in 4242/ }).click();
    // A removal is confirmed first (it cannot be undone).
    await frame.getByRole('button', { name: 'Remove card', exact: true }).click();
    await frame.getByRole('status').filter({ hasText: 'Visa ending in 4242 removed.' }).waitFor();

    assert.deepEqual(await cachedCards(frame), [], 'gone from IndexedDB');
    const listed = await serverCards(stack, session.latest());
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.cards, [], 'gone from the server');
    await assertTokenReleased(sandboxBank(stack), saved.bankToken);
  });

  it('"Sign out on this device" deletes the frame\'s IndexedDB, and the server refuses the old session token', async () => {
    const context = await newShopperContext();
    const { page, frame } = await checkout(stack, context);
    const session = recordSessionTokens(stack, page);
    await createPasskey(frame, `sign-out-${Date.now()}@example.com`);
    await addCard(frame, '4242 4242 4242 4242', { save: true });
    await frame.getByRole('radio', { name: /4242/ }).waitFor();
    assert.ok((await frameDatabases(frame)).includes('paykey'), 'the frame keeps its cache in IndexedDB');
    const token = session.latest();
    assert.equal((await serverCards(stack, token)).status, 200, 'the session works before signing out');

    await frame.getByRole('button', { name: 'Sign out on this device' }).first().click();
    await frame.getByRole('button', { name: 'Continue with passkey' }).waitFor();
    assert.deepEqual(await frameDatabases(frame), [], 'no IndexedDB database left in the frame');
    const refused = await serverCards(stack, token);
    assert.deepEqual([refused.status, refused.body.error?.code], [401, 'session_invalid'], 'the old session token is refused');

    // The device forgot the shopper: a new checkout starts at sign-in with no card shown.
    const again = await checkout(stack, context);
    await again.frame.getByRole('button', { name: 'Continue with passkey' }).waitFor();
    assert.equal(await again.frame.getByRole('radio').count(), 0);
  });
});
