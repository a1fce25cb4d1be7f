/**
 * Regenerates the README screenshots from a running demo (`npm start` first):
 *   tsx demo/take-screenshots.ts [shop url]
 * Drives Chromium with a virtual passkey authenticator through a new shopper's checkout.
 */
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../test/support/chromium.ts';
import { addVirtualAuthenticator } from '../test/e2e/virtual-authenticator.ts';

const shopUrl = process.argv[2] ?? 'http://127.0.0.1:8789';
const out = new URL('./screenshots/', import.meta.url).pathname;
const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
const context = await browser.newContext({ viewport: { width: 720, height: 900 }, deviceScaleFactor: 1 });
const page = await context.newPage();
const authenticator = await addVirtualAuthenticator(page);

await page.goto(shopUrl);
await page.getByRole('button', { name: 'Buy Paykey Tee' }).click();
await page.waitForFunction(() => (window as unknown as { paykeyEvents: { type: string }[] }).paykeyEvents?.some((e) => e.type === 'paykey-ready'));
const frame = page.frames().find((f) => f.url().includes('/frame/'))!;
await page.screenshot({ path: `${out}sign-in.png`, fullPage: true });
await frame.getByRole('button', { name: 'Create a passkey' }).click();
await frame.getByRole('textbox', { name: 'Email' }).fill(`shopper-${Date.now()}@example.com`);
await frame.getByRole('button', { name: 'Create passkey' }).click();
await frame.getByLabel('Card number').fill('4242 4242 4242 4242');
await frame.getByLabel('Expiry date').fill('12/30');
await frame.getByLabel('Security code').fill('123');
await frame.getByLabel('Name on card').fill('Ada Lovelace');
await page.screenshot({ path: `${out}add-card.png`, fullPage: true });
await frame.getByRole('button', { name: 'Save card' }).click();
await frame.getByRole('button', { name: /^Pay/ }).waitFor();
await page.waitForTimeout(300);
await page.screenshot({ path: `${out}checkout.png`, fullPage: true });
await frame.getByRole('button', { name: /^Pay/ }).click();
await frame.getByText('Payment complete').waitFor();
await page.getByText('Demo Shop confirmed').waitFor();
await page.screenshot({ path: `${out}payment-complete.png`, fullPage: true });
void authenticator;
await browser.close();
console.log(`Screenshots written to ${out}`);
