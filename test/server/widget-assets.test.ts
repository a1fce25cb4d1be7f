import assert from 'node:assert/strict';
import { createDecipheriv, createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { createJsonLogger } from '../../server/http/logger.ts';
import { widgetAssets } from '../../server/routes/widget-assets.ts';
import { openDatabase } from '../../server/store/database.ts';
import type { LoaderManifest } from '../../vite.config.ts';
import { fromSealedCheckoutForm } from '../../widget/frame/boot/sealed-checkout-form.ts';
import { chromiumArgs, chromiumPath } from '../support/chromium.ts';
import { createIntent } from '../support/frame-client.ts';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';

const repo = path.join(import.meta.dirname, '..', '..');
const VERSIONED = '/paykey/v1.0123456789ab/paykey.js';
/** The fake frame page's inline script, as the build inlines the frame's boot. */
const BOOT = "window.booted = 'yes'";

let distDir: string;
let wallet: TestWallet;

before(async () => {
  distDir = mkdtempSync(path.join(tmpdir(), 'paykey-dist-'));
  mkdirSync(path.join(distDir, 'assets'));
  writeFileSync(path.join(distDir, 'paykey.js'), 'export const loader = 1;');
  mkdirSync(path.join(distDir, path.dirname(VERSIONED)), { recursive: true });
  writeFileSync(path.join(distDir, VERSIONED), 'export const loader = 1;');
  writeFileSync(path.join(distDir, 'frame.html'), `<!doctype html><script>${BOOT}</script><script type="module" src="/assets/frame-abc.js"></script><body data-checkout="">`);
  writeFileSync(path.join(distDir, 'assets', 'frame-abc.js'), 'console.log(1)');
  writeFileSync(path.join(distDir, 'assets', 'frame-abc.css'), 'body{}');
  wallet = await startTestWallet({ distDir });
});
after(async () => {
  await wallet.close();
  rmSync(distDir, { recursive: true, force: true });
});

describe('widget assets', () => {
  test('/paykey.js is a CORS-enabled module script', async () => {
    const res = await wallet.request('GET', '/paykey.js');
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'export const loader = 1;');
    assert.match(res.headers.get('content-type')!, /^text\/javascript/);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  });

  test('/paykey/v1.<hash>/paykey.js is the same module at an immutable, CORS-readable URL; other versions are 404', async () => {
    const res = await wallet.request('GET', VERSIONED);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'export const loader = 1;');
    assert.match(res.headers.get('content-type')!, /^text\/javascript/);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(res.headers.get('access-control-allow-origin'), '*', 'integrity + crossorigin="anonymous" needs CORS');
    for (const url of ['/paykey/v1.ffffffffffff/paykey.js', '/paykey/v1.0123456789AB/paykey.js', '/paykey/latest/paykey.js', '/paykey/v1.0123456789ab/..%2f..%2fframe.html']) {
      assert.equal((await wallet.request('GET', url)).status, 404, url);
    }
  });

  test('/assets/* are immutable with the right types; paths cannot escape', async () => {
    const js = await wallet.request('GET', '/assets/frame-abc.js');
    assert.equal(js.status, 200);
    assert.match(js.headers.get('cache-control')!, /immutable/);
    assert.match(js.headers.get('content-type')!, /^text\/javascript/);
    assert.match((await wallet.request('GET', '/assets/frame-abc.css')).headers.get('content-type')!, /^text\/css/);
    assert.equal((await wallet.request('GET', '/assets/missing.js')).status, 404);
    assert.equal((await wallet.request('GET', '/assets/..%2f..%2fpaykey.js')).status, 404);
    assert.equal((await wallet.request('GET', '/assets/%2e%2e/frame.html')).status, 404);
  });

  test("the frame is served with a CSP whose frame-ancestors are the merchant's origins", async () => {
    const intent = await createIntent(wallet);
    const res = await wallet.request('GET', `/frame/${intent.id}?origin=${encodeURIComponent(wallet.merchantOrigin)}&locale=en`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/html/);
    const csp = res.headers.get('content-security-policy')!;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, new RegExp(`frame-ancestors ${wallet.merchantOrigin.replace(/[.]/g, '\\.')}(;|$)`));
    // Its own files, and the one inline script the page holds, by its hash: no other inline script may run.
    const boot = `'sha256-${createHash('sha256').update(BOOT).digest('base64')}'`;
    assert.match(csp, new RegExp(`(^|; )script-src 'self' ${boot.replace(/[+/]/g, '\\$&')}(;|$)`));
    assert.doesNotMatch(csp, /unsafe-inline/);
  });

  test("an origin the merchant does not allow, or an unknown intent, gets frame-ancestors 'none'", async () => {
    const intent = await createIntent(wallet);
    for (const url of [
      `/frame/${intent.id}?origin=${encodeURIComponent('https://evil.example')}`,
      `/frame/${intent.id}`,
      `/frame/pi_unknown?origin=${encodeURIComponent(wallet.merchantOrigin)}`,
    ]) {
      const res = await wallet.request('GET', url);
      assert.ok(res.status === 403 || res.status === 404, `${url}: ${res.status}`);
      assert.match(res.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
    }
  });

  /** The frame page of `intentId` for the merchant's origin, and the checkout it holds sealed (`data-checkout`). */
  async function framePage(intentId: string, headers: Record<string, string> = {}): Promise<{ text: string; sealed: string }> {
    const res = await wallet.request('GET', `/frame/${intentId}?origin=${encodeURIComponent(wallet.merchantOrigin)}`, undefined, headers);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const text = await res.text();
    const sealed = /<body data-checkout="([^"]*)">/.exec(text)?.[1];
    assert.ok(sealed !== undefined, `expected the page's data-checkout, received ${text}`);
    return { text, sealed };
  }

  /** Opens a sealed checkout as the frame's boot does: AES-256-GCM under SHA-256(client secret), base64 of nonce ‖ ciphertext ‖ tag. */
  function open(sealed: string, clientSecret: string): string {
    const bytes = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', createHash('sha256').update(clientSecret).digest(), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(-16));
    return Buffer.concat([decipher.update(bytes.subarray(12, -16)), decipher.final()]).toString('utf8');
  }

  test("the frame page holds its intent's checkout sealed to the client secret: exactly what POST /api/frame/checkout answers", async () => {
    const intent = await createIntent(wallet);
    const { text, sealed } = await framePage(intent.id, { 'accept-encoding': 'br' });
    const answer = await (await wallet.request('POST', '/api/frame/checkout', { client_secret: intent.client_secret })).json();
    assert.deepEqual(fromSealedCheckoutForm(intent.id, JSON.parse(open(sealed, intent.client_secret))), answer);
    assert.doesNotMatch(text, /Test order|1999|Demo|requires_confirmation/, 'nothing of the checkout in the clear');
    const other = await createIntent(wallet);
    assert.throws(() => open(sealed, other.client_secret), /unable to authenticate/i, "another intent's secret cannot open it");
    assert.throws(() => open(sealed, `${intent.client_secret}x`), /unable to authenticate/i);
  });

  test('each frame page seals its checkout with a fresh nonce', async () => {
    const intent = await createIntent(wallet);
    const first = (await framePage(intent.id)).sealed;
    const second = (await framePage(intent.id)).sealed;
    assert.notEqual(first.slice(0, 16), second.slice(0, 16), 'the 12-byte nonces differ');
    assert.equal(open(first, intent.client_secret), open(second, intent.client_secret));
  });

  test('a checkout that cannot be made leaves the slot empty (the frame then asks the API) and is logged, with no secret', async () => {
    const intent = await createIntent(wallet);
    const db = await openDatabase(wallet.database);
    const logs: string[] = [];
    try {
      const routes = widgetAssets({
        db,
        distDir,
        logger: createJsonLogger((line) => logs.push(line)),
        checkoutAnswer: () => Promise.reject(new Error('the bank brand lookup timed out')),
      });
      const res = await routes.request(`/frame/${intent.id}?origin=${encodeURIComponent(wallet.merchantOrigin)}`);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /<body data-checkout="">/);
      assert.equal(logs.length, 1, logs.join('\n'));
      const line = JSON.parse(logs[0]!);
      assert.deepEqual([line.level, line.event, line.intent, line.error], ['warn', 'frame_checkout_not_sealed', intent.id, 'the bank brand lookup timed out']);
      assert.ok(!logs[0]!.includes(intent.client_secret));
    } finally {
      await db.destroy();
    }
  });

  test('a rebuilt file is served at once: its compressed forms and its ETag follow the new bytes', async () => {
    const before = await wallet.request('GET', '/paykey.js');
    const oldTag = before.headers.get('etag')!;
    assert.match(oldTag, /^"[A-Za-z0-9_-]+"$/);
    const rebuilt = `export const loader = 2; // ${'rebuilt '.repeat(40)}`;
    writeFileSync(path.join(distDir, 'paykey.js'), rebuilt);
    try {
      const after = await wallet.request('GET', '/paykey.js', undefined, { 'accept-encoding': 'gzip', 'if-none-match': oldTag });
      assert.equal(after.status, 200, 'the old ETag no longer matches');
      assert.equal(after.headers.get('content-encoding'), 'gzip', 'large enough now to be worth compressing');
      assert.equal(await after.text(), rebuilt);
      assert.equal(after.headers.get('etag'), `"${createHash('sha256').update(rebuilt).digest('base64url')}-gzip"`, 'the hash of the new identity bytes');
    } finally {
      writeFileSync(path.join(distDir, 'paykey.js'), 'export const loader = 1;');
    }
  });

  test('without a widget build the error says to run npm run build', async () => {
    const bare = await startTestWallet();
    try {
      const res = await bare.request('GET', '/paykey.js');
      assert.equal(res.status, 503);
      const body = await res.json();
      assert.equal(body.error.code, 'widget_not_built');
      assert.match(body.error.message, /npm run build/);
    } finally {
      await bare.close();
    }
  });
});

