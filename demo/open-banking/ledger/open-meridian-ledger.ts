/**
 * Opens (creating, migrating and seeding the test accounts if needed) Meridian's SQLite ledger.
 */
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { MERIDIAN_TEST_ACCOUNTS } from '../meridian-accounts.ts';
import { meridianLedgerMigrations } from './ledger-migrations.ts';
import type { MeridianLedgerSchema } from './ledger-schema.ts';

export type MeridianLedger = Kysely<MeridianLedgerSchema>;

export async function openMeridianLedger(file: string): Promise<MeridianLedger> {
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<MeridianLedgerSchema>({ dialect: new SqliteDialect({ database: sqlite }) });

  const { error, results } = await new Migrator({ db, provider: meridianLedgerMigrations }).migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    await db.destroy();
    throw new Error(`Meridian Bank ledger migration ${failed?.migrationName ?? ''} failed at ${file}`, { cause: error });
  }
  await db
    .insertInto('accounts')
    .values(
      MERIDIAN_TEST_ACCOUNTS.map((account) => ({
        identification: account.identification,
        name: account.name,
        holder: account.holder,
        currency: 'GBP',
        balance: account.openingBalance,
      })),
    )
    .onConflict((oc) => oc.column('identification').doNothing())
    .execute();
  return db;
}
