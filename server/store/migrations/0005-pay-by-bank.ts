import { sql, type Kysely, type Migration } from 'kysely';
import { engineOf } from '../database.ts';

/**
 * Pay by bank (Open Banking): `account_payments`, the attempts that pay from the shopper's bank account after
 * they approve a consent at their bank, guarded like card attempts (one pending and one approved per intent;
 * pending → approved | declined only); and the bank outbox's new job kind `account_payment`.
 */
export const payByBank: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('account_payments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('intent_id', 'text', (c) => c.notNull().references('payment_intents.id'))
      .addColumn('shopper_id', 'text', (c) => c.notNull().references('shoppers.id'))
      // The account-payment adapter's id, e.g. "meridian".
      .addColumn('bank', 'text', (c) => c.notNull())
      .addColumn('attempt_number', 'integer', (c) => c.notNull())
      .addColumn('reference', 'text', (c) => c.notNull().unique())
      .addColumn('consent_idempotency_key', 'text', (c) => c.notNull())
      .addColumn('payment_idempotency_key', 'text', (c) => c.notNull())
      .addColumn('consent_id', 'text')
      // sha256 hex of the OAuth `state` sent with the shopper to the bank; the state itself is never stored.
      .addColumn('state_hash', 'text', (c) => c.notNull().unique())
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'approved', 'declined')`))
      .addColumn('bank_payment_id', 'text')
      .addColumn('error_code', 'text')
      .addColumn('error_message', 'text')
      // The shopper's grant, sealed (AES-256-GCM); kept only until the payment is settled.
      .addColumn('sealed_grant', 'text')
      .addColumn('sent_at', 'text')
      .addColumn('consent_expires_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('account_payments_intent_number', ['intent_id', 'attempt_number'])
      .execute();
    await db.schema.createIndex('account_payments_one_pending').on('account_payments').column('intent_id').unique()
      .where(sql.ref('status'), '=', 'pending').execute();
    await db.schema.createIndex('account_payments_one_approved').on('account_payments').column('intent_id').unique()
      .where(sql.ref('status'), '=', 'approved').execute();

    if (engineOf(db) === 'postgres') {
      await sql.raw(`ALTER TABLE bank_jobs DROP CONSTRAINT IF EXISTS bank_jobs_kind_check`).execute(db);
      await sql.raw(`ALTER TABLE bank_jobs ADD CONSTRAINT bank_jobs_kind_check CHECK (kind in ('charge', 'refund', 'account_payment'))`).execute(db);
      for (const guard of postgresGuards) await sql.raw(guard).execute(db);
    } else {
      // SQLite cannot change a CHECK: the outbox table is rebuilt with the new kind (nothing references it).
      await sql.raw(`CREATE TABLE bank_jobs_new (
        id text PRIMARY KEY, kind text NOT NULL CHECK (kind in ('charge', 'refund', 'account_payment')), subject_id text NOT NULL,
        tries integer NOT NULL DEFAULT 0, next_run_at text NOT NULL, locked_by text, locked_until text, last_error text,
        created_at text NOT NULL, done_at text, CONSTRAINT bank_jobs_subject UNIQUE (kind, subject_id))`).execute(db);
      await sql.raw(`INSERT INTO bank_jobs_new (id, kind, subject_id, tries, next_run_at, locked_by, locked_until, last_error, created_at, done_at)
        SELECT id, kind, subject_id, tries, next_run_at, locked_by, locked_until, last_error, created_at, done_at FROM bank_jobs`).execute(db);
      await sql.raw(`DROP TABLE bank_jobs`).execute(db);
      await sql.raw(`ALTER TABLE bank_jobs_new RENAME TO bank_jobs`).execute(db);
      await sql.raw(`CREATE INDEX bank_jobs_due ON bank_jobs (done_at, next_run_at)`).execute(db);
      for (const guard of sqliteGuards) await sql.raw(guard).execute(db);
    }
  },
};

const MOVE = `(OLD.status = NEW.status OR (OLD.status = 'pending' AND NEW.status IN ('approved', 'declined')))`;

const sqliteGuards = [
  `CREATE TRIGGER account_payments_insert_guard BEFORE INSERT ON account_payments
   WHEN NEW.status <> 'pending'
   BEGIN SELECT RAISE(ABORT, 'account_payments: a new attempt starts pending'); END`,
  `CREATE TRIGGER account_payments_update_guard BEFORE UPDATE ON account_payments
   WHEN NOT ${MOVE}
   BEGIN SELECT RAISE(ABORT, 'account_payments: illegal status change'); END`,
];

const postgresGuards = [
  `CREATE FUNCTION account_payments_guard() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF (TG_OP = 'INSERT' AND NEW.status <> 'pending') OR (TG_OP = 'UPDATE' AND NOT ${MOVE}) THEN
       RAISE EXCEPTION 'account_payments: illegal status change';
     END IF;
     RETURN NEW;
   END $$`,
  `CREATE TRIGGER account_payments_guard BEFORE INSERT OR UPDATE ON account_payments FOR EACH ROW EXECUTE FUNCTION account_payments_guard()`,
];