/** The real build (`npx vite build`, which `npm test` runs first): its `loader.json` and loader files. */
function builtLoader(): { manifest: LoaderManifest; loader: Buffer; dist: string } {
  const dist = path.join(repo, 'dist', 'widget');
  const manifestFile = path.join(dist, 'loader.json');
  assert.ok(existsSync(manifestFile), `expected ${manifestFile}: run \`npx vite build\` first`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as LoaderManifest;
  return { manifest, loader: readFileSync(path.join(dist, 'paykey.js')), dist };
}

describe('loader integrity (the real build)', () => {
  test("loader.json names the loader's versioned copy and its SHA-384, and the README's embed snippet shows both", () => {
    const { manifest, loader, dist } = builtLoader();
    const digest = createHash('sha384').update(loader).digest();
    assert.equal(manifest.integrity, `sha384-${digest.toString('base64')}`);
    assert.equal(manifest.path, `/paykey/v1.${digest.toString('hex').slice(0, 12)}/paykey.js`, 'the versioned path is named after the content');
    assert.ok(readFileSync(path.join(dist, manifest.path)).equals(loader), 'the versioned copy holds the same bytes');

    const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### 2. Embed the checkout'), readme.indexOf('### 3.'));
    const tag = /<script type="module" src="[^"]*?(\/paykey\/[^"]+)"\s+integrity="([^"]+)" crossorigin="anonymous"><\/script>/.exec(section);
    const expected = `<script type="module" src="http://localhost:8787${manifest.path}"\n        integrity="${manifest.integrity}" crossorigin="anonymous"></script>`;
    assert.ok(tag, `README "### 2. Embed the checkout" has no pinned loader tag; put this one first in its html block:\n${expected}`);
    assert.deepEqual(
      { path: tag[1], integrity: tag[2] },
      { path: manifest.path, integrity: manifest.integrity },
      `the loader changed: README "### 2. Embed the checkout" must show the build's path and integrity (dist/widget/loader.json); replace its script tag with:\n${expected}`,
    );
  });

  describe('in Chromium, on a merchant page of another origin', () => {
    let built: TestWallet;
    let browser: Browser;
    /** The merchant's page: its only script is the pinned loader, with the `integrity` of the query string. */
    let shop: Server;
    let shopUrl: string;
    before(async () => {
      built = await startTestWallet({ distDir: builtLoader().dist });
      browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
      const src = new URL(builtLoader().manifest.path, built.url).href;
      shop = createServer((req, res) => {
        const integrity = new URL(req.url!, 'http://x').searchParams.get('integrity') ?? '';
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end(`<!doctype html><script type="module" src="${src}" integrity="${integrity}" crossorigin="anonymous"></script>`);
      });
      await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
      shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
      assert.notEqual(new URL(shopUrl).origin, new URL(built.url).origin, 'the page and the wallet are on different origins');
    });
    after(async () => {
      await browser?.close();
      await built?.close();
      await new Promise((resolve) => shop?.close(resolve));
    });

    /** Opens the merchant's page with the pinned loader; says whether the loader ran (defined its element). */
    async function loads(integrity: string): Promise<{ defined: boolean; console: string[] }> {
      const page = await browser.newPage();
      const console: string[] = [];
      page.on('console', (m) => console.push(m.text()));
      try {
        await page.goto(`${shopUrl}/checkout?integrity=${encodeURIComponent(integrity)}`, { waitUntil: 'load' });
        return { defined: await page.evaluate(() => customElements.get('paykey-checkout') !== undefined), console };
      } finally {
        await page.close();
      }
    }

    test("the built frame page's inline boot runs under the CSP it is served with", async () => {
      const intent = await createIntent(built);
      const page = await browser.newPage();
      const console: string[] = [];
      page.on('console', (m) => console.push(m.text()));
      try {
        const res = await page.goto(`${built.url}/frame/${intent.id}?origin=${encodeURIComponent(built.merchantOrigin)}&locale=en`, { waitUntil: 'load' });
        assert.match(res!.headers()['content-security-policy'] ?? '', /script-src 'self' 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
        const boot = await page.evaluate(() => (window.paykeyBoot ? { kept: window.paykeyBoot.kept.length, loaded: window.paykeyBoot.loaded } : null));
        // Opened on its own, with no embedding page: nobody to say `loaded` to.
        assert.deepEqual(boot, { kept: 0, loaded: false }, `expected the boot to have run; console: ${console.join(' | ')}`);
        assert.ok(!console.some((line) => /Content Security Policy/i.test(line)), `no CSP violation expected; console: ${console.join(' | ')}`);
      } finally {
        await page.close();
      }
    });

    test('with the integrity from loader.json the loader runs', async () => {
      const { defined, console } = await loads(builtLoader().manifest.integrity);
      assert.equal(defined, true, `expected <paykey-checkout> defined; console: ${console.join(' | ')}`);
    });

    test('with any other integrity the browser refuses to run it', async () => {
      const wrong = `sha384-${createHash('sha384').update('something else').digest('base64')}`;
      const { defined, console } = await loads(wrong);
      assert.equal(defined, false, 'a script that fails its integrity check never runs');
      assert.ok(console.some((line) => /integrity/i.test(line)), `expected Chromium to report the integrity failure; console: ${console.join(' | ')}`);
    });
  });
});
