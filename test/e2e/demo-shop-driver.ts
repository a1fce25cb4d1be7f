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

/**
 * Opens the shop, buys a product, and returns the page, its wallet frame and the intent id. `lang` is the checkout
 * language the shopper picks on the shop (`/?lang=zh-CN`: the order page renders `<paykey-checkout locale="zh-CN">`).
 */
export async function checkout(stack: DemoStack, context: BrowserContext, productButton = 'Buy Paykey Tee', lang?: 'en' | 'zh-CN') {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(lang ? `${stack.shopUrl}/?lang=${lang}` : stack.shopUrl);
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
  const handle = await page
    .waitForFunction((t) => (window as unknown as { paykeyEvents?: PaykeyEvent[] }).paykeyEvents?.find((e) => e.type === t), type, { timeout })
    .catch(async (error: Error) => {
      const seen = await events(page).catch(() => 'unreadable');
      throw new Error(`expected a ${type} event within ${timeout} ms; the page heard ${JSON.stringify(seen)}`, { cause: error });
    });
  return (await handle.jsonValue()) as PaykeyEvent;
}

export async function events(page: Page): Promise<PaykeyEvent[]> {
  return page.evaluate(() => (window as unknown as { paykeyEvents: PaykeyEvent[] }).paykeyEvents);
}

/**
 * Presses Pay as a person would: once the wallet shows it pressable, and again if a press did nothing. Against
 * clickjacking the wallet dims Pay (`aria-disabled="true"`) and ignores presses for a moment after it appears, comes
 * into view, gets new terms (a bank's offer arriving) or the frame changes size; a test that clicked at once would be
 * ignored, as a decoy's click is. Something can also change in the moment between reading Pay pressable and the
 * click landing (an offer quoted late on a loaded machine): that press is ignored too, so whether the wallet took it
 * is read from its own `paykey-pay` event, and a person, seeing nothing happen, presses again once Pay is pressable.
 * Returns how many presses it took.
 */
