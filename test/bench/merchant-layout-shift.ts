/**
 * How much the wallet moves the merchant's own page: the shop page's `layout-shift` entries (Cumulative Layout Shift,
 * as Core Web Vitals counts it for the merchant's site) on the demo, with a footer of the shop's under
 * `<paykey-checkout>`, as the frame's box goes from the loader's starting height to the first screen's. For a new
 * shopper (sign-in) and a returning one (confirm with a saved Lotus card and its offer), at a desktop and a phone width.
 *
 *   npx vite build && node --import tsx test/bench/merchant-layout-shift.ts
 *
 * The README's "Its height is the wallet's" quotes it; `test/e2e/checkout.test.ts` holds the footer within 80 px.
 */
import type { Page } from 'playwright-core';
import { closeDemoInChromium, startDemoInChromium } from '../e2e/demo-in-chromium.ts';
import { addCard, checkout, createPasskey } from '../e2e/demo-shop-driver.ts';
import { addShopFooter, shopLayoutShift } from '../e2e/shop-footer.ts';
import { addVirtualAuthenticator } from '../e2e/virtual-authenticator.ts';

const SETTLE_MS = 2_000;
const PRODUCT = 'Buy Longjing Tea Gift Box 龙井礼盒';

const { stack, browser } = await startDemoInChromium();
try {
  for (const width of [1280, 390]) {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width, height: 900 } });
    await addShopFooter(context, 600);
    await addVirtualAuthenticator(await context.newPage());
    const report = async (who: string, page: Page) => {
      await page.waitForTimeout(SETTLE_MS);
      const { value, frameHeight } = await shopLayoutShift(page);
      console.log(`${width} px wide, ${who}: the shop page's layout shift ${value.toFixed(3)} as the first screen (${frameHeight} px) showed`);
    };
    const first = await checkout(stack, context, PRODUCT, 'en');
    await report('new shopper', first.page);
    await createPasskey(first.frame, `merchant-shift-${width}-${Date.now()}@example.com`);
    await addCard(first.frame, '5555 5555 5555 4444');
    await first.frame.getByRole('button', { name: /^Pay CN¥/ }).waitFor();
    const again = await checkout(stack, context, PRODUCT, 'en');
    await report('returning shopper', again.page);
    await context.close();
  }
} finally {
  await closeDemoInChromium({ stack, browser });
}
