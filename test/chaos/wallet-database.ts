/**
 * The wallet database of a chaos run, and a read-only view of it that does not
 * go through the server's code: SQLite in the run directory (one instance), or
 * a fresh database on PostgreSQL (`DATABASE_URL`, else an embedded server).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { createTestDatabase, startTestPostgres } from '../support/test-postgres.ts';

/** The columns the ledger check reads. */
export interface WalletView {
  payment_intents: {
    id: string;
    status: string;
    amount: number;
    currency: string;
    created_at: string;
    updated_at: string;
  };
  payment_attempts: {
    id: string;
    intent_id: string;
    attempt_number: number;
    reference: string;
    status: 'pending' | 'approved' | 'declined';
    bank_charge_id: string | null;
    error_code: string | null;
    created_at: string;
    updated_at: string;
  };
}

export interface WalletDatabase {
  engine: 'sqlite' | 'postgres';
  /** Env for the wallet processes: DATABASE_URL on PostgreSQL, nothing on SQLite. */
  env: Record<string, string>;
  /** SQLite's data dir (PAYKEY_DATA_DIR of the single instance). */
  sqliteDataDir?: string;
  describe: string;
  /** A read-only connection (SQLite opened readonly; PostgreSQL with read-only transactions). */
  openReader(): Kysely<WalletView>;
  /** Whether the wallet created its tables here (a server that ignores DATABASE_URL does not). */
  hasWalletTables(): Promise<boolean>;
  drop(): Promise<void>;
}

export async function prepareWalletDatabase(engine: 'sqlite' | 'postgres', runDir: string): Promise<WalletDatabase> {
  if (engine === 'sqlite') {
    const dataDir = path.join(runDir, 'wallet-data');
    const file = path.join(dataDir, 'paykey.sqlite');
    const openReader = () =>
      new Kysely<WalletView>({ dialect: new SqliteDialect({ database: new SQLite(file, { readonly: true, fileMustExist: true }) }) });
    return {
      engine,
      env: {},
      sqliteDataDir: dataDir,
      describe: `SQLite ${file}`,
      openReader,
      hasWalletTables: async () => true,
      drop: async () => {},
    };
  }

  const server = await startTestPostgres();
  const database = await createTestDatabase(server.adminUrl);
  const openReader = () =>
    new Kysely<WalletView>({
      dialect: new PostgresDialect({
        pool: new pg.Pool({ connectionString: database.url, max: 4, options: '-c default_transaction_read_only=on' }),
      }),
    });
  return {
    engine,
    // The instances share the deployment's client-secret key, which PostgreSQL deployments configure.
    env: { DATABASE_URL: database.url, PAYKEY_CLIENT_SECRET_KEY: randomBytes(32).toString('base64url') },
    describe: `PostgreSQL ${new URL(database.url).pathname.slice(1)} on ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'an embedded server'}`,
    openReader,
    async hasWalletTables() {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const { rows } = await client.query(`SELECT to_regclass('public.payment_attempts') AS t`);
        return rows[0]?.t !== null;
      } finally {
        await client.end();
      }
    },
    async drop() {
      try {
        await database.drop();
      } catch (error) {
        // An embedded server that is going away takes the database with it; DATABASE_URL's server keeps it.
        if (process.env.DATABASE_URL) throw error;
      } finally {
        await server.stop();
      }
    },
  };
}
