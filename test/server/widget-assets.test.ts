import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createIntent } from '../support/frame-client.ts';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';

let distDir: string;
let wallet: TestWallet;

before(async () => {
  distDir = mkdtempSync(path.join(tmpdir(), 'paykey-dist-'));
  mkdirSync(path.join(distDir, 'assets'));
  writeFileSync(path.join(distDir, 'paykey.js'), 'export const loader = 1;');
  writeFileSync(path.join(distDir, 'frame.html'), '<!doctype html><script type="module" src="/assets/frame-abc.js"></script>');
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
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, new RegExp(`frame-ancestors ${wallet.merchantOrigin.replace(/[.]/g, '\\.')}(;|$)`));
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
