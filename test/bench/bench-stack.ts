/**
 * What the browser half of `npm run bench` runs against: the demo (`npm start`'s processes: the wallet serving the
 * built `dist/widget`, its banks) with one merchant origin, the bench's own page server on 127.0.0.1 — a different
 * site from the wallet (`localhost`) — and two pages the wallet itself serves: a blank page, the time-to-ready floor
 * of any iframe, and the floor frame, the floor of any wallet frame under this architecture.
 *
 * Both pages: the wallet has no route for them and the bench does not change server code, so the bench writes tiny
 * HTML files into the build's `assets/` folder (unique names, removed at stop) and the wallet serves them through its
 * own asset route: same process, same port, same compression and headers as the frame's chunks.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startDemoStack, type DemoStack } from '../e2e/demo-stack.ts';
import { chromiumArgs, chromiumPath } from '../support/chromium.ts';
import { freePort } from '../support/free-port.ts';
import { startBenchPageServer, type BenchPageServer } from './bench-page-server.ts';
import { bundlePeers, removePeerBundles, type PeerBundle, type PeerKey } from './peers/bundle-peers.ts';

export const distDir = resolve(import.meta.dirname, '..', '..', 'dist', 'widget');

/** Posts `bench-blank-ready` to its parent on `load`, as the wallet frame posts `ready` when its first screen shows. */
const BLANK_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>blank</title></head><body><script>addEventListener('load', () => parent.postMessage('bench-blank-ready', '*'));</script></body></html>\n`;

/**
 * The floor frame: every step the architecture fixes for the wallet frame, and nothing else. It says `loaded` to the
 * origin of its `origin` parameter as it is parsed, takes the first `init` from its parent at that origin, asks the
 * wallet for that client secret's checkout (the request the real frame's boot sends), writes the start of the answer
 * into the page, shows it and says `ready`: no module, no wallet element, no first screen. The merchant page talks to
 * it with the loader's protocol (`ready-bench.ts`).
 */
const FLOOR_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>floor</title><script>
const origin = new URLSearchParams(location.search).get('origin');
let started = false;
addEventListener('message', async (event) => {
  if (started || event.origin !== origin || event.source !== parent || event.data?.type !== 'init') return;
  started = true;
  const body = JSON.stringify({ client_secret: event.data.clientSecret });
  const answer = await fetch('/api/frame/checkout', { method: 'POST', headers: { 'content-type': 'application/json' }, body, credentials: 'omit' });
  document.body.textContent = (await answer.text()).slice(0, 80);
  document.body.hidden = false;
  parent.postMessage({ paykey: 1, type: answer.ok ? 'ready' : 'error' }, origin);
});
parent.postMessage({ paykey: 1, type: 'loaded' }, origin);
</script></head><body hidden></body></html>
`;

export interface BenchStack {
  demo: DemoStack;
  walletOrigin: string;
  /** The merchant page (bench page server): loads the wallet's `/paykey.js` in its head, inserts nothing by itself. */
  merchantUrl: string;
  /** The blank page, served by the wallet's own asset route. */
  blankUrl: string;
  /** The floor frame (`FLOOR_HTML`), served by the wallet's own asset route; add `?origin=` (and a fresh `n` to refetch it). */
  floorUrl: string;
  pages: BenchPageServer;
  /** The peers' bundles the page server serves, if it was given them. */
  peers?: Record<PeerKey, PeerBundle>;
  /** A new payment intent's client secret (the demo merchant's secret key, the merchant API, real HTTP). */
  createClientSecret(): Promise<string>;
  /** Rewrites the blank page and the floor frame if a concurrent `vite build` emptied `dist/widget`. */
  ensureBenchPages(): void;
  stop(): Promise<void>;
}

export async function startBenchStack(peers?: Record<PeerKey, PeerBundle>): Promise<BenchStack> {
  if (!existsSync(join(distDir, 'frame.html'))) throw new Error(`missing ${distDir}/frame.html: run \`vite build\` first (npm run bench does)`);
  const pagePort = await freePort();
  const merchantOrigin = `http://127.0.0.1:${pagePort}`;
  const demo = await startDemoStack({ PAYKEY_DEMO_MERCHANT_ORIGINS: merchantOrigin });
  const walletOrigin = new URL(demo.walletUrl).origin;
  let pages: BenchPageServer;
  try {
    pages = await startBenchPageServer({ port: pagePort, walletOrigin, peers });
  } catch (error) {
    await demo.stop();
    throw error;
  }
  const tag = randomBytes(6).toString('hex');
  const files = { blank: { name: `bench-blank-${tag}.html`, html: BLANK_HTML }, floor: { name: `bench-floor-${tag}.html`, html: FLOOR_HTML } };
  const pathOf = (name: string) => join(distDir, 'assets', name);
  const ensureBenchPages = () => {
    for (const { name, html } of Object.values(files)) if (!existsSync(pathOf(name))) writeFileSync(pathOf(name), html);
  };
  ensureBenchPages();
  return {
    demo,
    walletOrigin,
    merchantUrl: `${merchantOrigin}/merchant`,
    blankUrl: `${walletOrigin}/assets/${files.blank.name}`,
    floorUrl: `${walletOrigin}/assets/${files.floor.name}`,
    pages,
    peers,
    ensureBenchPages,
    async createClientSecret() {
      const res = await fetch(`${demo.walletUrl}/v1/payment_intents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${demo.secretKey}`, 'content-type': 'application/json' },
        // The demo shop's Paykey Tee: what frame-weight's first screen buys too.
        body: JSON.stringify({ amount: 1999, currency: 'USD', description: 'Paykey Tee', reference: `bench-${randomBytes(6).toString('hex')}` }),
      });
      const body = (await res.json().catch(() => null)) as { client_secret?: string } | null;
      if (res.status !== 201 || !body?.client_secret) throw new Error(`creating a payment intent: expected 201 with a client_secret, got ${res.status} ${JSON.stringify(body)}`);
      return body.client_secret;
    },
    async stop() {
      for (const { name } of Object.values(files)) rmSync(pathOf(name), { force: true });
      await Promise.allSettled([pages.close(), demo.stop()]);
    },
  };
}

/** What the weight and ready benchmarks share: the stack (with the peers' bundles served) and one headless Chromium. */
export interface BrowserBench {
  stack: BenchStack;
  browser: Browser;
  chromiumVersion: string;
}

/**
 * Bundles the peers, starts the stack and Chromium (`test/support/chromium.ts`: path and flags), runs `body`, and
 * stops everything it started, the peers' temp folder included, whatever happened.
 */
export async function withBrowserBench<T>(body: (bench: BrowserBench) => Promise<T>): Promise<T> {
  const peers = await bundlePeers();
  try {
    return await withStackAndBrowser(peers, body);
  } finally {
    removePeerBundles(peers);
  }
}

async function withStackAndBrowser<T>(peers: Record<PeerKey, PeerBundle>, body: (bench: BrowserBench) => Promise<T>): Promise<T> {
  const [stackStart, browserStart] = await Promise.allSettled([startBenchStack(peers), chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs })]);
  if (stackStart.status === 'rejected' || browserStart.status === 'rejected') {
    if (browserStart.status === 'fulfilled') await browserStart.value.close();
    if (stackStart.status === 'fulfilled') await stackStart.value.stop();
    throw stackStart.status === 'rejected' ? stackStart.reason : (browserStart as PromiseRejectedResult).reason;
  }
  const [stack, browser] = [stackStart.value, browserStart.value];
  try {
    return await body({ stack, browser, chromiumVersion: browser.version() });
  } finally {
    await browser.close();
    await stack.stop();
  }
}
