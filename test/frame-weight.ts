/**
 * The widget's weight as a shopper's browser meets it (run after `vite build`): the demo (demo-stack.ts, serving the
 * built `dist/widget`) and real Chromium. For each first screen the shop creates a payment intent with the merchant
 * API and renders `<paykey-checkout>`; every response the browser receives from the wallet's origin until the loader
 * fires `paykey-ready` on the shop's page is recorded (URL, bytes on the wire, bytes once gzip -9'd), in three parts:
 * - loader: what the shop's page itself fetched from the wallet (`paykey.js`) — budget 3 KB on the wire (aim 1.5 KB);
 * - frame: the frame's document and every script, stylesheet or other file it fetched;
 * - api: the frame's `/api/frame/*` answers (the checkout data the first screen shows).
 * Budgets apply to the bytes on the wire, as this server sent them (compressed or not), summed over all three parts:
 * issue 7's target is 15 KB; the gzip -9 column is for reference (what any compressing server would send). The frame's
 * cut is the moment it posts `ready` to the loader (its own Resource Timing then); what it fetches after (the passkey
 * code, warmed as the first screen shows) is listed, not counted.
 *
 * First screens: a new shopper in English (`locale="en"`) and in Chinese (`locale="zh-CN"`), each in a fresh context
 * (empty HTTP cache, no IndexedDB); a returning shopper who paid once in the same context (passkey on a virtual
 * authenticator, card saved in IndexedDB), measured with the HTTP cache emptied (what a deploy or an evicted cache
 * costs — budgeted) and, for the record, with it warm. Prints a table; exits 1 over budget or on any failure.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { chromiumArgs, chromiumPath } from './support/chromium.ts';
import { addCard, createPasskey, pressPay, waitForEvent } from './e2e/demo-shop-driver.ts';
import { startDemoStack, type DemoStack } from './e2e/demo-stack.ts';
import { addVirtualAuthenticator } from './e2e/virtual-authenticator.ts';
import { frameReadyCutScript, type FrameReady } from './support/frame-ready-cut.ts';

const KB = 1024;
/** The build the demo's wallet serves. */
const dist = join(import.meta.dirname, '..', 'dist', 'widget');
/**
 * Bytes on the wire before `paykey-ready`: the loader alone, and everything (loader, frame, API data) together, with a
 * total for each kind of first screen set just above what it downloads today, so any growth fails; issue 7's target is
 * 15 KB for a new shopper.
 * - A new shopper (sign-in; 12.05 KB in English, 12.66 KB in Chinese, 3 and 4 requests): neither the device cache's code (idb) nor the
 *   server codes' texts come before ready (`early-start.ts`, `en-later.ts`), nor the card screens' side of the flow
 *   (`card-checkout.ts`: terms, offers, Pay, Add card, the cards' state, the waiting times), nor the later screens' API
 *   calls (`shopper-calls.ts`, signing in's included: made only when a button is pressed), nor any API answer (the
 *   checkout comes sealed in the frame page, `boot-checkout.ts`), nor the form controls' styles (`form-styles.ts`); the frame page holds its boot inline
 *   and names one module, with the wallet and sign-in's code in it (`screen-modules.ts`), so nothing downloads after
 *   that module has run. Chunk names carry content hashes, which move a build's compressed size by a few bytes either
 *   way.
 * - A returning shopper (confirm with the saved cards; 23.86 KB): the confirm screen with the whole table and the card
 *   screens' side of the flow, the card banks' brands (`/api/frame/brands`), and the device cache in a chunk of its own,
 *   asked for by the entry at once (`first-screen-hint.ts`). Raised three times on purpose, each time for every new
 *   shopper: from 25 KB when the device cache left the entry (a returning shopper ~0.3 KB and one request more, a new
 *   one 1.6 KB less), from 25.5 KB when sign-in joined the wallet's chunk (a returning shopper whose HTTP cache is
 *   empty downloads its ~0.3 KB too; a new one saves 0.6 KB and a request, which waited for the entry to run), then
 *   from 25.75 KB when the card side of the flow left the wallet's chunk for the confirm screen's (a returning shopper
 *   ~0.5 KB more, no request more; a new one ~1 KB less). Lowered with everybody's when the entry and the wallet's
 *   chunk became one module, with the boot inline in the page (0.4–0.5 KB and two requests less for every shopper).
 *   Raised with everybody's when the boot began to ask for the checkout itself as the loader's `init` comes, before
 *   the module has run (`boot-checkout.ts`: +190 B for every shopper, for a request that leaves earlier). Lowered with
 *   everybody's when the frame's elements left `LitElement` for `TemplateElement` (Lit's templates on a base of our
 *   own, `template-element.ts`): 1.7 KB less for every shopper; then by 0.3–0.4 KB when lazy chunks' file names became
 *   their hash alone and the preload lists left out the confirm screen's chunk (`vite.config.ts`). Lowered with
 *   everybody's when every template was compiled at build and lit-html's run-time template preparation left the build
 *   (`widget/build/precompile-templates.ts`): 0.7 KB less for a new shopper, 0.35 KB for a returning one (the
 *   confirm screen's chunk, with its compiled templates, is 0.3 KB more). Raised for a returning shopper (from 23.5 KB,
 *   +0.28 KB and one request less) when the checkout came sealed in the frame page instead of from its own request,
 *   so that no first screen waits for an API round trip (the page +0.4 KB, the checkout's answer −0.2 KB), and
 *   signing in's code left the frame's module for the card screens' chunk (−0.12 KB for every new shopper, +0.2 KB
 *   for a returning one whose HTTP cache is empty). V8's compile hint atop the frame's module (`vite.config.ts`,
 *   `compileHintForFrameModule`) costs every shopper about 27 B, for the time to ready. Raised for a returning
 *   shopper from 23.85 KB (+34 B in the confirm screen's chunk) when each bank logo began to keep its place before the
 *   brand check lets it show (`PaykeyConfirm.renderLogo`), so that nothing on that screen moves when it does. Raised
 *   from 23.9 KB (+40 B in that chunk) when "Getting the price…" kept its line and an empty line held the offers'
 *   place until they answer, so that Pay and Add card stay under the pointer as the price and the offers come.
 */
