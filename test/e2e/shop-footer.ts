/**
 * A shop page with content of its own under `<paykey-checkout>` (a footer), and how far the wallet moved that page:
 * its own `layout-shift` entries (Cumulative Layout Shift, as Core Web Vitals counts it for the merchant's site; shifts
 * right after an input left out, as Chromium leaves them out) and how far the footer went. Used by
 * `checkout.test.ts` and `test/bench/merchant-layout-shift.ts`.
 */
import type { BrowserContext, Page } from 'playwright-core';

/** Every shop page `context` opens gets a footer `height` px tall at the end of its body, and its shifts recorded. */
export async function addShopFooter(context: BrowserContext, height: number): Promise<void> {
  // A string, not a function: run in the page as written (no helpers of this file's compiler in it).
  await context.addInitScript({
    content: `if (!location.pathname.startsWith('/frame/')) document.addEventListener('DOMContentLoaded', () => {
      const footer = document.createElement('footer');
      footer.textContent = 'The shop footer';
      footer.style.height = '${height}px';
      document.body.append(footer);
      const seen = (window.shopShifts = { value: 0, footerMoved: 0 });
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (e.hadRecentInput) continue;
          seen.value += e.value;
          for (const s of e.sources) if (s.node === footer) seen.footerMoved += Math.abs(s.currentRect.top - s.previousRect.top);
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });`,
  });
}

/** The shop page's layout shift so far, how far (px) its footer moved, and the wallet frame's height now (px). */
export async function shopLayoutShift(page: Page): Promise<{ value: number; footerMoved: number; frameHeight: number }> {
  const { value, footerMoved } = await page.evaluate(() => (window as unknown as { shopShifts: { value: number; footerMoved: number } }).shopShifts);
  const frameHeight = await page.locator('paykey-checkout iframe').evaluate((el) => Math.round(el.getBoundingClientRect().height));
  return { value, footerMoved: Math.round(footerMoved), frameHeight };
}
