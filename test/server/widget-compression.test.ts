/**
 * The widget on the wire (issue 7, "Wire weight"): real HTTP to the real wallet server serving the real build
 * (`npx vite build` first). Requests go through `node:http`, which neither adds an Accept-Encoding nor decodes, so each
 * test sees exactly the bytes and headers the server sent.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import type { LoaderManifest } from '../../vite.config.ts';
import { preferredEncoding } from '../../server/http/accept-encoding.ts';
import { chromiumArgs, chromiumPath } from '../support/chromium.ts';
import { createIntent } from '../support/frame-client.ts';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';

const dist = path.join(import.meta.dirname, '..', '..', 'dist', 'widget');
const IMMUTABLE = 'public, max-age=31536000, immutable';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

let wallet: TestWallet;
let manifest: LoaderManifest;
/** The frame's entry chunk and its other hashed files, as built. */
let assetNames: string[];
let entryChunk: string;

before(async () => {
  assert.ok(existsSync(path.join(dist, 'loader.json')), `expected a build in ${dist}: run \`npx vite build\` first`);
  manifest = JSON.parse(readFileSync(path.join(dist, 'loader.json'), 'utf8')) as LoaderManifest;
  assetNames = readdirSync(path.join(dist, 'assets'));
  entryChunk = /src="\/assets\/([^"]+\.js)"/.exec(readFileSync(path.join(dist, 'frame.html'), 'utf8'))![1]!;
  wallet = await startTestWallet({ distDir: dist });
});
after(async () => {
  await wallet?.close();
});