/**
 * Issue 7 asks for ≥ 7.5× less than Adyen's card component and ≥ 8.5× less than Braintree's drop-in on the wire:
 * 97,203 B and 104,959 B as `npm run bench` measures them (`test/bench/peers/`; their bundles do not change between
 * runs), so a new English shopper's budget is the lower of the two quotients, Braintree's: 12,348 B (12,337 B today).
 */
const adyenCardComponentBytes = 97_203;
const braintreeDropInBytes = 104_959;
const newShopperEn = Math.floor(Math.min(adyenCardComponentBytes / 7.5, braintreeDropInBytes / 8.5));
const budgets = { loader: 3 * KB, newShopper: { en: newShopperEn, 'zh-CN': 12.7 * KB }, returning: 23.95 * KB } as const;
/** Issue 7's targets; the totals' budgets are set just above what the frame reaches today. */
const targets = { loader: 1.5 * KB, total: 15 * KB } as const;
const READY_TIMEOUT_MS = 20_000;
/** The whole run, demo start to table, fails past this (it takes well under a minute). */
const RUN_TIMEOUT_MS = 120_000;
/** What each first screen is doing now, printed if the run times out. */
const progress = new Map<string, string>();
const at = (who: string, what: string) => {
  progress.set(who, what);
  if (process.env.PAYKEY_WEIGHT_TRACE) console.error(`${new Date().toISOString()} ${who}: ${what}`);
};

type Part = 'loader' | 'frame' | 'api';

interface Fetched {
  url: string;
  part: Part;
  status: number;
  /** Body bytes as they came over the network (encoded, if the server compressed). */
  wire: number;
  /** The decoded body, gzip -9'd. */
  gzip: number;
  fromCache: boolean;
}

