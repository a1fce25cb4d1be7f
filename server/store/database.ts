import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateToLatest } from './migrations.ts';
import type { Database } from './schema.ts';

export type WalletDb = Kysely<Database>;

/**
 * Opens (creating when needed) `${dataDir}/paykey.sqlite` and migrates it.
 * WAL keeps readers off the writer's back; `synchronous=FULL` because a lost
 * write here can be a lost payment record.
 */
export async function openDatabase(dataDir: string): Promise<WalletDb> {
  mkdirSync(dataDir, { recursive: true });
  const sqlite = new SQLite(path.join(dataDir, 'paykey.sqlite'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateToLatest(db);
  return db;
}
