import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresDialect, type CompiledQuery, type QueryResult } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrations/migrate-to-latest.ts';
import type { Database } from './schema.ts';
import type { SqliteLink } from './sqlite-link.ts';
import { SqliteWalletDialect } from './sqlite-wallet-dialect.ts';
import { SqliteWalletDriver, type SqliteDriverStats } from './sqlite-wallet-driver.ts';
import { SqliteWorkerLink } from './sqlite-worker-link.ts';

export type WalletDb = Kysely<Database>;
export type DatabaseEngine = 'sqlite' | 'postgres';

export interface DatabaseConfig {
  /** `postgres://…`: PostgreSQL, for several wallet server processes on one database. */
  databaseUrl?: string;
  /** Without a URL: SQLite at `${dataDir}/paykey.sqlite` (one process). */
  dataDir?: string;
  /** PostgreSQL pool size; default 20. */
  poolSize?: number;
  /**
   * SQLite: where the writing connection lives. `worker`: a worker thread, so a
   * COMMIT's wait on the disk does not stop the event loop; `main`: this thread.
   * Default from `PAYKEY_SQLITE_THREAD`, else `DEFAULT_SQLITE_THREAD`.
   */
  sqliteThread?: SqliteThread;
}

export type SqliteThread = 'worker' | 'main';

/**
 * Opens the wallet database and migrates it: PostgreSQL when a `postgres://`
 * URL is given, else the embedded SQLite file. The same Kysely queries and the
 * same migrations run on both.
 */
export async function openDatabase(config: DatabaseConfig): Promise<WalletDb> {
  const db = config.databaseUrl ? openPostgres(config.databaseUrl, config.poolSize ?? 20) : await openSqlite(config.dataDir, config.sqliteThread ?? sqliteThreadFromEnv());
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  // Only now: migrations run statements (PRAGMA foreign_keys) that do nothing inside a transaction.
  sqliteDrivers.get(db)?.startGroupCommit();
  return db;
}

export function engineOf(db: Kysely<any>): DatabaseEngine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Runs `fn` in a transaction, or inside the caller's when `db` already is one. */
export function inTransaction<T>(db: WalletDb, fn: (trx: WalletDb) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/**
 * Runs a write whose loss in a crash would not matter (a rate-limit hit only makes a limit looser by one; it is not
 * payment state) as cheaply as the engine allows. SQLite: without waiting for the disk — it rides the open group's
 * COMMIT, unawaited (sqlite-wallet-driver.ts), so a request does not stop for an fsync before its real work.
 * PostgreSQL: one statement on its own, as any other write; its own transaction with `SET LOCAL synchronous_commit =
 * off` was measured and costs the wallet more CPU (three more round trips, about 0.35 ms against 0.24 ms per hit on the
 * embedded server) than the WAL flush it spares. Inside a caller's transaction it is simply one more statement of it.
 */
export async function writeLossTolerant<R>(db: WalletDb, query: CompiledQuery<R>): Promise<QueryResult<R>> {
  const driver = db.isTransaction ? undefined : sqliteDrivers.get(db);
  return driver ? driver.writeWithoutWaitingForDisk<R>(query) : db.executeQuery(query);
}

/** A unique or primary-key violation (a concurrent writer got there first), on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * WAL keeps readers off the writer's back; `synchronous=FULL` because a lost
 * write here can be a lost payment record. The driver groups concurrent commits
 * into one fsync and answers none of them before it (sqlite-wallet-driver.ts);
 * with `PAYKEY_SQLITE_THREAD=worker` the connection lives in a worker thread, so
 * that fsync waits there and not on the event loop (sqlite-worker-link.ts).
 */
async function openSqlite(dataDir: string | undefined, thread: SqliteThread): Promise<WalletDb> {
  if (!dataDir) throw new TypeError('openDatabase: expected a dataDir (SQLite) or a databaseUrl (PostgreSQL), received neither');
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'paykey.sqlite');
  const pragmas = ['journal_mode = WAL', 'synchronous = FULL', 'foreign_keys = ON', 'busy_timeout = 5000'];
  let connection: SqliteLink | SQLite.Database;
  if (thread === 'worker') {
    connection = await SqliteWorkerLink.open(file, { pragmas, statementCacheSize: STATEMENT_CACHE_SIZE });
  } else {
    connection = new SQLite(file);
    for (const pragma of pragmas) connection.pragma(pragma);
  }
  const driver = new SqliteWalletDriver(connection, { statementCacheSize: STATEMENT_CACHE_SIZE });
  const db = new Kysely<Database>({ dialect: new SqliteWalletDialect(driver) });
  sqliteDrivers.set(db, driver);
  return db;
}

function sqliteThreadFromEnv(): SqliteThread {
  const value = process.env.PAYKEY_SQLITE_THREAD;
  if (value === undefined || value === '') return DEFAULT_SQLITE_THREAD;
  if (value === 'worker' || value === 'main') return value;
  throw new TypeError(`PAYKEY_SQLITE_THREAD: expected "worker" or "main", received ${JSON.stringify(value)}`);
}

const STATEMENT_CACHE_SIZE = 500;
/**
 * This thread. On a quiet machine each statement's hand-off to a worker (post, wake it, wait on a shared flag) costs
 * more than the COMMIT's fsync it takes off the event loop: back to back, `BENCH_PAYMENTS=800 node --import tsx
 * test/bench/server-bench.ts` gave 100.7 payments/s on the main thread and 40.9/s in the worker (intents 1,095/s and
 * 280/s). The worker won only while the machine was overloaded (load 7-18 on 2 cores); it may pay where fsync is slow.
 */
const DEFAULT_SQLITE_THREAD: SqliteThread = 'main';

const sqliteDrivers = new WeakMap<Kysely<any>, SqliteWalletDriver>();

/** The SQLite driver's counters (statement cache, group commits), for metrics; undefined on PostgreSQL. */
export function sqliteDriverStats(db: WalletDb): SqliteDriverStats | undefined {
  return sqliteDrivers.get(db)?.stats;
}

function openPostgres(url: string, max: number): WalletDb {
  const parsed = new URL(url);
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new TypeError(`DATABASE_URL: expected a postgres:// URL, received one starting ${parsed.protocol}`);
  }
  const pool = new pg.Pool({ connectionString: url, max, types: { getTypeParser } });
  // An idle client losing its server (a restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** Counts and sums come back as int8/numeric; every value we store fits a safe integer, so read them as numbers. */
function getTypeParser(oid: number, format?: 'text' | 'binary') {
  if (oid === 20 || oid === 1700) return (value: string) => Number(value);
  return pg.types.getTypeParser(oid, format as 'text');
}
