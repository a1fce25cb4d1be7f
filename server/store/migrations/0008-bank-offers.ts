import { sql, type Kysely, type Migration } from 'kysely';
import { engineOf } from '../database.ts';

/**
 * Bank offers (issue 9): each merchant's category code and country (what banks match offers on); the shopper's two
 * offer switches; the offer applied to a quote (the shopper chose it: it is signed with the payment — Paykey stores no
 * offer the shopper did not apply); on each attempt, the bank's redemption of that offer and what became of it; and
 * the bank outbox's new job kind `revoke_offer` (a failed payment or a refund undoes the redemption, exactly once).
 */
export const bankOffers: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('merchants').addColumn('mcc', 'text', (c) => c.notNull().defaultTo('5999')).execute();
    await db.schema.alterTable('merchants').addColumn('country', 'text', (c) => c.notNull().defaultTo('US')).execute();

    await db.schema.alterTable('shoppers').addColumn('offers_general', 'integer', (c) => c.notNull().defaultTo(1)).execute();
    await db.schema.alterTable('shoppers').addColumn('offers_personalized', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('shoppers').addColumn('offers_updated_at', 'text').execute();

    for (const [name, type] of [
      ['offer_bank_quote_id', 'text'],
      ['offer_id', 'text'],
      ['offer_version', 'integer'],
      ['offer_terms_hash', 'text'],
      ['offer_kind', 'text'],
      ['offer_funded_by', 'text'],
      ['offer_personalized', 'integer'],
      ['offer_title', 'text'],
      ['offer_terms', 'text'],
      ['offer_value', 'text'],
      ['offer_refund_policy', 'text'],
      ['offer_charged', 'integer'],
    ] as const) {
      await db.schema.alterTable('payment_quotes').addColumn(name, type).execute();
    }

    for (const name of ['offer_redemption_id', 'offer_revoked_at', 'offer_cashback_credited_at'] as const) {
      await db.schema.alterTable('payment_attempts').addColumn(name, 'text').execute();
    }

    const kinds = `kind in ('charge', 'refund', 'account_payment', 'release_token', 'revoke_offer')`;
    if (engineOf(db) === 'postgres') {
      await sql.raw(`ALTER TABLE bank_jobs DROP CONSTRAINT IF EXISTS bank_jobs_kind_check`).execute(db);
      await sql.raw(`ALTER TABLE bank_jobs ADD CONSTRAINT bank_jobs_kind_check CHECK (${kinds})`).execute(db);
    } else {
      // SQLite cannot change a CHECK: the outbox table is rebuilt with the new kind (nothing references it).
      await sql.raw(`CREATE TABLE bank_jobs_new (
        id text PRIMARY KEY, kind text NOT NULL CHECK (${kinds}), subject_id text NOT NULL,
        tries integer NOT NULL DEFAULT 0, next_run_at text NOT NULL, locked_by text, locked_until text, last_error text,
        created_at text NOT NULL, done_at text, CONSTRAINT bank_jobs_subject UNIQUE (kind, subject_id))`).execute(db);
      await sql.raw(`INSERT INTO bank_jobs_new (id, kind, subject_id, tries, next_run_at, locked_by, locked_until, last_error, created_at, done_at)
        SELECT id, kind, subject_id, tries, next_run_at, locked_by, locked_until, last_error, created_at, done_at FROM bank_jobs`).execute(db);
      await sql.raw(`DROP TABLE bank_jobs`).execute(db);
      await sql.raw(`ALTER TABLE bank_jobs_new RENAME TO bank_jobs`).execute(db);
      await sql.raw(`CREATE INDEX bank_jobs_due ON bank_jobs (done_at, next_run_at)`).execute(db);
    }
    // Housekeeping deletes expired quotes no attempt was made with (an offer the shopper did not pay with is not kept).
    await db.schema.createIndex('payment_quotes_expires').on('payment_quotes').column('expires_at').execute();
  },
};
