/**
 * The key client secrets are derived with never sits in the database: anyone who can read a row (an insider, a
 * leaked backup) must not be able to open a live checkout. SQLite keeps it in a 0600 file beside the database;
 * PostgreSQL deployments configure it; a key an older version kept in `wallet_settings` leaves the database.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { startWalletServer } from '../../server/main.ts';
import { CLIENT_SECRET_KEY_FILE } from '../../server/security/client-secrets.ts';
import { createIntent } from '../support/frame-client.ts';
import { createEmptyTestDatabase, startTestWallet, TEST_ENGINE, type TestWallet } from '../support/wallet-harness.ts';

const wallets: TestWallet[] = [];
after(async () => {
  for (const wallet of wallets) await wallet.close();
});

/** Whether the client secret still opens a passkey ceremony on its checkout (sign-in options need no bank). */
async function opensCheckout(wallet: TestWallet, clientSecret: string): Promise<number> {
  return (await wallet.request('POST', '/api/frame/sessions/options', { client_secret: clientSecret })).status;
}

async function keyRows(wallet: TestWallet): Promise<number> {
  const rows = await wallet.query<{ n: number }>("SELECT COUNT(*) AS n FROM wallet_settings WHERE name = 'client_secret_key'");
  return Number(rows[0].n);
}

describe('the client-secret key is kept outside the database', () => {
  test('no row holds it; client secrets still open their checkout after a restart', async () => {
    const wallet = await startTestWallet();
    wallets.push(wallet);
    const intent = await createIntent(wallet);
    assert.equal(await keyRows(wallet), 0, 'the key is not in wallet_settings');
    await wallet.restart();
    assert.equal(await opensCheckout(wallet, intent.client_secret), 200, 'the same key after a restart');
  });

  test('SQLite: the key is a file only its owner can read, beside the database', { skip: TEST_ENGINE !== 'sqlite' && 'SQLite only' }, async () => {
    const wallet = await startTestWallet();
    wallets.push(wallet);
    const file = path.join(wallet.dataDir, CLIENT_SECRET_KEY_FILE);
    assert.ok(existsSync(file), `expected ${file}`);
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });

  test('a key an older version kept in the database leaves it (on SQLite, for the key file)', async () => {
    const wallet = await startTestWallet();
    wallets.push(wallet);
    const legacyKey = randomBytes(32);
    await wallet.query("INSERT INTO wallet_settings (name, value) VALUES ('client_secret_key', ?)", [legacyKey.toString('base64url')]);
    if (TEST_ENGINE === 'sqlite') {
      // As an older version left it: the key only in the database, no file yet.
      rmSync(path.join(wallet.dataDir, CLIENT_SECRET_KEY_FILE));
    }
    await wallet.restart();
    assert.equal(await keyRows(wallet), 0, 'the legacy row is deleted at start');
    if (TEST_ENGINE === 'sqlite') {
      const file = readFileSync(path.join(wallet.dataDir, CLIENT_SECRET_KEY_FILE), 'utf8');
      assert.equal(file, legacyKey.toString('base64url'), 'the legacy key moved to the file, so replays keep deriving the same secrets');
    }
  });

  test('PostgreSQL: a process without PAYKEY_CLIENT_SECRET_KEY refuses to start, saying why', { skip: TEST_ENGINE !== 'postgres' && 'PostgreSQL only' }, async () => {
    const empty = await createEmptyTestDatabase();
    try {
      await assert.rejects(
        startWalletServer({ port: 0, database: empty.database, bank: { baseUrl: 'http://127.0.0.1:9', apiKey: 'unused' } }),
        /^Error: PAYKEY_CLIENT_SECRET_KEY: expected a key of at least 32 bytes, the same for every process on this PostgreSQL; received none/,
      );
    } finally {
      await empty.drop();
    }
  });
});