interface Visit {
  name: string;
  /** Bytes on the wire allowed before ready, all requests together; none for a visit measured for the record. */
  budget?: number;
  fetched: Fetched[];
  /** What the frame loaded after it posted `ready` (by the time it was read): not counted. */
  inFlight: string[];
}

/**
 * Opens the shop, buys `product` in `lang`, and records the wallet origin's responses up to `paykey-ready`:
 * - the shop's page: what finished before the loader fired `paykey-ready` there (a capture listener → a binding);
 * - the frame: what its Resource Timing listed as finished at the moment it posted `ready` to the loader (an init script
 *   wraps the frame's `parent.postMessage`). The frame starts its passkey code right after posting `ready`; that fetch
 *   can finish before the shop's page hears of it, so the frame's own moment is the exact cut.
 * No polling, no sleeps: each wait is for an event, under a timeout.
 */
async function measure(stack: DemoStack, context: BrowserContext, page: Page, name: string, lang: 'en' | 'zh-CN', product: string, budget?: number): Promise<Visit> {
  const wallet = new URL(stack.walletUrl).origin;
  const finished: Request[] = [];
  const failed: string[] = [];
  let onNewFinished = () => {};
  const onFinished = (r: Request) => {
    if (new URL(r.url()).origin !== wallet) return;
    finished.push(r);
    onNewFinished();
  };
  const onFailed = (r: Request) => {
    if (new URL(r.url()).origin === wallet) failed.push(`${r.url()} (${r.failure()?.errorText})`);
  };
  let fireReady!: () => void;
  const readyFired = new Promise<void>((resolve) => (fireReady = resolve));
  const bindingName = `__paykeyWeightReady${Math.random().toString(36).slice(2)}`;
  await page.exposeBinding(bindingName, () => {
    fireReady();
  });
  await page.addInitScript(frameReadyCutScript(wallet, bindingName, '__paykeyFrameReady'));
  context.on('requestfinished', onFinished);
  context.on('requestfailed', onFailed);
  let frameReady: FrameReady;
  try {
    at(name, 'opening the shop');
    await page.goto(`${stack.shopUrl}/?lang=${lang}`);
    await page.getByRole('button', { name: `Buy ${product}` }).click();
    at(name, 'waiting for paykey-ready');
    await withTimeout(readyFired, `${name}: no paykey-ready within ${READY_TIMEOUT_MS} ms`);
    const loaderDone = finished.filter((r) => r.frame() === page.mainFrame());
    const frame = page.frames().find((f) => f.url().startsWith(`${stack.walletUrl}/frame/`));
    if (!frame) throw new Error(`${name}: no wallet frame on the page after paykey-ready`);
    const seen = await frame.evaluate(() => (window as unknown as { __paykeyFrameReady?: FrameReady }).__paykeyFrameReady);
    if (!seen) throw new Error(`${name}: the wallet frame never posted "ready" through parent.postMessage (did the loader protocol change?)`);
    frameReady = seen;
    // The browser reports the frame's responses on the frame's own channel: wait until each has reached us.
    const wanted = [seen.document, ...seen.loaded.filter((u) => new URL(u).origin === wallet)];
    const missing = () => wanted.filter((u) => !finished.some((r) => r.url() === u));
    await withTimeout(
      new Promise<void>((resolve) => {
        onNewFinished = () => missing().length === 0 && resolve();
        onNewFinished();
      }),
      `${name}: the frame loaded ${missing().join(', ')} before ready, but no response for it reached the test`,
    );
    finished.splice(0, finished.length, ...loaderDone, ...finished.filter((r) => r.frame() !== page.mainFrame() && wanted.includes(r.url())));
  } finally {
    context.off('requestfinished', onFinished);
    context.off('requestfailed', onFailed);
  }
  if (failed.length) throw new Error(`${name}: requests to the wallet failed: ${failed.join(', ')}`);
  const inFlight = await frameAfterReady(page, stack, frameReady);
  at(name, `reading ${finished.length} responses`);
  const fetched: Fetched[] = [];
  for (const request of finished) {
    const response = await request.response();
    if (!response) continue;
    const url = new URL(request.url());
    const part: Part = url.pathname.startsWith('/api/') ? 'api' : request.frame() === page.mainFrame() ? 'loader' : 'frame';
    const sizes = await request.sizes();
    const body = response.status() >= 300 && response.status() < 400 ? Buffer.alloc(0) : await response.body();
    fetched.push({
      url: url.pathname + url.search.replace(/client_secret=[^&]+/, 'client_secret=…'),
      part,
      status: response.status(),
      wire: Math.max(0, sizes.responseBodySize),
      gzip: body.length ? gzipSync(body, { level: 9 }).length : 0,
      // Served from the HTTP cache: nothing came over the network (Chromium reports 0 or less).
      fromCache: sizes.responseBodySize <= 0 && body.length > 0,
    });
  }
  at(name, 'done');
  return { name, budget, fetched, inFlight };
}

