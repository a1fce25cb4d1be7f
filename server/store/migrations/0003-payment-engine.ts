import { sql, type Kysely, type Migration } from 'kysely';
import { engineOf } from '../database.ts';

/**
 * The payment engine: refunds, the bank outbox, webhooks, two-phase idempotency
 * keys, and guards that make illegal state changes impossible in the database
 * itself (whatever code, or person with a SQL prompt, tries them).
 */
export const paymentEngine: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('payment_intents').addColumn('amount_refunded', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    // Passkey verifications that failed for this payment: past a limit it is locked (PSD2 RTS Art. 4).
    await db.schema.alterTable('payment_intents').addColumn('failed_authentications', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    // Our first send of an attempt to the bank; a lookup before it would only say "never seen".
    await db.schema.alterTable('payment_attempts').addColumn('sent_at', 'text').execute();

    // At most one attempt in flight per intent, and never two approved ones.
    await db.schema.createIndex('payment_attempts_one_pending').on('payment_attempts').column('intent_id').unique()
      .where(sql.ref('status'), '=', 'pending').execute();
    await db.schema.createIndex('payment_attempts_one_approved').on('payment_attempts').column('intent_id').unique()
      .where(sql.ref('status'), '=', 'approved').execute();

    await db.schema
      .createTable('refunds')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('intent_id', 'text', (c) => c.notNull().references('payment_intents.id'))
      .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.id'))
      .addColumn('amount', 'integer', (c) => c.notNull().check(sql`amount > 0`))
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'succeeded', 'failed')`))
      .addColumn('reference', 'text', (c) => c.notNull().unique())
      .addColumn('idempotency_key', 'text', (c) => c.notNull())
      .addColumn('bank_refund_id', 'text')
      .addColumn('failure_code', 'text')
      .addColumn('failure_message', 'text')
      .addColumn('sent_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('refunds_intent').on('refunds').columns(['intent_id', 'created_at']).execute();

    // The bank outbox: a row per attempt or refund to settle with the bank, written in the same
    // transaction as the state change; workers lease rows (several server processes share the table).
    await db.schema
      .createTable('bank_jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('charge', 'refund')`))
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('tries', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_run_at', 'text', (c) => c.notNull())
      .addColumn('locked_by', 'text')
      .addColumn('locked_until', 'text')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('done_at', 'text')
      .addUniqueConstraint('bank_jobs_subject', ['kind', 'subject_id'])
      .execute();
    await db.schema.createIndex('bank_jobs_due').on('bank_jobs').columns(['done_at', 'next_run_at']).execute();

    await db.schema
      .createTable('webhook_endpoints')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.id'))
      .addColumn('url', 'text', (c) => c.notNull())
      // The HMAC key the merchant verifies signatures with; needed in clear to sign.
      .addColumn('secret', 'text', (c) => c.notNull())
      /** JSON array of event types. */
      .addColumn('events', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('deleted_at', 'text')
      .execute();
    await db.schema.createIndex('webhook_endpoints_merchant').on('webhook_endpoints').column('merchant_id').execute();

    await db.schema
      .createTable('webhook_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.id'))
      .addColumn('type', 'text', (c) => c.notNull())
      /** The exact JSON body every endpoint receives. */
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('webhook_events_merchant').on('webhook_events').columns(['merchant_id', 'created_at']).execute();

    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('event_id', 'text', (c) => c.notNull().references('webhook_events.id'))
      .addColumn('endpoint_id', 'text', (c) => c.notNull().references('webhook_endpoints.id'))
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'delivered', 'failed')`))
      .addColumn('tries', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_run_at', 'text', (c) => c.notNull())
      .addColumn('locked_by', 'text')
      .addColumn('locked_until', 'text')
      .addColumn('last_error', 'text')
      .addColumn('last_status_code', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('done_at', 'text')
      .addUniqueConstraint('webhook_deliveries_event_endpoint', ['event_id', 'endpoint_id'])
      .execute();
    await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['done_at', 'next_run_at']).execute();

    // Two-phase idempotency: a key is claimed (`in_flight`) before the request runs, then completed with its response.
    await db.schema.dropTable('idempotency_keys').execute();
    await db.schema
      .createTable('idempotency_keys')
      .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.id'))
      .addColumn('idempotency_key', 'text', (c) => c.notNull())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('in_flight', 'done')`))
      .addColumn('response_status', 'integer')
      .addColumn('response_body', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('locked_until', 'text')
      // The server process holding an `in_flight` claim, and a token only that request knows.
      .addColumn('claimed_by', 'text')
      .addColumn('claim_token', 'text')
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['merchant_id', 'idempotency_key'])
      .execute();
    await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();

    // Per-deployment settings every server process shares (the client secret key).
    await db.schema
      .createTable('wallet_settings')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();

    for (const guard of engineOf(db) === 'postgres' ? postgresGuards : sqliteGuards) await sql.raw(guard).execute(db);
  },
};

