/**
 * Part 2 of `npm run bench`: time to ready. On the merchant page (bench page server, another site than the wallet),
 * once the loader has defined `<paykey-checkout>`, the page's own clock (`performance.now()`) times
 * - paykey: creating and inserting `<paykey-checkout client-secret locale="en">` (a new payment intent each time) up
 *   to its `paykey-ready` event;
 * - blank: creating and inserting an iframe of a blank page served by the same wallet server (its asset route) up to
 *   the `message` that page posts to its parent on `load` — the floor any cross-origin iframe from this server costs.
 * - floor: the floor frame (`bench-stack.ts`), the floor of any wallet frame under this architecture: an iframe on the
 *   wallet's origin that says `loaded`, takes the loader's `init` (sent here by the page as the loader sends it), asks
 *   for that client secret's checkout, shows the start of the answer and says `ready`, with no module and no first
 *   screen; timed like paykey, up to its `ready` (a new payment intent each time, a new URL each warm load: fetched
 *   over the network, as the `no-store` frame page is).
 * Cold: each load in a fresh browser context (empty HTTP cache). Warm: one context, the merchant page reloaded before
 * each load, after one unmeasured load of each. The kinds take turns going first, so drift on this shared machine
 * affects them alike. Reported: medians; ratio = paykey / blank; the floor frame against both.
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

  const cold = { paykey: [] as number[], blank: [] as number[], floor: [] as number[] };
  // One unmeasured round first: the wallet compresses each file on its first request.
  for (let i = -1; i < loads; i++) {
    for (const kind of takingTurns(['paykey', 'blank', 'floor'] as const, i)) {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await openMerchantPage(page, stack);
        const ms = await timeLoad(page, stack, kind, i + 1);
        if (i >= 0) cold[kind].push(ms);
      } finally {
        await context.close();
      }
    }
  }

  const warm = { paykey: [] as number[], blank: [] as number[], refetch: [] as number[], floor: [] as number[] };
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    for (let i = -1; i < loads; i++) {
      for (const kind of takingTurns(['paykey', 'blank', 'refetch', 'floor'] as const, i)) {
        await openMerchantPage(page, stack);
        const ms = await timeLoad(page, stack, kind, i + 1);
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
    floorColdMs: median(cold.floor),
    floorWarmMs: median(warm.floor),
  };
}

type LoadKind = 'paykey' | 'blank' | 'refetch' | 'floor';

/** `kinds` rotated by round `i` (the unmeasured round -1 as round 0), so each kind goes first in turn. */
function takingTurns<K extends LoadKind>(kinds: readonly K[], i: number): K[] {
  return kinds.map((_, k) => kinds[(k + Math.max(i, 0)) % kinds.length]!);
}

/**
 * One load of `kind` on the open merchant page: paykey and the floor frame with a new payment intent each; the blank
 * page at its own URL, `refetch` at a new one (`n`), as the floor frame is.
 */
async function timeLoad(page: Page, stack: BenchStack, kind: LoadKind, n: number): Promise<number> {
  if (kind === 'paykey') return timePaykey(page, await stack.createClientSecret());
  if (kind === 'floor') return timeFloor(page, stack, await stack.createClientSecret(), n);
  return timeBlank(page, stack, kind === 'blank' ? stack.blankUrl : `${stack.blankUrl}?n=${n}`);
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
  stack.ensureBenchPages();
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

/**
 * The floor frame, driven as the loader drives the wallet frame: an iframe with the loader's `allow` list at the
 * floor page's URL with this page's origin (and `n`, a new URL each load), `init` with the client secret on its
 * `loaded`, timed up to its `ready`.
 */
async function timeFloor(page: Page, stack: BenchStack, clientSecret: string, n: number): Promise<number> {
  stack.ensureBenchPages();
  return withTimeout(
    page.evaluate(
      ({ floorUrl, walletOrigin, secret, n }) =>
        new Promise<number>((resolve, reject) => {
          const t0 = performance.now();
          const frame = document.createElement('iframe');
          frame.allow = 'publickey-credentials-get; publickey-credentials-create; payment';
          const listening = new AbortController();
          addEventListener(
            'message',
            (event) => {
              if (event.source !== frame.contentWindow || event.origin !== walletOrigin) return;
              const type = (event.data as { type?: unknown } | null)?.type;
              if (type === 'loaded') frame.contentWindow!.postMessage({ paykey: 1, type: 'init', clientSecret: secret, locale: 'en' }, walletOrigin);
              if (type === 'ready') resolve(performance.now() - t0);
              if (type === 'error') reject(new Error('the floor frame: the checkout request failed'));
              if (type === 'ready' || type === 'error') listening.abort();
            },
            { signal: listening.signal },
          );
          frame.src = `${floorUrl}?origin=${encodeURIComponent(location.origin)}&n=${n}`;
          document.getElementById('checkout')!.append(frame);
        }),
      { floorUrl: stack.floorUrl, walletOrigin: stack.walletOrigin, secret: clientSecret, n },
    ),
    LOAD_TIMEOUT_MS,
    `no ready from the floor frame ${stack.floorUrl}`,
  );
}

function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