/** What the frame has loaded or started since it posted `ready` (its Resource Timing now, less what it had then). */
async function frameAfterReady(page: Page, stack: DemoStack, ready: FrameReady): Promise<string[]> {
  const frame = page.frames().find((f) => f.url().startsWith(`${stack.walletUrl}/frame/`))!;
  const now = await frame.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  return now.filter((u) => !ready.loaded.includes(u)).map((u) => new URL(u).pathname);
}

async function withTimeout<T>(promise: Promise<T>, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), READY_TIMEOUT_MS)))]).finally(() =>
    clearTimeout(timer),
  );
}

/** A new page in `context` (a new shopper's fresh context or the returning shopper's). */
async function measureNew(stack: DemoStack, browser: Browser, name: string, lang: 'en' | 'zh-CN'): Promise<Visit> {
  const context = await browser.newContext();
  try {
    return await measure(stack, context, await context.newPage(), name, lang, 'Paykey Tee', budgets.newShopper[lang]);
  } finally {
    await context.close();
  }
}

/** Pays once (passkey + card saved to the device), then measures the next checkout with the HTTP cache warm and emptied. */
async function measureReturning(stack: DemoStack, browser: Browser): Promise<Visit[]> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const authenticator = await addVirtualAuthenticator(page);
    at('returning shopper', 'first visit: checkout');
    await page.goto(`${stack.shopUrl}/?lang=en`);
    await page.getByRole('button', { name: 'Buy Paykey Tee' }).click();
    await waitForEvent(page, 'paykey-ready');
    const frame = page.frames().find((f) => f.url().startsWith(`${stack.walletUrl}/frame/`));
    if (!frame) throw new Error('returning shopper: no wallet frame on the first visit');
    at('returning shopper', 'first visit: passkey, card, pay');
    await createPasskey(frame, `weight-${Date.now()}@example.com`);
    await addCard(frame, '4242 4242 4242 4242');
    await pressPay(frame.getByRole('button', { name: /^Pay / }));
    await waitForEvent(page, 'paykey-success');
    at('returning shopper', 'paid once');
    const warm = await measure(stack, context, await context.newPage(), 'returning shopper, en, HTTP cache warm', 'en', 'Paykey Tee');
    await authenticator.cdp.send('Network.clearBrowserCache');
    const visitPage = await context.newPage();
    const cold = await measure(stack, context, visitPage, 'returning shopper, en (cards in IndexedDB)', 'en', 'Paykey Tee', budgets.returning);
    // The first screen must be the returning shopper's: the saved card, not the sign-in.
    const wallet = visitPage.frames().find((f) => f.url().startsWith(`${stack.walletUrl}/frame/`));
    if (!wallet || !(await wallet.getByRole('radio', { name: /Visa.*4242/ }).count())) {
      throw new Error('returning shopper: the first screen after paykey-ready does not show the saved Visa …4242');
    }
    await authenticator.cdp.detach();
    return [cold, warm];
  } finally {
    await context.close();
  }
}

/**
 * A script's URL with the chunk it holds: lazy chunks' files are their content hash alone (`vite.config.ts`), so the
 * build's manifest (`.vite/manifest.json`) names them here, e.g. `/assets/Cw-QDF.js (wallet-cache)`.
 */
