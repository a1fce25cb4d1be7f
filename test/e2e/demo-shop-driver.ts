/**
 * What a shopper, the merchant's server and the bank's back office do in the e2e tests: buy on the demo shop, drive
 * the wallet frame, and read the outcome from the merchant API and the sandbox bank's ledger.
 */
import assert from 'node:assert/strict';
import type { BrowserContext, Frame, Locator, Page } from 'playwright-core';
import type { DemoStack } from './demo-stack.ts';

/** What the demo shop's page script records of each `paykey-*` event, in `window.paykeyEvents`. */
export type PaykeyEvent = { type: string; detail: Record<string, unknown> | null };

/** The demo shop's line once Paykey's signed `payment_intent.succeeded` has marked the order paid. */
export const PAID_BY_WEBHOOK = 'Paid (confirmed by webhook)';

/** Opens the shop, buys a product, and returns the page, its wallet frame and the intent id. */
export async function checkout(stack: DemoStack, context: BrowserContext, productButton = 'Buy Paykey Tee') {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(stack.shopUrl);
  await page.getByRole('button', { name: productButton }).click();
  await page.waitForURL(/\/orders\//);
  const paymentIntentId = (await page.locator('[data-payment-intent]').getAttribute('data-payment-intent'))!;
  await waitForEvent(page, 'paykey-ready');
  const frame = walletFrame(stack, page);
  return { page, frame, paymentIntentId };
}

export function walletFrame(stack: DemoStack, page: Page): Frame {
  const frame = page.frames().find((f) => f.url().startsWith(`${stack.walletUrl}/frame/`));
  assert.ok(frame, `expected a wallet frame from ${stack.walletUrl}/frame/, found frames: ${page.frames().map((f) => f.url()).join(', ')}`);
  return frame;
}

export async function waitForEvent(page: Page, type: string, timeout = 20_000): Promise<PaykeyEvent> {
  const handle = await page.waitForFunction(
    (t) => (window as unknown as { paykeyEvents?: PaykeyEvent[] }).paykeyEvents?.find((e) => e.type === t),
    type,
    { timeout },
  );
  return (await handle.jsonValue()) as PaykeyEvent;
}

export async function events(page: Page): Promise<PaykeyEvent[]> {
  return page.evaluate(() => (window as unknown as { paykeyEvents: PaykeyEvent[] }).paykeyEvents);
}

/**
 * Presses Pay as a person would: once the wallet shows it pressable. Against clickjacking the wallet dims Pay
 * (`aria-disabled="true"`) and ignores presses for a moment after it appears, comes into view or the frame changes
 * size; a test that clicked at once would be ignored, as a decoy's click is.
 */
export async function pressPay(pay: Locator, timeout = 10_000): Promise<void> {
  await pay.scrollIntoViewIfNeeded();
  const deadline = Date.now() + timeout;
  while ((await pay.getAttribute('aria-disabled')) !== 'false') {
    assert.ok(Date.now() < deadline, `expected Pay to become pressable (aria-disabled="false") within ${timeout} ms; it is ${await pay.getAttribute('aria-disabled')}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await pay.click();
}

export async function addCard(frame: Frame, number: string) {
  await frame.getByLabel('Card number').fill(number);
  await frame.getByLabel('Expiry date').fill('12/34');
  await frame.getByLabel('Security code').fill('123');
  await frame.getByLabel('Name on card').fill('Ada Lovelace');
  await frame.getByRole('button', { name: 'Save card' }).click();
}

export async function createPasskey(frame: Frame, email: string) {
  await frame.getByRole('button', { name: 'Create a passkey' }).click();
  await frame.getByRole('textbox', { name: 'Email' }).fill(email);
  await frame.getByRole('button', { name: 'Create passkey' }).click();
}

/** Reloads the order page: the shop's server renders the paid line from its own record (set by the webhook). */
export async function assertOrderPaidByWebhook(page: Page) {
  const status = page.locator('#webhook-status');
  await page.getByText(PAID_BY_WEBHOOK).waitFor();
  assert.equal(await status.getAttribute('data-paid'), 'true');
  await page.reload();
  assert.equal((await status.textContent())?.trim(), PAID_BY_WEBHOOK, 'the shop server recorded the order as paid');
}

/** The intent as the merchant's server sees it (`GET /v1/payment_intents/:id` with the secret key). */
export async function retrieveIntent(stack: DemoStack, id: string) {
  const res = await fetch(`${stack.walletUrl}/v1/payment_intents/${id}`, { headers: { authorization: `Bearer ${stack.secretKey}` } });
  assert.equal(res.status, 200, `GET /v1/payment_intents/${id} answered ${res.status}`);
  return (await res.json()) as { status: string; last_error: { code: string } | null };
}

/** Every charge in the sandbox bank's ledger made for this intent (our references are `<intent id>_<attempt>`). */
export async function bankCharges(stack: DemoStack, paymentIntentId: string) {
  const found: unknown[] = [];
  for (let attempt = 1; attempt <= 5; attempt++) {
    const res = await fetch(`${stack.bankUrl}/v1/charges?reference=${encodeURIComponent(`${paymentIntentId}_${attempt}`)}`, {
      headers: { authorization: `Bearer ${stack.bankApiKey}` },
    });
    assert.equal(res.status, 200);
    found.push(...((await res.json()) as { data: unknown[] }).data);
  }
  return found as Array<{ status: string; amount: number; currency: string }>;
}

/** Replaces the sandbox bank's fault rules (README, "Fault injection") with the demo's admin key; `[]` clears them. */
export async function setBankFaults(stack: DemoStack, faults: unknown[]) {
  const res = await fetch(`${stack.bankUrl}/admin/faults`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${stack.bankAdminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ faults }),
  });
  assert.equal(res.status, 200, await res.text());
}

/** The bank's fault rules with how often each fired. */
export async function bankFaults(stack: DemoStack) {
  const res = await fetch(`${stack.bankUrl}/admin/faults`, { headers: { authorization: `Bearer ${stack.bankAdminKey}` } });
  assert.equal(res.status, 200);
  return ((await res.json()) as { faults: Array<{ route: string; kind: string; hits: number; remaining: number | null }> }).faults;
}
