/**
 * Everything a new English-speaking shopper's browser receives from the wallet's origin before `paykey-ready`, as
 * `test/frame-weight.ts` captures it (same cut, same sizes), on the bench's merchant page:
 * - the merchant page itself: what finished there before the loader fired `paykey-ready` (a capture listener → a
 *   binding) — the loader `/paykey.js`;
 * - the frame: its document and what its Resource Timing listed as finished at the moment it posted `ready` to the
 *   loader (an init script wraps the frame's `parent.postMessage`): scripts, styles and its `/api/frame/*` calls.
 *   The frame starts its passkey code right after posting `ready`; that fetch can finish before the merchant page
 *   hears of it, so the frame's own moment is the exact cut.
 * Sizes: `wire` is the body as it came over the network (Chromium's encoded body size: compressed as served), `gzip`
 * the decoded body gzip -9'd.
 */
import { gzipSync } from 'node:zlib';
import type { Browser, Request } from 'playwright-core';
import { frameReadyCutScript, type FrameReady } from '../support/frame-ready-cut.ts';
import type { WireRow } from './figures.ts';
import type { BenchStack } from './bench-stack.ts';
import { withTimeout } from './with-timeout.ts';

const READY_TIMEOUT_MS = 20_000;

export interface WalletWire {
  rows: (WireRow & { status: number })[];
  /** What the frame started or loaded after it posted `ready` (by the time it was read): not counted. */
  afterReady: string[];
}

/** One cold checkout (a fresh browser context: empty HTTP cache, no storage), `locale="en"`. */
export async function measureWalletWire(browser: Browser, stack: BenchStack): Promise<WalletWire> {
  const wallet = stack.walletOrigin;
  const context = await browser.newContext();
  const finished: Request[] = [];
  const failed: string[] = [];
  let onNewFinished = () => {};
  context.on('requestfinished', (r) => {
    if (new URL(r.url()).origin !== wallet) return;
    finished.push(r);
    onNewFinished();
  });
  context.on('requestfailed', (r) => {
    if (new URL(r.url()).origin === wallet) failed.push(`${r.url()} (${r.failure()?.errorText})`);
  });
  try {
    const page = await context.newPage();
    let fireReady!: () => void;
    const readyFired = new Promise<void>((resolve) => (fireReady = resolve));
    await page.exposeBinding('__benchReady', () => fireReady());
    await page.addInitScript(frameReadyCutScript(wallet, '__benchReady', '__benchFrameReady'));
    const clientSecret = await stack.createClientSecret();
    await page.goto(stack.merchantUrl);
    await insertCheckout(page, clientSecret);
    await withTimeout(readyFired, READY_TIMEOUT_MS, 'no paykey-ready on the merchant page');
    const loaderDone = finished.filter((r) => r.frame() === page.mainFrame());
    const frame = page.frames().find((f) => f.url().startsWith(`${wallet}/frame/`));
    if (!frame) throw new Error('no wallet frame on the merchant page after paykey-ready');
    const seen = await frame.evaluate(() => (window as unknown as { __benchFrameReady?: FrameReady }).__benchFrameReady);
    if (!seen) throw new Error('the wallet frame never posted "ready" through parent.postMessage (did the loader protocol change?)');
    // The browser reports the frame's responses on the frame's own channel: wait until each has reached us.
    const wanted = [seen.document, ...seen.loaded.filter((u) => new URL(u).origin === wallet)];
    const missing = () => wanted.filter((u) => !finished.some((r) => r.url() === u));
    await withTimeout(
      new Promise<void>((resolve) => {
        onNewFinished = () => missing().length === 0 && resolve();
        onNewFinished();
      }),
      READY_TIMEOUT_MS,
      `the frame loaded ${missing().join(', ')} before ready, but no response for it reached the bench`,
    );
    if (failed.length) throw new Error(`requests to the wallet failed: ${failed.join(', ')}`);
    const counted = [...loaderDone, ...finished.filter((r) => r.frame() !== page.mainFrame() && wanted.includes(r.url()))];
    const now = await frame.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    const afterReady = now.filter((u) => !seen.loaded.includes(u)).map((u) => new URL(u).pathname);
    const rows: WalletWire['rows'] = [];
    for (const request of counted) {
      const response = await request.response();
      if (!response) throw new Error(`${request.url()}: finished without a response`);
      const sizes = await request.sizes();
      const body = response.status() >= 300 && response.status() < 400 ? Buffer.alloc(0) : await response.body();
      const url = new URL(request.url());
      rows.push({
        url: url.pathname + url.search.replace(/client_secret=[^&]+/, 'client_secret=…'),
        status: response.status(),
        wire: Math.max(0, sizes.responseBodySize),
        gzip: body.length ? gzipSync(body, { level: 9 }).length : 0,
      });
    }
    return { rows, afterReady };
  } finally {
    await context.close();
  }
}

/** Inserts `<paykey-checkout client-secret locale="en">` once the loader has defined it; resolves when inserted. */
export async function insertCheckout(page: import('playwright-core').Page, clientSecret: string): Promise<void> {
  await page.evaluate(async (secret) => {
    await customElements.whenDefined('paykey-checkout');
    const checkout = document.createElement('paykey-checkout');
    checkout.setAttribute('client-secret', secret);
    checkout.setAttribute('locale', 'en');
    document.getElementById('checkout')!.append(checkout);
  }, clientSecret);
}
