/**
 * A real wallet server for tests: real SQLite in a fresh temp directory, real
 * HTTP on a free port, a movable clock, logs captured instead of printed.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { BankDirectory } from '../../server/app.ts';
import { startWalletServer, type WalletServer } from '../../server/main.ts';
import { createTestClock, type TestClock } from './test-clock.ts';

export const MERCHANT_ORIGIN = 'http://127.0.0.1:8789';

export interface TestWallet {
  url: string;
  secretKey: string;
  merchantOrigin: string;
  clock: TestClock;
  dataDir: string;
  /** Every log line the server wrote, to prove what is (not) logged. */
  logs: string[];
  server: WalletServer;
  /** A second connection to the wallet database, for tests that tamper with rows. */
  sql: SQLite.Database;
  /** `fetch` against the wallet with a JSON body. */
  request(method: string, pathname: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export interface TestWalletOptions {
  bank?: { baseUrl: string; apiKey: string };
  banks?: BankDirectory;
  distDir?: string;
  reconcile?: { intervalMs?: number; graceMs?: number };
}

export async function startTestWallet(options: TestWalletOptions = {}): Promise<TestWallet> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'paykey-wallet-'));
  const secretKey = `sk_test_${randomBytes(16).toString('hex')}`;
  const clock = createTestClock();
  const logs: string[] = [];
  const write = (level: string) => (event: string, fields: Record<string, unknown> = {}) =>
    logs.push(JSON.stringify({ level, event, ...fields }));
  const server = await startWalletServer({
    port: 0,
    dataDir,
    bank: options.bank ?? { baseUrl: 'http://127.0.0.1:9', apiKey: 'unused' },
    banks: options.banks,
    demoMerchant: { secretKey, origins: [MERCHANT_ORIGIN], displayName: 'Demo Shop' },
    distDir: options.distDir ?? path.join(dataDir, 'no-widget-build'),
    now: clock.now,
    logger: { info: write('info'), warn: write('warn'), error: write('error') },
    reconcile: { intervalMs: options.reconcile?.intervalMs ?? 3_600_000, graceMs: options.reconcile?.graceMs ?? 30_000 },
  });
  const sql = new SQLite(path.join(dataDir, 'paykey.sqlite'));
  sql.pragma('busy_timeout = 5000');
  return {
    url: server.url,
    secretKey,
    merchantOrigin: MERCHANT_ORIGIN,
    clock,
    dataDir,
    logs,
    server,
    sql,
    request(method, pathname, body, headers = {}) {
      return fetch(new URL(pathname, server.url), {
        method,
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
    },
    async close() {
      sql.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
