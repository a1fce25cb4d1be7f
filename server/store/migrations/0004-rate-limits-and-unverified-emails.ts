import { sql, type Kysely, type Migration } from 'kysely';
import { engineOf } from '../database.ts';

/**
 * Rate limits and email as an unverified label.
 *
 * - `rate_limit_windows`: one row per limited bucket (action, key kind, key), counting hits in the current and
 *   the previous window (a sliding-window estimate); every server process on the database shares it.
 * - `shoppers.email` is no longer unique: an account is found by its passkey, and anyone could type a stranger's
 *   email. `email_verified_at` is for verification (not built yet); a verified email belongs to one account only.
 * - Challenges are looked up by intent and shopper (to cap the open ones), so both get an index.
 */
export const rateLimitsAndUnverifiedEmails: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('rate_limit_windows')
      .addColumn('bucket', 'text', (c) => c.primaryKey())
      .addColumn('window_start', 'text', (c) => c.notNull())
      .addColumn('hits', 'integer', (c) => c.notNull())
      .addColumn('previous_hits', 'integer', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('rate_limit_windows_expiry').on('rate_limit_windows').column('expires_at').execute();

    await db.schema.createIndex('webauthn_challenges_intent').on('webauthn_challenges').columns(['intent_id', 'created_at']).execute();
    await db.schema.createIndex('webauthn_challenges_shopper').on('webauthn_challenges').columns(['shopper_id', 'created_at']).execute();

    if (engineOf(db) === 'postgres') {
      // The name PostgreSQL gave 0001's column constraint `email … UNIQUE`.
      await sql`ALTER TABLE shoppers DROP CONSTRAINT shoppers_email_key`.execute(db);
      await db.schema.alterTable('shoppers').addColumn('email_verified_at', 'text').execute();
    } else {
      await rebuildSqliteShoppers(db);
    }
    await db.schema.createIndex('shoppers_email').on('shoppers').column('email').execute();
    await db.schema
      .createIndex('shoppers_verified_email')
      .on('shoppers')
      .column('email')
      .unique()
      .where(sql.ref('email_verified_at'), 'is not', null)
      .execute();
  },
};

/**
 * SQLite cannot drop a constraint: the table is rebuilt (sqlite.org/lang_altertable.html, "other kinds of table
 * schema changes") with foreign keys off, in one transaction, and the references from credentials, sessions and
 * cards are checked before it commits. Migrations run on SQLite's single connection, outside a transaction.
 */
async function rebuildSqliteShoppers(db: Kysely<any>): Promise<void> {
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      await trx.schema
        .createTable('shoppers_rebuilt')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('user_handle', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('email_verified_at', 'text')
        .execute();
      await sql`INSERT INTO shoppers_rebuilt (id, email, user_handle, created_at, email_verified_at)
        SELECT id, email, user_handle, created_at, NULL FROM shoppers`.execute(trx);
      await trx.schema.dropTable('shoppers').execute();
      await trx.schema.alterTable('shoppers_rebuilt').renameTo('shoppers').execute();
      const broken = await sql<{ table: string }>`PRAGMA foreign_key_check`.execute(trx);
      if (broken.rows.length > 0) {
        throw new Error(`Rebuilding shoppers: expected every foreign key to hold, received ${broken.rows.length} broken (first in ${broken.rows[0].table})`);
      }
    });
  } finally {
    await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
}
