/**
 * What the bank-offer e2e tests read and switch behind the wallet's screens: a demo card bank's offer log and controls
 * (`/sandbox/offers/*`, with the bank's admin key), the offers the frame was given (`POST /api/frame/offers` answers, as
 * Chromium saw them), everything the wallet frame posted to the shop's page, the events the shop's server received by
 * webhook, and a refund as the merchant's server asks for it.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import type { OffersResponse } from '../../widget/shopper-api.ts';
import type { DemoStack } from './demo-stack.ts';

/** A demo card bank's back office: its URL and admin key (the one guarding its fault and offer controls). */
export interface BankAdmin {
  url: string;
  adminKey: string;
}

export const sandboxBankAdmin = (stack: DemoStack): BankAdmin => ({ url: stack.bankUrl, adminKey: stack.bankAdminKey });
export const lotusBankAdmin = (stack: DemoStack): BankAdmin => ({ url: stack.lotus.url, adminKey: stack.lotus.adminKey });

/** One `offersFor` request as the bank received it. */
export interface OfferLogRequest {
  at: string;
  cardTokens: string[];
  personalization: 'none' | 'bank_profile';
  merchant: { id: string; name: string; mcc: string; origin: string; country: string };
  amount: number;
  currency: string;
  locale: string;
}

export interface OfferLogRedemption {
  redemptionId: string;
  reference: string;
  offerId: string;
  version: number;
  cardToken: string;
  status: 'reserved' | 'applied' | 'revoked';
  revocations: number;
  chargeId: string | null;
  charged: number | null;
  cashback: unknown;
}

export interface OfferLog {
  requests: OfferLogRequest[];
  redemptions: OfferLogRedemption[];
  consents: Array<{ at: string; cardTokens: string[]; personalization: 'none' | 'bank_profile' }>;
}

/** `GET /sandbox/offers/log`: what the bank received and did, in its own words. */
export async function offerLog(bank: BankAdmin): Promise<OfferLog> {
  const res = await fetch(`${bank.url}/sandbox/offers/log`, { headers: { authorization: `Bearer ${bank.adminKey}` } });
  assert.equal(res.status, 200, `GET ${bank.url}/sandbox/offers/log answered ${res.status}: ${await res.clone().text()}`);
  return (await res.json()) as OfferLog;
}

export type OfferControlMode = 'expire_at_apply' | 'out_of_budget' | 'slow' | 'bump_version' | 'none';

/** `POST /sandbox/offers/controls`: how the bank treats the next redemptions (or quotes, for `slow`) of an offer. */
export async function setOfferControl(bank: BankAdmin, control: { offerId?: string; mode: OfferControlMode; delayMs?: number }): Promise<void> {
  const res = await fetch(`${bank.url}/sandbox/offers/controls`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bank.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(control),
  });
  assert.ok(res.status === 200 || res.status === 204, `POST /sandbox/offers/controls ${JSON.stringify(control)} answered ${res.status}: ${await res.text()}`);
}

/** Waits until `predicate` holds for the bank's log (a revocation is an outbox job: it lands a moment later). */
export async function waitForOfferLog(bank: BankAdmin, predicate: (log: OfferLog) => boolean, what: string, timeout = 15_000): Promise<OfferLog> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const log = await offerLog(bank);
    if (predicate(log)) return log;
    assert.ok(Date.now() < deadline, `expected ${what} in the bank's offer log within ${timeout} ms; it holds ${JSON.stringify(log)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Every `POST /api/frame/offers` answer the page's frame received, oldest first. */
export function recordOffers(stack: DemoStack, page: Page): OffersResponse[] {
  const answers: OffersResponse[] = [];
  page.on('response', (response) => {
    if (response.url() === `${stack.walletUrl}/api/frame/offers` && response.status() === 200) {
      void response.json().then((body: OffersResponse) => answers.push(body), () => undefined);
    }
  });
  return answers;
}

/** Waits for the frame's first offers answer after `since` answers had arrived; returns it. */
export async function waitForOffersAnswer(answers: OffersResponse[], since: number, timeout = 10_000): Promise<OffersResponse> {
  const deadline = Date.now() + timeout;
  while (answers.length <= since) {
    assert.ok(Date.now() < deadline, `expected the frame to ask for offers (POST /api/frame/offers) within ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return answers[since];
}

/**
 * Records every message any frame posts to the shop's page (before the page's own scripts run), in
 * `window.paykeyMessages`: all the merchant's page could ever learn from the wallet.
 */
export async function recordFrameMessages(page: Page): Promise<void> {
  // A string, not a function: the tests' TypeScript is compiled with esbuild's keepNames, whose helper pages lack.
  await page.addInitScript({
    content: `if (window === window.top) { window.paykeyMessages = []; addEventListener('message', (event) => window.paykeyMessages.push(event.data)); }`,
  });
}

export async function frameMessages(page: Page): Promise<unknown[]> {
  return page.evaluate(() => (window as unknown as { paykeyMessages?: unknown[] }).paykeyMessages ?? []);
}

/** The events the shop's server received by webhook for an order (`GET /orders/:id/webhooks` on the demo shop). */
export async function shopWebhooks(stack: DemoStack, page: Page): Promise<Array<{ type: string; data: { object: Record<string, unknown> } }>> {
  const orderId = await page.locator('[data-order-id]').getAttribute('data-order-id');
  const res = await fetch(`${stack.shopUrl}/orders/${orderId}/webhooks`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { events: Array<{ type: string; data: { object: Record<string, unknown> } }> }).events;
}

/** `POST /v1/payment_intents/:id/refunds` with the merchant's secret key; `amount` omitted refunds the rest. */
export async function refundFromMerchant(stack: DemoStack, paymentIntentId: string, amount?: number): Promise<{ id: string; status: string; amount: number }> {
  const res = await fetch(`${stack.walletUrl}/v1/payment_intents/${paymentIntentId}/refunds`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.secretKey}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify(amount === undefined ? {} : { amount }),
  });
  assert.equal(res.status, 201, `the refund was accepted: ${await res.clone().text()}`);
  return (await res.json()) as { id: string; status: string; amount: number };
}

/** The intent exactly as the merchant's server reads it (`GET /v1/payment_intents/:id`), every field. */
export async function merchantIntentJson(stack: DemoStack, id: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${stack.walletUrl}/v1/payment_intents/${id}`, { headers: { authorization: `Bearer ${stack.secretKey}` } });
  assert.equal(res.status, 200);
  return (await res.json()) as Record<string, unknown>;
}

/**
 * Fails when anything the merchant can see mentions an offer: a key or a value naming one (offer, discount, cashback,
 * instalments, redemption, the demo offers' ids), or the discounted figure `net` anywhere.
 */
export function assertNoOfferData(seen: unknown, net: number, where: string): void {
  const text = JSON.stringify(seen);
  assert.doesNotMatch(text, /offer|discount|cashback|instal|redemption|lotus-tea|sandbox-cashback/i, `${where} mentions an offer: ${text}`);
  assert.doesNotMatch(text, new RegExp(`(?<![0-9])${net}(?![0-9])`), `${where} carries the discounted amount ${net}: ${text}`);
}
