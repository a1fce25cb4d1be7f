/**
 * Part 1 of `npm run bench`: the wallet's weight on the wire before `paykey-ready` (a new English-speaking shopper,
 * cold cache, merchant page on another site; every request to the wallet's origin: loader, frame page, scripts,
 * styles and the frame's API calls), next to Adyen's card component and Braintree's drop-in bundled by the same
 * Vite/Rolldown minifier and served with the same compression, loaded in the same Chromium in the same run.
 */
import type { WeightFigures } from './figures.ts';
import { withBrowserBench, type BrowserBench } from './bench-stack.ts';
import { measurePeerWire } from './peer-wire.ts';
import { measureWalletWire } from './wallet-wire.ts';

export interface WeightBenchOptions {
  /** A running stack and browser (npm run bench shares one with the ready benchmark); started and stopped here if absent. */
  bench?: BrowserBench;
}

export async function runWeightBench(opts: WeightBenchOptions = {}): Promise<WeightFigures> {
  if (!opts.bench) return withBrowserBench((bench) => runWeightBench({ bench }));
  const { stack, browser } = opts.bench;
  const wallet = await measureWalletWire(browser, stack);
  const bad = wallet.rows.filter((r) => r.status !== 200);
  if (bad.length) throw new Error(`wallet responses before paykey-ready: expected 200 each, got ${bad.map((r) => `${r.url} ${r.status}`).join(', ')}`);
  if (!stack.peers) throw new Error('the bench stack was started without the peers\' bundles');
  const adyen = await measurePeerWire(browser, stack.peers.adyen.name, stack.pages.peerPage('adyen'));
  const braintree = await measurePeerWire(browser, stack.peers.braintree.name, stack.pages.peerPage('braintree'));
  const wireBytes = wallet.rows.reduce((a, r) => a + r.wire, 0);
  const gzipBytes = wallet.rows.reduce((a, r) => a + r.gzip, 0);
  return {
    wireBytes,
    gzipBytes,
    requests: wallet.rows.length,
    rows: wallet.rows.map(({ url, wire, gzip }) => ({ url, wire, gzip })),
    adyen,
    braintree,
    adyenRatio: adyen.wire / wireBytes,
    braintreeRatio: braintree.wire / wireBytes,
    afterReady: wallet.afterReady,
  };
}
