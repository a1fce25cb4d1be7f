/**
 * Part 2 of `npm run bench`: time to ready. On the merchant page (bench page server, another site than the wallet),
 * once the loader has defined `<paykey-checkout>`, the page's own clock (`performance.now()`) times
 * - paykey: creating and inserting `<paykey-checkout client-secret locale="en">` (a new payment intent each time) up
 *   to its `paykey-ready` event;
 * - blank: creating and inserting an iframe of a blank page served by the same wallet server (its asset route) up to
 *   the `message` that page posts to its parent on `load` — the floor any cross-origin iframe from this server costs.
 * Cold: each load in a fresh browser context (empty HTTP cache). Warm: one context, the merchant page reloaded before
 * each load, after one unmeasured load of each. Paykey and blank loads alternate, and which goes first alternates
 * too, so drift on this shared machine affects both alike. Reported: medians; ratio = paykey / blank.
 * For the record, warm loads also time the blank page at a new URL each time (`?n=<i>`): fetched over the network
 * like the frame page (which is `no-store`), where the plain blank comes from the HTTP cache (it is served immutable).
 */
import type { Page } from 'playwright-core';
import type { ReadyFigures } from './figures.ts';
import { withBrowserBench, type BenchStack, type BrowserBench } from './bench-stack.ts';
import { withTimeout } from './with-timeout.ts';

const LOAD_TIMEOUT_MS = 20_000;

export interface ReadyBenchOptions {
  /** A running stack and browser (npm run bench shares one with the weight benchmark); started and stopped here if absent. */
  bench?: BrowserBench;
  /** Measured loads of each kind, cold and warm (at least 20). */
  loads?: number;
}

export async function runReadyBench(opts: ReadyBenchOptions = {}): Promise<ReadyFigures> {
  const loads = opts.loads ?? 20;
  if (!Number.isInteger(loads) || loads < 20) throw new Error(`ready bench: expected at least 20 loads of each kind, got ${loads}`);
  if (!opts.bench) return withBrowserBench((bench) => runReadyBench({ ...opts, bench }));
  const { stack, browser } = opts.bench;

  const cold = { paykey: [] as number[], blank: [] as number[] };
  // One unmeasured pair first: the wallet compresses each file on its first request.
  for (let i = -1; i < loads; i++) {
    const order = i % 2 === 0 ? (['paykey', 'blank'] as const) : (['blank', 'paykey'] as const);
    for (const kind of order) {
      const secret = kind === 'paykey' ? await stack.createClientSecret() : '';
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await openMerchantPage(page, stack);
        const ms = kind === 'paykey' ? await timePaykey(page, secret) : await timeBlank(page, stack, stack.blankUrl);
        if (i >= 0) cold[kind].push(ms);
      } finally {
        await context.close();
      }
    }
  }

  const warm = { paykey: [] as number[], blank: [] as number[], refetch: [] as number[] };
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    for (let i = -1; i < loads; i++) {
      const kinds = ['paykey', 'blank', 'refetch'] as const;
      // Rotates which kind goes first.
      const order = kinds.map((_, k) => kinds[(k + Math.max(i, 0)) % kinds.length]!);
      for (const kind of order) {
        const secret = kind === 'paykey' ? await stack.createClientSecret() : '';
        await openMerchantPage(page, stack);
        const ms =
          kind === 'paykey'
            ? await timePaykey(page, secret)
            : await timeBlank(page, stack, kind === 'blank' ? stack.blankUrl : `${stack.blankUrl}?n=${i + 1}`);
        if (i >= 0) warm[kind].push(ms);
      }
    }
  } finally {
    await context.close();
  }

  const coldMs = median(cold.paykey);
  const warmMs = median(warm.paykey);
  const blankColdMs = median(cold.blank);
  const blankWarmMs = median(warm.blank);
  return {
    loads,
    coldMs,
    warmMs,
    blankColdMs,
    blankWarmMs,
    ratioCold: coldMs / blankColdMs,
    ratioWarm: warmMs / blankWarmMs,
    blankWarmRefetchMs: median(warm.refetch),
  };
}

/** Opens (or reloads) the merchant page and waits until the loader has defined `<paykey-checkout>`. */
async function openMerchantPage(page: Page, stack: BenchStack): Promise<void> {
  await page.goto(stack.merchantUrl, { waitUntil: 'load' });
  await withTimeout(
    page.evaluate(() => customElements.whenDefined('paykey-checkout').then(() => undefined)),
    LOAD_TIMEOUT_MS,
    'the merchant page: the loader did not define <paykey-checkout>',
  );
}

async function timePaykey(page: Page, clientSecret: string): Promise<number> {
  return withTimeout(
    page.evaluate(
      (secret) =>
        new Promise<number>((resolve, reject) => {
          const t0 = performance.now();
          const checkout = document.createElement('paykey-checkout');
          checkout.setAttribute('client-secret', secret);
          checkout.setAttribute('locale', 'en');
          checkout.addEventListener('paykey-ready', () => resolve(performance.now() - t0), { once: true });
          checkout.addEventListener('paykey-error', (e) => reject(new Error(`paykey-error ${JSON.stringify((e as CustomEvent).detail)}`)), { once: true });
          document.getElementById('checkout')!.append(checkout);
        }),
      clientSecret,
    ),
    LOAD_TIMEOUT_MS,
    'no paykey-ready on the merchant page',
  );
}

async function timeBlank(page: Page, stack: BenchStack, url: string): Promise<number> {
  // A concurrent `vite build` elsewhere would have emptied dist/widget: the blank page is put back before it is timed.
  stack.ensureBlankPage();
  return withTimeout(
    page.evaluate(
      (src) =>
        new Promise<number>((resolve) => {
          const t0 = performance.now();
          const frame = document.createElement('iframe');
          // No named function in here: tsx would wrap it in a helper the browser does not have.
          const listening = new AbortController();
          addEventListener(
            'message',
            (event) => {
              if (event.source !== frame.contentWindow || event.data !== 'bench-blank-ready') return;
              listening.abort();
              resolve(performance.now() - t0);
            },
            { signal: listening.signal },
          );
          frame.src = src;
          document.getElementById('checkout')!.append(frame);
        }),
      url,
    ),
    LOAD_TIMEOUT_MS,
    `no message from the blank page ${url}`,
  );
}

function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