function named(url: string): string {
  chunkNames ??= new Map(
    Object.values(JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<string, { file: string; name?: string }>).map(
      (chunk) => [`/${chunk.file}`, chunk.name ?? ''],
    ),
  );
  const name = chunkNames.get(url.replace(/[?#].*$/, ''));
  return name && !url.includes(`/${name}-`) ? `${url} (${name})` : url;
}
let chunkNames: Map<string, string> | undefined;

function table(visits: Visit[]): { text: string; over: string[] } {
  const rows: string[][] = [];
  const over: string[] = [];
  // What came from the HTTP cache was not downloaded: listed, not summed.
  const sum = (list: Fetched[], k: 'wire' | 'gzip') => list.reduce((a, f) => a + (f.fromCache ? 0 : f[k]), 0);
  const kb = (n: number) => `${n} (${(n / KB).toFixed(2)} KB)`;
  for (const visit of visits) {
    const budgeted = visit.budget !== undefined;
    rows.push([`${visit.name}${budgeted ? '' : ' — not budgeted'}`, '', '', '', '']);
    const label = { loader: 'loader (shop page)', frame: 'frame before ready', api: 'api data before ready' } as const;
    for (const part of ['loader', 'frame', 'api'] as const) {
      const list = visit.fetched.filter((f) => f.part === part);
      for (const f of list) rows.push([`    ${named(f.url)}${f.status === 200 ? '' : ` [${f.status}]`}${f.fromCache ? ' [from cache]' : ''}`, `${f.wire}`, `${f.gzip}`, '', '']);
      const wire = sum(list, 'wire');
      const ok = part !== 'loader' || wire <= budgets.loader;
      if (budgeted && !ok) over.push(`${visit.name}: loader ${wire} B on the wire > ${budgets.loader} B`);
      rows.push([
        `  ${label[part]}`,
        kb(wire),
        `${sum(list, 'gzip')}`,
        budgeted && part === 'loader' ? `${budgets.loader / KB} KB (aim ${targets.loader / KB} KB)` : '',
        budgeted && part === 'loader' ? (ok ? 'ok' : 'OVER BUDGET') : '',
      ]);
    }
    const wire = sum(visit.fetched, 'wire');
    const ok = !budgeted || wire <= visit.budget!;
    const requests = visit.fetched.filter((f) => !f.fromCache).length;
    if (!ok) over.push(`${visit.name}: ${wire} B on the wire before ready > ${visit.budget} B`);
    rows.push([
      `  total before ready (${requests} requests)`,
      kb(wire),
      `${sum(visit.fetched, 'gzip')}`,
      budgeted ? `${+(visit.budget! / KB).toFixed(2)} KB (target ${targets.total / KB} KB)` : '—',
      budgeted ? (ok ? (wire <= targets.total ? 'ok' : 'ok (over the target)') : 'OVER BUDGET') : '',
    ]);
    for (const url of visit.inFlight) rows.push([`    after ready, not counted: ${named(url)}`, '', '', '', '']);
  }
  const head = ['first screen / response', 'wire bytes', 'gzip -9 bytes', 'budget (wire)', 'status'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return { text: [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n'), over };
}

/**
 * A new English shopper's scripts before ready must all be named by the frame page itself (its module, and any chunk
 * it preloads from its head), so they download as the page arrives: a script asked for only once the module has run
 * (sign-in's code, when it was a chunk of its own) is one more round trip on the way to the first screen.
 */
function lateScripts(visit: Visit): string[] {
  const page = readFileSync(join(dist, 'frame.html'), 'utf8');
  const named = new Set([...page.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]));
  if (named.size === 0) return [`the frame page names no script: expected its entry and preloads in ${join(dist, 'frame.html')}`];
  return visit.fetched
    .filter((f) => f.part === 'frame' && f.url.endsWith('.js') && !named.has(f.url))
    .map((f) => `${visit.name}: ${f.url} was downloaded before ready but is not named by the frame page (its entry or a modulepreload): it waited for the entry to run`);
}

/**
 * The build's scripts and stylesheets that no budgeted first screen downloaded before `paykey-ready`: each loads on
 * demand (a screen's code when the flow first shows it; the passkey code is warmed as the first screen shows).
 */
function onDemand(visits: Visit[]): string {
  const fetched = new Set(visits.filter((v) => v.budget !== undefined).flatMap((v) => v.fetched.filter((f) => !f.fromCache).map((f) => f.url)));
  const inFlight = new Set(visits.flatMap((v) => v.inFlight));
  const lazy = readdirSync(join(dist, 'assets'))
    .filter((f) => /\.(js|css)$/.test(f) && !fetched.has(`/assets/${f}`))
    .map((f) => ({ f, raw: readFileSync(join(dist, 'assets', f)).length, gzip: gzipSync(readFileSync(join(dist, 'assets', f)), { level: 9 }).length }))
    .sort((a, b) => b.gzip - a.gzip);
  const total = lazy.reduce((a, l) => a + l.gzip, 0);
  const width = Math.max(...lazy.map((l) => named(`/assets/${l.f}`).length));
  return [
    `Loaded on demand (fetched by no first screen before paykey-ready): ${lazy.length} files, ${total} B gzip -9 (${(total / KB).toFixed(2)} KB)`,
    ...lazy.map((l) => `    ${named(`/assets/${l.f}`).padEnd(width)}  ${String(l.raw).padStart(6)} raw  ${String(l.gzip).padStart(6)} gzip -9${inFlight.has(`/assets/${l.f}`) ? '  (requested as the first screen showed)' : ''}`),
  ].join('\n');
}

async function main(): Promise<boolean> {
  if (!existsSync(join(dist, 'frame.html'))) throw new Error(`missing ${dist}/frame.html: run \`npx vite build\` first`);
  const began = Date.now();
  const watchdog = setTimeout(() => {
    console.error(`frame weight: not done after ${RUN_TIMEOUT_MS / 1000} s; ${[...progress].map(([who, what]) => `${who}: ${what}`).join('; ') || 'starting the demo'}`);
    process.exit(1);
  }, RUN_TIMEOUT_MS);
  watchdog.unref();
  // Both started side by side; whichever started is stopped if the other failed.
  const [stackStart, browserStart] = await Promise.allSettled([startDemoStack(), chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs })]);
  if (stackStart.status === 'rejected' || browserStart.status === 'rejected') {
    if (browserStart.status === 'fulfilled') await browserStart.value.close();
    if (stackStart.status === 'fulfilled') await stackStart.value.stop();
    throw stackStart.status === 'rejected' ? stackStart.reason : (browserStart as PromiseRejectedResult).reason;
  }
  const [stack, browser] = [stackStart.value, browserStart.value];
  const started = Date.now();
  try {
    // Each first screen in its own context, side by side: bytes do not depend on timing, and it halves the wait.
    const [en, zh, returning] = await Promise.all([
      measureNew(stack, browser, 'new shopper, en', 'en'),
      measureNew(stack, browser, 'new shopper, zh-CN', 'zh-CN'),
      measureReturning(stack, browser),
    ]);
    const visits = [en, zh, ...returning];
    const { text, over } = table(visits);
    over.push(...lateScripts(en));
    console.log(text);
    console.log(`\n${onDemand(visits)}`);
    console.log(`\nMeasured in Chromium from the demo's wallet (${stack.walletUrl}) in ${((Date.now() - began) / 1000).toFixed(1)} s (demo up in ${((started - began) / 1000).toFixed(1)} s); budgets apply to the wire column (gzip -9 for reference).`);
    if (over.length) {
      console.error(`\nweight budget exceeded:\n${over.join('\n')}`);
    }
    return over.length === 0;
  } finally {
    await browser.close();
    await stack.stop();
  }
}

// An explicit exit: something the demo's or Playwright's code leaves behind resets `process.exitCode`.
try {
  process.exit((await main()) ? 0 : 1);
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
}
