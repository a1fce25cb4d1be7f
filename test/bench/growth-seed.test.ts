/**
 * The growth bench's history is what the wallet would have written: every table a paid payment touches holds one row
 * per payment, the foreign keys hold, the guarded statuses went the legal way (succeeded intents, approved attempts),
 * and nothing expires before the run is over (housekeeping must not shrink the history while it is measured).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { seedHistory } from './growth-seed.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'paykey-growth-seed-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('seedHistory writes 250 past paid payments across every table they touch', async () => {
  const seeded = await seedHistory(dir, 250);
  const db = new SQLite(path.join(dir, 'paykey.sqlite'), { readonly: true });
  try {
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    for (const table of ['payment_intents', 'idempotency_keys', 'payment_quotes', 'webauthn_challenges', 'payment_attempts', 'bank_jobs', 'sessions', 'webhook_events', 'webhook_deliveries', 'rate_limit_windows']) {
      assert.equal(count(`SELECT count(*) AS n FROM ${table}`), 250, table);
    }
    assert.equal(count(`SELECT count(*) AS n FROM shoppers`), 13); // One per 20 payments, rounded up.
    assert.equal(count(`SELECT count(*) AS n FROM payment_intents WHERE status = 'succeeded'`), 250);
    assert.equal(count(`SELECT count(*) AS n FROM payment_attempts WHERE status = 'approved' AND bank_charge_id IS NOT NULL`), 250);
    assert.equal(count(`SELECT count(*) AS n FROM payment_attempts a JOIN payment_intents i ON i.id = a.intent_id AND a.reference = i.id || '_1'`), 250);
    assert.deepEqual(db.pragma('foreign_key_check'), []);
    const soon = new Date(Date.now() + 30 * 60_000).toISOString();
    for (const [table, column] of [['sessions', 'expires_at'], ['webauthn_challenges', 'expires_at'], ['payment_quotes', 'expires_at'], ['rate_limit_windows', 'expires_at']]) {
      assert.equal(count(`SELECT count(*) AS n FROM ${table} WHERE ${column} < '${soon}'`), 0, `${table} expiring within 30 minutes`);
    }
    const dayAgo = new Date(Date.now() - 24 * 3600_000).toISOString();
    assert.equal(count(`SELECT count(*) AS n FROM idempotency_keys WHERE created_at < '${dayAgo}'`), 0, 'idempotency keys older than their 24 h');
    assert.equal(seeded.rows, 250 * 10 + 13 * 3 + 2); // Ten rows per payment, three per shopper, the merchant and its endpoint.
  } finally {
    db.close();
  }
});
