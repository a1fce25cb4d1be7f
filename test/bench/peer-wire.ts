/**
 * A peer's bundle as a shopper's browser downloads it: a fresh context (cold cache) opens the bench page that loads
 * the bundle's script and stylesheet from the bench page server (compressed as the wallet compresses), waits for the
 * page's `load` and for the script to have run (it defines `window.benchMountPeer`), and sums the bodies on the wire
 * and gzip -9'd of every response under the bundle's files prefix — measured exactly as the wallet's rows are.
 */
import { gzipSync } from 'node:zlib';
import type { Browser, Request } from 'playwright-core';
import type { PeerWeight } from './figures.ts';

export async function measurePeerWire(browser: Browser, name: string, page: { url: string; filesPrefix: string }): Promise<PeerWeight> {
  const origin = new URL(page.url).origin;
  const context = await browser.newContext();
  const finished: Request[] = [];
  const failed: string[] = [];
  const ours = (r: Request) => {
    const url = new URL(r.url());
    return url.origin === origin && url.pathname.startsWith(page.filesPrefix);
  };
  context.on('requestfinished', (r) => ours(r) && finished.push(r));
  context.on('requestfailed', (r) => ours(r) && failed.push(`${r.url()} (${r.failure()?.errorText})`));
  try {
    const tab = await context.newPage();
    await tab.goto(page.url, { waitUntil: 'load' });
    const ran = await tab.evaluate(() => typeof (window as unknown as { benchMountPeer?: unknown }).benchMountPeer === 'function');
    if (!ran) throw new Error(`${name}: the bundle loaded but did not run (no window.benchMountPeer)`);
    if (failed.length) throw new Error(`${name}: requests failed: ${failed.join(', ')}`);
    if (finished.length === 0) throw new Error(`${name}: no response under ${page.filesPrefix} reached the bench`);
    let wire = 0;
    let gzip = 0;
    for (const request of finished) {
      const response = await request.response();
      if (!response || response.status() !== 200) throw new Error(`${name}: ${request.url()} answered ${response?.status() ?? 'nothing'}, expected 200`);
      wire += Math.max(0, (await request.sizes()).responseBodySize);
      gzip += gzipSync(await response.body(), { level: 9 }).length;
    }
    return { name, wire, gzip, requests: finished.length };
  } finally {
    await context.close();
  }
}
