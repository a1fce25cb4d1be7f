/**
 * How much the confirm screen moves under a returning shopper, in Chromium's own terms: the `layout-shift` entries
 * inside the wallet frame (Cumulative Layout Shift, as Core Web Vitals counts it), on the demo with its real banks.
 * A new shopper saves a Lotus Bank card and a Sandbox Bank card, then opens three more checkouts as a returning
 * shopper: for each (the ¥250 gift box, with Lotus's ¥20 off; the $19.99 tee, with Sandbox's cashback; the ¥68 tea,
 * with no offer, where the offers answering must move nothing) it prints the layout shift of the first 3 s with no
 * input, then the shift right after choosing each card (which Chromium leaves out of CLS, as input-driven) and how
 * far the cards themselves moved (0 px: nothing above them changed). Under each first-3-s figure, its entries: score,
 * time and the boxes that moved (Chromium names no element inside the frame's shadow roots, so a box is its top
 * before → after and its height: Pay and the links under it are the ones that go furthest).
 *
 *   npx vite build && node --import tsx test/bench/confirm-layout-shift.ts
 *
 * The README's "The cards stay where they are" quotes it. `test/widget/offers.test.ts` holds the cards in place.
 */
import type { Frame } from 'playwright-core';
import { closeDemoInChromium, startDemoInChromium } from '../e2e/demo-in-chromium.ts';
import { addCard, checkout, choose, createPasskey } from '../e2e/demo-shop-driver.ts';
import { addVirtualAuthenticator } from '../e2e/virtual-authenticator.ts';

const SETTLE_MS = 3_000;
const AFTER_CHOICE_MS = 1_500;
const PRODUCTS = [
  ['gift box (¥250, Lotus ¥20 off)', 'Buy Longjing Tea Gift Box 龙井礼盒'],
  ['tee ($19.99, Sandbox cashback)', 'Buy Paykey Tee'],
  ['tea (¥68, no offer)', 'Buy Longjing Tea 龙井茶'],
] as const;

/** A layout shift as Chromium reported it: its score, when (ms into the frame's life), and the boxes that moved. */
type Shift = { value: number; hadRecentInput: boolean; at: number; moved: string[] };
/** What Chromium's `layout-shift` entries carry (not in TypeScript's DOM types). */
interface LayoutShiftEntry {
  value: number;
  hadRecentInput: boolean;
  sources: { previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly }[];
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The layout shifts the frame recorded since the last call (and forgets them). */
const takeShifts = (frame: Frame): Promise<Shift[]> => frame.evaluate(() => (window as unknown as { paykeyShifts: Shift[] }).paykeyShifts.splice(0));
const sum = (shifts: Shift[], input: boolean) => shifts.filter((s) => s.hadRecentInput === input).reduce((total, s) => total + s.value, 0);

/** Each card's top in the frame, in px, in the order shown (the "Pay with" group only, not an offer's plans). */
const cardTops = (frame: Frame): Promise<number[]> =>
  frame.getByRole('radiogroup', { name: 'Pay with' }).getByRole('radio').evaluateAll((radios) => radios.map((radio) => Math.round(radio.closest('label')!.getBoundingClientRect().top)));

const { stack, browser } = await startDemoInChromium();
try {
  const context = await browser.newContext({ locale: 'en-US' });
  await context.addInitScript(() => {
    const shifts: Shift[] = ((window as unknown as { paykeyShifts: Shift[] }).paykeyShifts = []);
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as (LayoutShiftEntry & PerformanceEntry)[]) {
        // Each moved box as `y→y` (its top before and after; 0 when it left the view) and its height, in px.
        const moved = entry.sources.map((s) => `${Math.round(s.previousRect.y)}→${Math.round(s.currentRect.y)} (${Math.round(s.previousRect.height)} px high)`);
        shifts.push({ value: entry.value, hadRecentInput: entry.hadRecentInput, at: Math.round(entry.startTime), moved });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await addVirtualAuthenticator(await context.newPage());
  const first = await checkout(stack, context, PRODUCTS[0][1], 'en');
  await createPasskey(first.frame, `layout-shift-${Date.now()}@example.com`);
  await addCard(first.frame, '5555 5555 5555 4444');
  await first.frame.getByRole('button', { name: 'Add card', exact: true }).click();
  await addCard(first.frame, '4242 4242 4242 4242');
  await first.frame.getByRole('radio', { name: /4242/ }).waitFor();

  for (const [name, button] of PRODUCTS) {
    const { frame } = await checkout(stack, context, button, 'en');
    await frame.getByRole('radio', { name: /4444/ }).waitFor();
    await pause(SETTLE_MS);
    const settling = await takeShifts(frame);
    console.log(`${name}: layout shift of a returning shopper's first ${SETTLE_MS / 1000} s ${sum(settling, false).toFixed(3)}`);
    for (const s of settling) console.log(`    ${s.value.toFixed(3)} at ${s.at} ms: ${s.moved.join(', ')}`);
    for (const last4 of ['4242', '4444']) {
      const before = await cardTops(frame);
      await choose(frame.getByRole('radio', { name: new RegExp(last4) }));
      await pause(AFTER_CHOICE_MS);
      const after = await cardTops(frame);
      const moved = Math.max(...after.map((top, i) => Math.abs(top - before[i])));
      const shifts = await takeShifts(frame);
      console.log(`  choosing ${last4}: shift after the click ${sum(shifts, true).toFixed(3)} (not CLS), without input ${sum(shifts, false).toFixed(3)}; the cards moved ${moved} px`);
    }
  }
} finally {
  await closeDemoInChromium({ stack, browser });
}
