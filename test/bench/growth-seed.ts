/**
 * History for the growth benchmark: `payments` past paid payments in a fresh SQLite wallet database, written with bulk
 * SQL before any wallet starts. The schema comes from the wallet's own migrations (`openDatabase`). Each past payment
 * has the rows a real one leaves: its intent (moved requires_confirmation → processing → succeeded, as the guards
 * demand), the merchant's idempotency key, the quote, the consumed passkey challenge, the attempt (pending → approved),
 * its outbox job (done), a session, a webhook event and its delivery, a rate-limit window; spread over one shopper per
 * 20 payments, each with a passkey and a card. Ids are random like the server's, so the indexes are shaped as in
 * production. Everything dated within the last 20 hours and expiring an hour from now, so the tables keep their size
 * while the run is measured (housekeeping finds nothing to delete).
 */
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { openDatabase } from '../../server/store/database.ts';

export interface SeededHistory {
  payments: number;
  /** Rows written across all tables. */
  rows: number;
  ms: number;
}

const HISTORY_MERCHANT = 'mer_bench_history';
const SPREAD_S = 20 * 3600;

export async function seedHistory(sqliteDataDir: string, payments: number): Promise<SeededHistory> {
  const t0 = performance.now();
  await (await openDatabase({ dataDir: sqliteDataDir })).destroy(); // Creates the schema by the migrations.
  const sqlite = new SQLite(path.join(sqliteDataDir, 'paykey.sqlite'));
  try {
    sqlite.pragma('journal_mode = WAL');
    const nowS = Date.now() / 1000;
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const shoppers = Math.max(1, Math.ceil(payments / 20));
    // `at(n)`: payment n's time, oldest first, within the last SPREAD_S seconds.
    const at = (offsetS = 0) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${nowS} - ${SPREAD_S} + h.n * ${SPREAD_S / Math.max(1, payments)} + ${offsetS}, 'unixepoch')`;
    const rid = (prefix: string) => `'${prefix}_' || lower(hex(randomblob(10)))`;
    let rows = 0;
    const run = (sql: string) => {
      rows += sqlite.prepare(sql).run().changes;
    };
    sqlite.transaction(() => {
      sqlite.exec(`CREATE TEMP TABLE seq(n INTEGER PRIMARY KEY)`);
      sqlite.prepare(`WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n + 1 < ?) INSERT INTO seq SELECT n FROM s`).run(Math.max(payments, shoppers));
      sqlite.exec(`CREATE TEMP TABLE hs AS SELECT n, ${rid('shp')} AS shopper, ${rid('cred')} AS credential, ${rid('card')} AS card FROM seq WHERE n < ${shoppers}`);
      sqlite.exec(`CREATE TEMP TABLE h AS SELECT seq.n AS n, ${rid('pi')} AS pi, ${rid('quo')} AS quo, ${rid('chl')} AS chl, ${rid('pa')} AS pa,
        ${rid('job')} AS job, ${rid('evt')} AS evt, ${rid('whd')} AS whd, lower(hex(randomblob(32))) AS secret_hash,
        hs.shopper AS shopper, hs.card AS card FROM seq JOIN hs ON hs.n = seq.n % ${shoppers} WHERE seq.n < ${payments}`);

      const when = `strftime('%Y-%m-%dT%H:%M:%fZ', ${nowS} - ${SPREAD_S}, 'unixepoch')`;
      run(`INSERT INTO merchants (id, display_name, secret_key_hash, allowed_origins, created_at, updated_at)
           VALUES ('${HISTORY_MERCHANT}', 'Bench history merchant', lower(hex(randomblob(32))), '["https://history.bench.example"]', ${when}, ${when})`);
      run(`INSERT INTO webhook_endpoints (id, merchant_id, url, secret, events, created_at)
           VALUES ('we_bench_history', '${HISTORY_MERCHANT}', 'https://history.bench.example/webhooks', 'whsec_' || lower(hex(randomblob(24))), '["payment_intent.succeeded","payment_intent.payment_failed"]', ${when})`);
      run(`INSERT INTO shoppers (id, email, user_handle, created_at) SELECT shopper, 'history-' || n || '@bench.example', lower(hex(randomblob(16))), ${when} FROM hs`);
      run(`INSERT INTO credentials (id, shopper_id, public_key, counter, transports, created_at, last_used_at)
           SELECT credential, shopper, lower(hex(randomblob(77))), 20, '["internal"]', ${when}, ${when} FROM hs`);
      run(`INSERT INTO cards (id, shopper_id, bank, bank_token, brand, last4, exp_month, exp_year, created_at)
           SELECT card, shopper, 'sandbox', 'tok_' || lower(hex(randomblob(16))), 'visa', '4242', 12, 2030, ${when} FROM hs`);

      run(`INSERT INTO payment_intents (id, merchant_id, amount, currency, description, reference, status, client_secret_hash, created_at, updated_at)
           SELECT pi, '${HISTORY_MERCHANT}', 1000 + n % 9000, 'USD', 'history payment ' || n, 'order-' || n, 'requires_confirmation', secret_hash, ${at()}, ${at()} FROM h`);
      sqlite.exec(`UPDATE payment_intents SET status = 'processing' WHERE merchant_id = '${HISTORY_MERCHANT}'`);
      sqlite.exec(`UPDATE payment_intents SET status = 'succeeded', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE merchant_id = '${HISTORY_MERCHANT}'`);
      run(`INSERT INTO idempotency_keys (merchant_id, idempotency_key, request_hash, state, response_status, response_body, created_at)
           SELECT '${HISTORY_MERCHANT}', 'order-' || n || '-' || lower(hex(randomblob(8))), lower(hex(randomblob(32))), 'done', 201,
             json_object('id', pi, 'object', 'payment_intent', 'amount', 1000 + n % 9000, 'currency', 'USD', 'status', 'requires_confirmation',
               'description', 'history payment ' || n, 'reference', 'order-' || n, 'last_error', NULL, 'created_at', ${at()}), ${at()} FROM h`);
      run(`INSERT INTO payment_quotes (id, intent_id, card_id, bank, amount, currency, fee_amount, debit_amount, debit_currency, expires_at, created_at)
           SELECT quo, pi, card, 'sandbox', 1000 + n % 9000, 'USD', 0, 1000 + n % 9000, 'USD', '${later}', ${at(1)} FROM h`);
      run(`INSERT INTO webauthn_challenges (id, challenge, purpose, intent_id, payment_hash, card_id, shopper_id, created_at, expires_at, consumed_at, quote_id)
           SELECT chl, lower(hex(randomblob(32))), 'payment', pi, lower(hex(randomblob(32))), card, shopper, ${at(1)}, '${later}', ${at(2)}, quo FROM h`);
      run(`INSERT INTO payment_attempts (id, intent_id, card_id, attempt_number, reference, idempotency_key, status, created_at, updated_at, sent_at, quote_id, fee_amount, debit_amount, debit_currency)
           SELECT pa, pi, card, 1, pi || '_1', 'charge-' || pi || '_1', 'pending', ${at(2)}, ${at(2)}, ${at(2)}, quo, 0, 1000 + n % 9000, 'USD' FROM h`);
      sqlite.exec(`UPDATE payment_attempts SET status = 'approved', bank_charge_id = 'ch_' || lower(hex(randomblob(10)))`);
      run(`INSERT INTO bank_jobs (id, kind, subject_id, tries, next_run_at, created_at, done_at) SELECT job, 'charge', pa, 1, ${at(2)}, ${at(2)}, ${at(3)} FROM h`);
      run(`INSERT INTO sessions (token_hash, shopper_id, created_at, expires_at) SELECT lower(hex(randomblob(32))), shopper, ${at(3)}, '${later}' FROM h`);
      run(`INSERT INTO webhook_events (id, merchant_id, type, payload, created_at)
           SELECT evt, '${HISTORY_MERCHANT}', 'payment_intent.succeeded',
             json_object('id', evt, 'type', 'payment_intent.succeeded', 'created_at', ${at(3)}, 'data', json_object('object', json_object('id', pi, 'amount', 1000 + n % 9000, 'currency', 'USD', 'status', 'succeeded', 'reference', 'order-' || n))),
             ${at(3)} FROM h`);
      run(`INSERT INTO webhook_deliveries (id, event_id, endpoint_id, status, tries, next_run_at, last_status_code, created_at, done_at)
           SELECT whd, evt, 'we_bench_history', 'delivered', 1, ${at(3)}, 200, ${at(3)}, ${at(4)} FROM h`);
      run(`INSERT INTO rate_limit_windows (bucket, window_start, hits, previous_hits, expires_at)
           SELECT 'confirmation.client_secret:' || secret_hash, ${at(1)}, 1, 0, '${later}' FROM h`);
    })();
    // No ANALYZE: the wallet never runs one, so its query plans here are the ones it has in production.
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    return { payments, rows, ms: performance.now() - t0 };
  } finally {
    sqlite.close();
  }
}
