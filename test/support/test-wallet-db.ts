/**
 * A migrated wallet database without a server, for tests of one module:
 * SQLite in a fresh temp directory, or a fresh database on a real PostgreSQL
 * when `PAYKEY_TEST_DB=postgres` (`PAYKEY_TEST_PG_URL`, else one embedded
 * server per test process).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type DatabaseConfig, type WalletDb } from '../../server/store/database.ts';
import { createTestDatabase, startTestPostgres, type TestPostgres } from './test-postgres.ts';

export const TEST_DB_ENGINE: 'sqlite' | 'postgres' = process.env.PAYKEY_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

export interface TestWalletDb {
  db: WalletDb;
  config: DatabaseConfig;
  /** Another connection (pool) to the same database, as a second server process would have. */
  openAnother(): Promise<WalletDb>;
  close(): Promise<void>;
}

export async function openTestWalletDb(): Promise<TestWalletDb> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'paykey-db-'));
  const pgDatabase = TEST_DB_ENGINE === 'postgres' ? await createTestDatabase(await acquirePostgres()) : undefined;
  const config: DatabaseConfig = pgDatabase ? { databaseUrl: pgDatabase.url } : { dataDir };
  const db = await openDatabase(config);
  const others: WalletDb[] = [];
  return {
    db,
    config,
    async openAnother() {
      const other = await openDatabase(config);
      others.push(other);
      return other;
    },
    async close() {
      await Promise.all([db, ...others].map((d) => d.destroy()));
      if (pgDatabase) {
        await pgDatabase.drop();
        releasePostgres();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One embedded server per test process, stopped shortly after its last
 * database closes: its child process would otherwise keep the test process
 * alive for ever.
 */
let embedded: Promise<TestPostgres> | undefined;
let users = 0;
let idle: NodeJS.Timeout | undefined;

async function acquirePostgres(): Promise<string> {
  if (process.env.PAYKEY_TEST_PG_URL) return process.env.PAYKEY_TEST_PG_URL;
  users += 1;
  clearTimeout(idle);
  embedded ??= startTestPostgres();
  return (await embedded).adminUrl;
}

function releasePostgres(): void {
  if (process.env.PAYKEY_TEST_PG_URL || --users > 0) return;
  idle = setTimeout(() => {
    const server = embedded;
    embedded = undefined;
    void server?.then((s) => s.stop());
  }, 500);
}
