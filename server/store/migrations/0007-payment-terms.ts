import { sql, type Kysely, type Migration } from 'kysely';
import { engineOf } from '../database.ts';

/**
 * What you see is what you sign (issue 6): `payment_quotes`, the terms a card's bank quoted for one payment (fee,
 * exchange rate, debit in the card's currency, until an expiry); the quote a payment challenge was issued for; what
 * each attempt was signed and charged for (`payment_attempts.quote_id`, `fee_amount`, `debit_*`, `fx_*`); what each
 * refund gives back at the bank in the card's currency (`refunds.debit_*`); and the bank outbox's new job kind
 * `release_token` (a one-time card's token released at its bank once its payment's outcome is final).
 */
export const paymentTerms: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('payment_quotes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('intent_id', 'text', (c) => c.notNull().references('payment_intents.id'))
      .addColumn('card_id', 'text', (c) => c.notNull().references('cards.id'))
      // The card's bank adapter id, and its own id for an FX quote (null when no conversion was quoted).
      .addColumn('bank', 'text', (c) => c.notNull())
      .addColumn('bank_quote_id', 'text')
      .addColumn('amount', 'integer', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('fee_amount', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('fx_rate', 'text')
      .addColumn('fx_source', 'text')
      .addColumn('debit_amount', 'integer', (c) => c.notNull())
      .addColumn('debit_currency', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('payment_quotes_intent').on('payment_quotes').columns(['intent_id', 'created_at']).execute();

    await db.schema.alterTable('webauthn_challenges').addColumn('quote_id', 'text').execute();

    for (const [name, type, notNull] of [
      ['quote_id', 'text', false],
      ['fee_amount', 'integer', true],
      ['debit_amount', 'integer', false],
      ['debit_currency', 'text', false],
      ['fx_rate', 'text', false],
      ['fx_source', 'text', false],
    ] as const) {
      await db.schema
        .alterTable('payment_attempts')
        .addColumn(name, type, (c) => (notNull ? c.notNull().defaultTo(0) : c))
        .execute();
    }
    await db.schema.alterTable('refunds').addColumn('debit_amount', 'integer').execute();
    await db.schema.alterTable('refunds').addColumn('debit_currency', 'text').execute();

    const kinds = `kind in ('charge', 'refund', 'account_payment', 'release_token')`;
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
  },
};