/** Legal moves, as SQL over OLD/NEW (valid in SQLite triggers and PL/pgSQL alike). */
const INTENT_MOVE = `(OLD.status = NEW.status
  OR (OLD.status = 'requires_confirmation' AND NEW.status IN ('processing', 'canceled'))
  OR (OLD.status = 'processing' AND NEW.status IN ('succeeded', 'failed', 'requires_review'))
  OR (OLD.status = 'failed' AND NEW.status IN ('processing', 'canceled'))
  OR (OLD.status = 'requires_review' AND NEW.status IN ('succeeded', 'failed')))`;
const INTENT_REFUNDED = `(NEW.amount_refunded >= 0 AND NEW.amount_refunded <= NEW.amount AND (NEW.amount_refunded = 0 OR NEW.status = 'succeeded'))`;
const ATTEMPT_MOVE = `(OLD.status = NEW.status OR (OLD.status = 'pending' AND NEW.status IN ('approved', 'declined')))`;
const REFUND_MOVE = `(OLD.status = NEW.status OR (OLD.status = 'pending' AND NEW.status IN ('succeeded', 'failed')))`;

const sqliteGuards = [
  `CREATE TRIGGER payment_intents_insert_guard BEFORE INSERT ON payment_intents
   WHEN NEW.status <> 'requires_confirmation' OR NEW.amount_refunded <> 0
   BEGIN SELECT RAISE(ABORT, 'payment_intents: a new intent starts requires_confirmation with nothing refunded'); END`,
  `CREATE TRIGGER payment_intents_update_guard BEFORE UPDATE ON payment_intents
   WHEN NOT ${INTENT_MOVE} OR NOT ${INTENT_REFUNDED}
   BEGIN SELECT RAISE(ABORT, 'payment_intents: illegal status change or refunded amount'); END`,
  `CREATE TRIGGER payment_attempts_insert_guard BEFORE INSERT ON payment_attempts
   WHEN NEW.status <> 'pending'
   BEGIN SELECT RAISE(ABORT, 'payment_attempts: a new attempt starts pending'); END`,
  `CREATE TRIGGER payment_attempts_update_guard BEFORE UPDATE ON payment_attempts
   WHEN NOT ${ATTEMPT_MOVE}
   BEGIN SELECT RAISE(ABORT, 'payment_attempts: illegal status change'); END`,
  `CREATE TRIGGER refunds_insert_guard BEFORE INSERT ON refunds
   WHEN NEW.status <> 'pending'
   BEGIN SELECT RAISE(ABORT, 'refunds: a new refund starts pending'); END`,
  `CREATE TRIGGER refunds_update_guard BEFORE UPDATE ON refunds
   WHEN NOT ${REFUND_MOVE}
   BEGIN SELECT RAISE(ABORT, 'refunds: illegal status change'); END`,
];

const postgresGuards = [
  `CREATE FUNCTION payment_intents_guard() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'INSERT' THEN
       IF NEW.status <> 'requires_confirmation' OR NEW.amount_refunded <> 0 THEN
         RAISE EXCEPTION 'payment_intents: a new intent starts requires_confirmation with nothing refunded';
       END IF;
     ELSIF NOT ${INTENT_MOVE} OR NOT ${INTENT_REFUNDED} THEN
       RAISE EXCEPTION 'payment_intents: illegal status change or refunded amount (% to %)', OLD.status, NEW.status;
     END IF;
     RETURN NEW;
   END $$`,
  `CREATE TRIGGER payment_intents_guard BEFORE INSERT OR UPDATE ON payment_intents FOR EACH ROW EXECUTE FUNCTION payment_intents_guard()`,
  `CREATE FUNCTION payment_attempts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF (TG_OP = 'INSERT' AND NEW.status <> 'pending') OR (TG_OP = 'UPDATE' AND NOT ${ATTEMPT_MOVE}) THEN
       RAISE EXCEPTION 'payment_attempts: illegal status change';
     END IF;
     RETURN NEW;
   END $$`,
  `CREATE TRIGGER payment_attempts_guard BEFORE INSERT OR UPDATE ON payment_attempts FOR EACH ROW EXECUTE FUNCTION payment_attempts_guard()`,
  `CREATE FUNCTION refunds_guard() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF (TG_OP = 'INSERT' AND NEW.status <> 'pending') OR (TG_OP = 'UPDATE' AND NOT ${REFUND_MOVE}) THEN
       RAISE EXCEPTION 'refunds: illegal status change';
     END IF;
     RETURN NEW;
   END $$`,
  `CREATE TRIGGER refunds_guard BEFORE INSERT OR UPDATE ON refunds FOR EACH ROW EXECUTE FUNCTION refunds_guard()`,
];