export async function pressPay(pay: Locator, timeout = 10_000): Promise<number> {
  await scrollToMiddle(pay);
  // The wallet learns that Pay came into full view from IntersectionObserver v2, which reports at most every 100 ms;
  // until then it still counts Pay as hidden (not dimmed: a press would be refused as frame_obscured).
  await new Promise((resolve) => setTimeout(resolve, 300));
  const frame = (await (await pay.elementHandle())!.ownerFrame())!;
  const taken = () => walletEventsSeen(frame, 'paykey-pay');
  const before = await taken();
  const deadline = Date.now() + timeout;
  for (let presses = 1; ; presses++) {
    while ((await pay.getAttribute('aria-disabled')) !== 'false') {
      assert.ok(
        Date.now() < deadline,
        `expected Pay to become pressable (aria-disabled="false") within ${timeout} ms${presses > 1 ? ` after ${presses - 1} ignored press(es)` : ''}; it is ${await pay.getAttribute('aria-disabled')}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await pay.click();
    if ((await taken()) > before) return presses;
    assert.ok(Date.now() < deadline, `the wallet ignored ${presses} press(es) of Pay within ${timeout} ms`);
  }
}

/**
 * How many `type` events (the wallet's own, e.g. `paykey-pay`) the frame has dispatched since this was first asked
 * for that type there. Counted by a capturing listener on the frame's window: the wallet's own listener cannot hide
 * the event from it.
 */
export function walletEventsSeen(frame: Frame, type: string): Promise<number> {
  return frame.evaluate((type) => {
    const w = window as unknown as { paykeyEventsSeen?: Record<string, number> };
    const seen = (w.paykeyEventsSeen ??= {});
    if (seen[type] === undefined) {
      seen[type] = 0;
      addEventListener(type, () => (seen[type] += 1), true);
    }
    return seen[type];
  }, type);
}

/**
 * Chooses a radio on the confirm screen (a card, "Pay by bank", an instalment plan) as a person would: clicked, and
 * clicked again if it is not chosen after all. The cards no longer move (what comes later renders below them), but an
 * instalment plan sits in the offers, under the chosen card's terms: terms that come between locating its radio and
 * the click move it, and the click lands on what is there now (Playwright's own `check()` then fails: "did not change
 * its state").
 */
export async function choose(radio: Locator, tries = 3): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await radio.click();
    if (await radio.isChecked()) return;
    assert.ok(attempt < tries, `expected ${radio} to be chosen after ${tries} clicks`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The confirm screen's names a press there needs, in each of the wallet's languages. */
const confirmNames = {
  en: { addCard: 'Add card', offerSettings: 'Offer settings', pricedPay: /^Pay\s+\S/ },
  'zh-CN': { addCard: '添加银行卡', offerSettings: '优惠设置', pricedPay: /^支付\s*\S/ },
} as const;

/**
 * Presses "Add card" on a returning shopper's confirm screen as a person does, having read the screen: once the chosen
 * card's price is in (Pay names an amount) and the banks' offers have answered ("Offer settings" shows). Before that,
 * an offer's panel arriving above Pay still moves Add card down (README, "The cards stay where they are"), and a press
 * aimed at it lands on what is there now. Returns once the card form shows.
 */
export async function pressAddCard(frame: Frame, lang: 'en' | 'zh-CN' = 'en'): Promise<void> {
  const names = confirmNames[lang];
  await frame.getByRole('button', { name: names.pricedPay }).waitFor();
  await frame.getByRole('button', { name: names.offerSettings, exact: true }).waitFor();
  await frame.getByRole('button', { name: names.addCard, exact: true }).click();
  await frame.getByLabel(cardFormLabels[lang].number, { exact: true }).waitFor();
}

/** The card form's labels in each of the wallet's languages (the issue's exact names for 中文). */
export const cardFormLabels = {
  en: { number: 'Card number', expiry: 'Expiry date', cvc: 'Security code', name: 'Name on card', save: 'Save card' },
  'zh-CN': { number: '卡号', expiry: '有效期', cvc: '安全码', name: '持卡人姓名', save: '保存银行卡' },
} as const;

/**
 * Scrolls the shop's page so that `control` (in the wallet frame) sits in the middle of the viewport, as a person
 * would before pressing it. "In view" is not enough for Pay: the wallet wants the whole row holding it visible, and
 * a button touching the bottom edge (`scrollIntoViewIfNeeded` leaves it there) has its row cut off.
 */
export async function scrollToMiddle(control: Locator): Promise<void> {
  await control.scrollIntoViewIfNeeded();
  const box = await control.boundingBox();
  const viewport = control.page().viewportSize();
  if (!box || !viewport) return;
  await control.page().evaluate((dy) => scrollBy(0, dy), Math.round(box.y + box.height / 2 - viewport.height / 2));
}

/**
 * Fills the card form and submits it with its own submit button. `save` (the default here) ticks "Save card", which is
 * unticked by default: the returning-shopper tests rely on the card being kept.
 */
export async function addCard(frame: Frame, number: string, { save = true, lang = 'en' }: { save?: boolean; lang?: 'en' | 'zh-CN' } = {}) {
  const label = cardFormLabels[lang];
  await frame.getByLabel(label.number).fill(number);
  await frame.getByLabel(label.expiry).fill('12/34');
  await frame.getByLabel(label.cvc).fill('123');
  await frame.getByLabel(label.name).fill('Ada Lovelace');
  const saveCard = frame.getByRole('checkbox', { name: label.save });
  assert.equal(await saveCard.isChecked(), false, `"${label.save}" is unticked by default`);
  if (save) await saveCard.check();
  await submitCardForm(frame, lang);
}

/**
 * Presses the card form's submit as a person does: pressed again if the wallet did not take the press (no
 * `paykey-card-submit`). Filling the form clears its errors and the frame shrinks, and the page around it follows a
 * moment later (the loader sizes the frame from the wallet's messages), so on a loaded machine a press can land where
 * the button was. A press the wallet took is never repeated.
 */
export async function submitCardForm(frame: Frame, lang: 'en' | 'zh-CN' = 'en', tries = 3): Promise<void> {
  const before = await walletEventsSeen(frame, 'paykey-card-submit');
  for (let presses = 1; ; presses++) {
    await cardFormSubmit(frame, lang).click();
    const deadline = Date.now() + 1_000;
    while (Date.now() < deadline && (await walletEventsSeen(frame, 'paykey-card-submit')) === before) await new Promise((resolve) => setTimeout(resolve, 50));
    if ((await walletEventsSeen(frame, 'paykey-card-submit')) > before) return;
    assert.ok(presses < tries, `expected the wallet to take the card form's submit; it took none of ${presses} presses`);
  }
}

/** The card form's submit button, whatever it is called: the submit button of the form holding the card number. */
export function cardFormSubmit(frame: Frame, lang: 'en' | 'zh-CN' = 'en'): Locator {
  return frame.locator('form', { has: frame.getByLabel(cardFormLabels[lang].number) }).locator('button[type="submit"]');
}

export async function createPasskey(frame: Frame, email: string) {
  await frame.getByRole('button', { name: 'Create a passkey' }).click();
  await frame.getByRole('textbox', { name: 'Email' }).fill(email);
  await frame.getByRole('button', { name: 'Create passkey' }).click();
}

/**
 * The same in Chinese. "创建通行密钥" names both the button that opens the form and the form's submit button (the
 * issue's one name for "Create a passkey"): the second is the one inside the form holding "电子邮箱".
 */
export async function createPasskeyInChinese(frame: Frame, email: string) {
  await frame.getByRole('button', { name: '创建通行密钥', exact: true }).first().click();
  const emailField = frame.getByRole('textbox', { name: '电子邮箱' });
  await emailField.fill(email);
  await frame.locator('form', { has: emailField }).getByRole('button', { name: '创建通行密钥', exact: true }).click();
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

/** A demo card bank's API as its back office reaches it: its URL and API key. */
export interface BankApi {
  url: string;
  apiKey: string;
}

/** A charge as the demo banks' ledgers list it (`GET /v1/charges`). */
export interface LedgerCharge {
  id: string;
  reference: string;
  token: string;
  status: string;
  amount: number;
  currency: string;
  decline_code: string | null;
  decline_message: string | null;
  fx_quote_id?: string | null;
}

/** The sandbox bank of the demo. */
export const sandboxBank = (stack: DemoStack): BankApi => ({ url: stack.bankUrl, apiKey: stack.bankApiKey });

/**
 * Every charge in a bank's ledger made for this intent (our references are `<intent id>_<attempt>`): the sandbox
 * bank's unless another bank is named.
 */
export async function bankCharges(stack: DemoStack, paymentIntentId: string, bank: BankApi = sandboxBank(stack)): Promise<LedgerCharge[]> {
  const found: LedgerCharge[] = [];
  for (let attempt = 1; attempt <= 5; attempt++) {
    const res = await fetch(`${bank.url}/v1/charges?reference=${encodeURIComponent(`${paymentIntentId}_${attempt}`)}`, {
      headers: { authorization: `Bearer ${bank.apiKey}` },
    });
    assert.equal(res.status, 200);
    found.push(...((await res.json()) as { data: LedgerCharge[] }).data);
  }
  return found;
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

/** Lotus Bank (莲花银行) of the demo: its CNY cards' ledger. */
export function lotusBank(stack: DemoStack): BankApi {
  return { url: stack.lotus.url, apiKey: stack.lotus.apiKey };
}

/** `amount` minor units of `currency` as the wallet shows them in `locale` (ISO 4217 digits, as `Intl` has them). */
export function formatMoney(amount: number, currency: string, locale: 'en' | 'zh-CN', digits = 2): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount / 10 ** digits);
}
