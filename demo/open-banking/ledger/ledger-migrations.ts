/**
 * Meridian's ledger migrations, in order. Append new ones; never edit a shipped one.
 */
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

const migrations: Record<string, Migration> = {
  '0001_accounts_consents_payments': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('accounts')
        .addColumn('identification', 'text', (col) => col.primaryKey())
        .addColumn('name', 'text', (col) => col.notNull())
        .addColumn('holder', 'text', (col) => col.notNull().check(sql`holder in ('shopper', 'merchant')`))
        .addColumn('currency', 'text', (col) => col.notNull().check(sql`length(currency) = 3`))
        .addColumn('balance', 'integer', (col) => col.notNull().check(sql`typeof(balance) = 'integer'`))
        .execute();

      await db.schema
        .createTable('consents')
        .addColumn('consent_id', 'text', (col) => col.primaryKey())
        .addColumn('client_id', 'text', (col) => col.notNull())
        .addColumn('idempotency_key', 'text', (col) => col.notNull())
        .addColumn('request_hash', 'text', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('AWAU', 'AUTH', 'RJCT', 'COND')`))
        .addColumn('status_reason', 'text')
        .addColumn('data', 'text', (col) => col.notNull())
        .addColumn('risk', 'text', (col) => col.notNull())
        .addColumn('amount', 'integer', (col) => col.notNull().check(sql`typeof(amount) = 'integer' and amount > 0`))
        .addColumn('currency', 'text', (col) => col.notNull())
        .addColumn('creditor_identification', 'text', (col) => col.notNull())
        .addColumn('creditor_name', 'text', (col) => col.notNull())
        .addColumn('debtor_identification', 'text')
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('status_updated_at', 'text', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('consents_client_key').on('consents').columns(['client_id', 'idempotency_key']).execute();

      await db.schema
        .createTable('payments')
        .addColumn('payment_id', 'text', (col) => col.primaryKey())
        // One payment per consent: a second submission can never pay again.
        .addColumn('consent_id', 'text', (col) => col.notNull().unique().references('consents.consent_id'))
        .addColumn('client_id', 'text', (col) => col.notNull())
        .addColumn('idempotency_key', 'text', (col) => col.notNull())
        .addColumn('request_hash', 'text', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('ACSP', 'ACSC', 'RJCT')`))
        .addColumn('status_reason', 'text')
        .addColumn('initiation', 'text', (col) => col.notNull())
        .addColumn('amount', 'integer', (col) => col.notNull().check(sql`typeof(amount) = 'integer' and amount > 0`))
        .addColumn('currency', 'text', (col) => col.notNull())
        .addColumn('debtor_identification', 'text', (col) => col.notNull())
        .addColumn('creditor_identification', 'text', (col) => col.notNull())
        .addColumn('settle_at', 'text')
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('status_updated_at', 'text', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('payments_client_key').on('payments').columns(['client_id', 'idempotency_key']).execute();

      await db.schema
        .createTable('authorizations')
        .addColumn('authorization_id', 'text', (col) => col.primaryKey())
        .addColumn('client_id', 'text', (col) => col.notNull())
        .addColumn('consent_id', 'text', (col) => col.notNull().references('consents.consent_id'))
        .addColumn('redirect_uri', 'text', (col) => col.notNull())
        .addColumn('state', 'text', (col) => col.notNull())
        .addColumn('nonce', 'text')
        .addColumn('code_hash', 'text', (col) => col.unique())
        .addColumn('code_expires_at', 'text')
        .addColumn('code_used', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (col) => col.notNull())
        .execute();

      await db.schema
        .createTable('access_tokens')
        .addColumn('token_hash', 'text', (col) => col.primaryKey())
        .addColumn('client_id', 'text', (col) => col.notNull())
        .addColumn('consent_id', 'text')
        .addColumn('expires_at', 'text', (col) => col.notNull())
        .execute();
    },
  },
};

export const meridianLedgerMigrations: MigrationProvider = {
  getMigrations: async () => migrations,
};
