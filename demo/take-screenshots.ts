/**
 * Regenerates the README screenshots in `demo/screenshots/` (build the widget first):
 *   npx vite build && npx tsx demo/take-screenshots.ts
 * The Chinese ones need a CJK font in the system (Debian: `apt-get install -y fonts-wqy-microhei`), or Chromium draws boxes.
 * Starts its own demo (as the e2e tests do: free ports, a fresh data directory) and drives Chromium with a virtual
 * passkey authenticator through the checkouts the README shows: a new shopper in English with a sandbox bank card,
 * a Lotus Bank (CNY) card paying US dollars (exchange rate, receipt, Payments), a Chinese checkout with Lotus Bank, and
 * Lotus Bank's "¥20 off" offer on the ¥250 gift box's confirm screen in both languages.
 */
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../test/support/chromium.ts';
import { startDemoStack, type DemoStack } from '../test/e2e/demo-stack.ts';
import { addCard, cardFormLabels, checkout, createPasskey, createPasskeyInChinese, pressPay, waitForEvent } from '../test/e2e/demo-shop-driver.ts';
import { addVirtualAuthenticator } from '../test/e2e/virtual-authenticator.ts';

const out = new URL('./screenshots/', import.meta.url).pathname;
const written: string[] = [];

/**
 * The whole page (the shop around the frame), once the frame has resized and settled: Pay is dimmed for 600 ms after
 * it appears (against clickjacking), and a picture of a dimmed Pay would mislead.
 */
async function shoot(page: Page, name: string) {
  await page.waitForTimeout(1_200);
  await page.screenshot({ path: `${out}${name}.png`, fullPage: true });
  written.push(`${name}.png`);
}

async function newShopper(browser: Awaited<ReturnType<typeof chromium.launch>>): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 720, height: 900 }, deviceScaleFactor: 1 });
  await addVirtualAuthenticator(await context.newPage());
  return context;
}

/** English, a new shopper: sign-in, the card form, the sandbox bank's confirm screen, and the result. */
async function englishWithSandboxCard(stack: DemoStack, context: BrowserContext) {
  const { page, frame } = await checkout(stack, context, 'Buy Paykey Tee', 'en');
  await frame.getByRole('button', { name: 'Continue with passkey' }).waitFor();
  await shoot(page, 'sign-in');
  await createPasskey(frame, `shopper-${Date.now()}@example.com`);
  const labels = cardFormLabels.en;
  await frame.getByLabel(labels.number).fill('4242 4242 4242 4242');
  await frame.getByLabel(labels.expiry).fill('12/30');
  await frame.getByLabel(labels.cvc).fill('123');
  await frame.getByLabel(labels.name).fill('Ada Lovelace');
  await frame.getByRole('checkbox', { name: labels.save }).check();
  await shoot(page, 'add-card');
  await frame.locator('form', { has: frame.getByLabel(labels.number) }).locator('button[type="submit"]').click();
  await payButton(frame).waitFor();
  await shoot(page, 'checkout');
  await pressPay(payButton(frame));
  await frame.getByRole('heading', { name: 'Payment complete' }).waitFor();
  await page.getByText('Demo Shop confirmed').waitFor();
  await shoot(page, 'payment-complete');
}

/** The same shopper adds a Lotus Bank card and pays the dollar tee: the FX confirm screen, the receipt, Payments. */
async function lotusCardPayingDollars(stack: DemoStack, context: BrowserContext) {
  const { page, frame } = await checkout(stack, context, 'Buy Paykey Tee', 'en');
  await frame.getByRole('button', { name: 'Add card', exact: true }).click();
  await addCard(frame, '5555 5555 5555 4444');
  await frame.getByText('1 USD = 7.1234 CNY').first().waitFor();
  await shoot(page, 'confirm-fx');
  await pressPay(payButton(frame));
  await waitForEvent(page, 'paykey-success');
  await frame.getByRole('button', { name: 'View receipt' }).click();
  await frame.getByRole('heading', { name: 'Receipt', level: 1 }).waitFor();
  await frame.getByText('1 USD = 7.1234 CNY').first().waitFor();
  await shoot(page, 'receipt');
  await frame.getByRole('button', { name: 'Back' }).click();
  await frame.getByRole('button', { name: 'Payments' }).first().click();
  await frame.getByRole('button', { name: /^Demo Shop/ }).first().waitFor();
  await shoot(page, 'payments');
}

/**
 * Lotus Bank's offer on the confirm screen: the same shopper (their Lotus card saved) opens the ¥250 gift box; the
 * wallet applies "¥20 off" and Pay asks for ¥230.00. `lang` picks the checkout's language.
 */
async function lotusOfferOnConfirm(stack: DemoStack, context: BrowserContext, lang: 'en' | 'zh-CN', name: string) {
  const { page, frame } = await checkout(stack, context, 'Buy Longjing Tea Gift Box 龙井礼盒', lang);
  await frame.getByRole('radio', { name: /4444/ }).check();
  const pay = frame.getByRole('button', { name: lang === 'en' ? /^Pay\s*CN¥230\.00/ : /^支付\s*¥230\.00/ });
  await pay.waitFor({ timeout: 15_000 });
  await shoot(page, name);
}

/** 中文: a new shopper buys Longjing Tea in yuan with a Lotus Bank card. */
async function chineseWithLotusCard(stack: DemoStack, context: BrowserContext) {
  const { page, frame } = await checkout(stack, context, 'Buy Longjing Tea 龙井茶', 'zh-CN');
  await frame.getByRole('button', { name: '使用通行密钥继续' }).waitFor();
  await shoot(page, 'sign-in-zh');
  await createPasskeyInChinese(frame, `li-${Date.now()}@example.com`);
  await addCard(frame, '5555 5555 5555 4444', { lang: 'zh-CN' });
  const pay = frame.getByRole('button', { name: /^支付/ });
  await pay.waitFor();
  await frame.getByText('莲花银行').first().waitFor();
  await shoot(page, 'confirm-zh-lotus');
  await pressPay(pay);
  await frame.getByRole('heading', { name: '支付成功' }).waitFor();
  await shoot(page, 'payment-complete-zh');
}

function payButton(frame: Frame) {
  return frame.getByRole('button', { name: /^Pay / });
}

const stack = await startDemoStack();
const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
try {
  const english = await newShopper(browser);
  await englishWithSandboxCard(stack, english);
  await lotusCardPayingDollars(stack, english);
  await lotusOfferOnConfirm(stack, english, 'en', 'confirm-offer');
  const chinese = await newShopper(browser);
  await chineseWithLotusCard(stack, chinese);
  await lotusOfferOnConfirm(stack, chinese, 'zh-CN', 'confirm-offer-zh');
  console.log(`Screenshots written to ${out}: ${written.join(', ')}`);
} finally {
  await browser.close();
  await stack.stop();
}
