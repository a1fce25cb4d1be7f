import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import SQLite from 'better-sqlite3';
import { silentLogger } from '../../server/http/logger.ts';
import { startWalletServer } from '../../server/main.ts';

const bank = { baseUrl: 'http://127.0.0.1:9', apiKey: 'unused' };

test('startWalletServer migrates a fresh data dir and seeds the demo merchant idempotently', async () => {
  const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'paykey-start-')), 'nested');
  try {
    const first = await startWalletServer({
      port: 0,
      database: { dataDir },
      bank,
      logger: silentLogger,
      demoMerchant: { secretKey: 'sk_test_first', origins: ['http://127.0.0.1:8789'] },
    });
    assert.match(first.url, /^http:\/\/localhost:\d+$/);
    const created = await fetch(`${first.url}/v1/payment_intents`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk_test_first', 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 100, currency: 'USD' }),
    });
    assert.equal(created.status, 201);
    const intent = await created.json();
    await first.close();

    // Restart with another key and origins: same merchant, updated; data kept.
    const second = await startWalletServer({
      port: 0,
      database: { dataDir },
      bank,
      logger: silentLogger,
      demoMerchant: { secretKey: 'sk_test_second', origins: ['http://127.0.0.1:9999', 'https://shop.example'] },
    });
    const oldKey = await fetch(`${second.url}/v1/payment_intents/${intent.id}`, { headers: { authorization: 'Bearer sk_test_first' } });
    assert.equal(oldKey.status, 401);
    const newKey = await fetch(`${second.url}/v1/payment_intents/${intent.id}`, { headers: { authorization: 'Bearer sk_test_second' } });
    assert.equal(newKey.status, 200);
    await second.close();

    const sql = new SQLite(path.join(dataDir, 'paykey.sqlite'), { readonly: true });
    const merchants = sql.prepare('SELECT display_name, allowed_origins FROM merchants').all();
    assert.deepEqual(merchants, [{ display_name: 'Demo Shop', allowed_origins: '["http://127.0.0.1:9999","https://shop.example"]' }]);
    assert.equal(sql.pragma('journal_mode', { simple: true }), 'wal');
    sql.close();
  } finally {
    rmSync(path.dirname(dataDir), { recursive: true, force: true });
  }
});
