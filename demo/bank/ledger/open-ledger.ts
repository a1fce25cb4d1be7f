/**
 * Opens (creating and migrating if needed) the sandbox bank's SQLite ledger.
 */
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import type { LedgerSchema } from './ledger-schema.ts';
import { ledgerMigrations } from './ledger-migrations.ts';

export type Ledger = Kysely<LedgerSchema>;

export async function openLedger(file: string): Promise<Ledger> {
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  // A bank ledger survives power loss: fsync every commit, WAL or not.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<LedgerSchema>({ dialect: new SqliteDialect({ database: sqlite }) });

  const { error, results } = await new Migrator({ db, provider: ledgerMigrations }).migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    await db.destroy();
    throw new Error(`bank ledger migration ${failed?.migrationName ?? ''} failed at ${file}`, {
      cause: error,
    });
  }
  return db;
}