function send(method: 'GET' | 'HEAD', pathname: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(pathname, wallet.url), { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const get = (pathname: string, acceptEncoding?: string, extra: Record<string, string> = {}) =>
  send('GET', pathname, acceptEncoding === undefined ? extra : { 'accept-encoding': acceptEncoding, ...extra });

function decoded(answer: Answer): Buffer {
  const coding = answer.headers['content-encoding'];
  if (coding === 'br') return brotliDecompressSync(answer.body);
  if (coding === 'gzip') return gunzipSync(answer.body);
  assert.equal(coding, undefined, `unexpected content-encoding ${String(coding)}`);
  return answer.body;
}

/**
 * The frame page as built, from one as served: the server fills its `data-checkout` slot with the intent's checkout
 * sealed (base64, never empty for a checkout that can be made), which is emptied again here.
 */
function builtFramePage(served: Buffer): Buffer {
  const text = served.toString('utf8');
  assert.match(text, /data-checkout="[A-Za-z0-9+/]+={0,2}"/, 'the page holds its sealed checkout');
  return Buffer.from(text.replace(/data-checkout="[^"]*"/, 'data-checkout=""'));
}

/** Asserts the coding, Vary, a Content-Length equal to the bytes sent, and that they decode to the file (the frame page: with its checkout). */
function assertServed(answer: Answer, coding: 'br' | 'gzip' | 'identity', file: string, what: string): void {
  assert.equal(answer.status, 200, what);
  assert.equal(answer.headers['content-encoding'], coding === 'identity' ? undefined : coding, `${what}: content-encoding`);
  assert.match(String(answer.headers.vary), /(^|,\s*)accept-encoding(\s*,|$)/i, `${what}: Vary: Accept-Encoding`);
  assert.equal(answer.headers['content-length'], String(answer.body.byteLength), `${what}: content-length is the bytes sent`);
  const original = readFileSync(path.join(dist, file));
  const served = file === 'frame.html' ? builtFramePage(decoded(answer)) : decoded(answer);
  assert.ok(served.equals(original), `${what}: decoded bytes are the built file`);
  if (coding !== 'identity') assert.ok(answer.body.byteLength < original.byteLength, `${what}: compressed is smaller`);
}

describe('Accept-Encoding parsing', () => {
  test('q-values, *, aliases and malformed headers', () => {
    const cases: [string | undefined, string][] = [
      [undefined, 'identity'],
      ['', 'identity'],
      ['gzip, deflate, br, zstd', 'br'],
      ['gzip, deflate', 'gzip'],
      ['x-gzip', 'gzip'],
      ['BR;Q=0.5, gzip;q=0.4', 'br'],
      ['br;q=0.4, gzip;q=0.5', 'gzip'],
      ['br;q=0, gzip', 'gzip'],
      ['br;q=0.000, gzip;q=0', 'identity'],
      ['*', 'br'],
      ['*;q=0.1, br;q=0', 'gzip'],
      ['identity', 'identity'],
      ['identity;q=0', 'identity'],
      ['deflate', 'identity'],
      ['gzip, , br', 'br'],
      ['br;q=2', 'identity'],
      ['br;q=0.5000', 'identity'],
      ['br;level=1', 'identity'],
      ['br gzip', 'identity'],
      ['br;q=', 'identity'],
    ];
    for (const [header, expected] of cases) assert.equal(preferredEncoding(header), expected, `Accept-Encoding: ${header}`);
  });
});

describe('the widget on the wire (the real build)', () => {
  test('the loader: brotli when accepted, gzip when only gzip, identity otherwise; q=0 honoured', async () => {
    assertServed(await get('/paykey.js', 'gzip, deflate, br'), 'br', 'paykey.js', 'br accepted');
    assertServed(await get('/paykey.js', 'gzip'), 'gzip', 'paykey.js', 'gzip only');
    assertServed(await get('/paykey.js', 'br;q=0, gzip;q=0.8'), 'gzip', 'paykey.js', 'br;q=0');
    assertServed(await get('/paykey.js'), 'identity', 'paykey.js', 'no Accept-Encoding');
    assertServed(await get('/paykey.js', 'identity'), 'identity', 'paykey.js', 'identity only');
    assertServed(await get('/paykey.js', 'gzip;q=0, br;q=0'), 'identity', 'paykey.js', 'both q=0');
    assertServed(await get('/paykey.js', 'br;;q=banana'), 'identity', 'paykey.js', 'malformed');
  });

  test('the versioned loader and every hashed asset are compressed and immutable, and keep CORS', async () => {
    const versioned = await get(manifest.path, 'br');
    assertServed(versioned, 'br', manifest.path.slice(1), 'versioned loader');
    assert.equal(versioned.headers['cache-control'], IMMUTABLE);
    assert.equal(versioned.headers['access-control-allow-origin'], '*');
    assert.ok(assetNames.length > 0);
    for (const name of assetNames) {
      for (const coding of ['br', 'gzip'] as const) {
        const answer = await get(`/assets/${name}`, coding);
        // A file too small to shrink (a few hundred bytes) may go as it is, still with Vary; a KB or more always shrinks.
        const size = readFileSync(path.join(dist, 'assets', name)).byteLength;
        const expected = size >= 1024 || answer.headers['content-encoding'] !== undefined ? coding : 'identity';
        assertServed(answer, expected, path.join('assets', name), `/assets/${name} (${coding}, ${size} B)`);
        assert.equal(answer.headers['cache-control'], IMMUTABLE, name);
        assert.equal(answer.headers['access-control-allow-origin'], '*', name);
      }
    }
    assertServed(await get(`/assets/${entryChunk}`, 'br'), 'br', path.join('assets', entryChunk), 'the entry chunk');
  });

  test('the loader: a short cache and a strong ETag per coding; If-None-Match answers 304 with no body', async () => {
    const tags = new Map<string, string>();
    for (const coding of ['br', 'gzip', 'identity'] as const) {
      const answer = await get('/paykey.js', coding);
      assert.equal(answer.headers['cache-control'], 'public, max-age=300');
      assert.equal(answer.headers['access-control-allow-origin'], '*');
      const etag = String(answer.headers.etag);
      assert.match(etag, coding === 'identity' ? /^"[A-Za-z0-9_-]{43}"$/ : new RegExp(`^"[A-Za-z0-9_-]{43}-${coding}"$`), `${coding}: a strong ETag`);
      tags.set(coding, etag);
    }
    assert.equal(tags.get('br'), tags.get('identity')!.replace(/"$/, '-br"'), 'one hash of the identity bytes, suffixed per coding');

    const fresh = await get('/paykey.js', 'br', { 'if-none-match': tags.get('br')! });
    assert.equal(fresh.status, 304);
    assert.equal(fresh.body.byteLength, 0);
    assert.equal(fresh.headers.etag, tags.get('br'));
    assert.equal(fresh.headers['cache-control'], 'public, max-age=300');
    assert.equal((await get('/paykey.js', 'br', { 'if-none-match': `"other", W/${tags.get('br')}` })).status, 304, 'weak comparison, in a list');
    assert.equal((await get('/paykey.js', undefined, { 'if-none-match': tags.get('identity')! })).status, 304);
    assert.equal((await get('/paykey.js', undefined, { 'if-none-match': '*' })).status, 304);
    // A tag of another coding, or a stale one, is not this representation: the whole file is sent.
    assertServed(await get('/paykey.js', 'br', { 'if-none-match': tags.get('gzip')! }), 'br', 'paykey.js', 'gzip tag, br wanted');
    assertServed(await get('/paykey.js', 'gzip', { 'if-none-match': '"stale"' }), 'gzip', 'paykey.js', 'stale tag');
  });

  test('HEAD: the same headers as GET and no body', async () => {
    const head = await send('HEAD', '/paykey.js', { 'accept-encoding': 'br' });
    const full = await get('/paykey.js', 'br');
    assert.equal(head.status, 200);
    assert.equal(head.body.byteLength, 0);
    for (const name of ['content-encoding', 'content-length', 'etag', 'vary', 'cache-control', 'content-type']) {
      assert.equal(head.headers[name], full.headers[name], name);
    }
  });

  test("the frame page: compressed, with its intent's CSP, never cached", async () => {
    const intent = await createIntent(wallet);
    const url = `/frame/${intent.id}?origin=${encodeURIComponent(wallet.merchantOrigin)}&locale=en`;
    for (const coding of ['br', 'gzip', 'identity'] as const) {
      const answer = await get(url, coding);
      assertServed(answer, coding, 'frame.html', `frame page (${coding})`);
      assert.equal(answer.headers['cache-control'], 'no-store');
      assert.equal(answer.headers.etag, undefined, 'no validator for a page that must not be stored');
      assert.match(String(answer.headers['content-security-policy']), /frame-ancestors /);
      assert.equal(answer.headers['referrer-policy'], 'no-referrer');
    }
  });

  test('in Chromium: the pinned loader arrives brotli-compressed and passes its integrity check (SRI is over the decoded bytes)', async () => {
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
    const src = new URL(manifest.path, wallet.url).href;
    // The merchant's page, on another origin: its only script is the pinned loader.
    const shop = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><script type="module" src="${src}" integrity="${manifest.integrity}" crossorigin="anonymous"></script>`);
    });
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    try {
      const page = await browser.newPage();
      const encodings: (string | undefined)[] = [];
      const console: string[] = [];
      page.on('console', (m) => console.push(m.text()));
      page.on('response', async (response) => {
        if (response.url() === src) encodings.push((await response.allHeaders())['content-encoding']);
      });
      await page.goto(`http://127.0.0.1:${(shop.address() as AddressInfo).port}/`, { waitUntil: 'load' });
      assert.equal(await page.evaluate(() => customElements.get('paykey-checkout') !== undefined), true, `the loader ran; console: ${console.join(' | ')}`);
      assert.deepEqual(encodings, ['br'], 'Chromium accepts br from a loopback (secure-context) origin and got it');
    } finally {
      await browser.close();
      await new Promise((resolve) => shop.close(resolve));
    }
  });

  test("measured: the first screen's files (loader, frame page, entry chunk) on the wire with brotli", async () => {
    const intent = await createIntent(wallet);
    const served: [string, string][] = [
      ['paykey.js', '/paykey.js'],
      ['frame.html', `/frame/${intent.id}?origin=${encodeURIComponent(wallet.merchantOrigin)}`],
      [`assets/${entryChunk}`, `/assets/${entryChunk}`],
    ];
    let identity = 0;
    let br = 0;
    for (const [file, url] of served) {
      const answer = await get(url, 'br');
      assertServed(answer, 'br', file, url);
      identity += readFileSync(path.join(dist, file)).byteLength;
      br += answer.body.byteLength;
    }
    console.log(`loader + frame page + entry chunk: ${identity} B as built, ${br} B on the wire with brotli (${(identity / br).toFixed(1)}× smaller)`);
    assert.ok(br * 2 < identity, `expected the text to shrink at least 2×: ${br} B of ${identity} B`);
  });
});
