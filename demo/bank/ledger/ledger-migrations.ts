/**
 * The ledger's migrations, in order. Append new ones; never edit a shipped one.
 */
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

const migrations: Record<string, Migration> = {
  '0001_tokens_charges_refunds': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('tokens')
        .addColumn('token', 'text', (col) => col.primaryKey())
        .addColumn('idempotency_key', 'text', (col) => col.notNull().unique())
        .addColumn('brand', 'text', (col) => col.notNull())
        .addColumn('last4', 'text', (col) => col.notNull().check(sql`length(last4) = 4`))
        .addColumn('exp_month', 'integer', (col) => col.notNull().check(sql`exp_month between 1 and 12`))
        .addColumn('exp_year', 'integer', (col) => col.notNull())
        .addColumn('behaviour', 'text', (col) =>
          col.notNull().check(sql`behaviour in ('approve', 'decline_card_declined', 'decline_insufficient_funds')`),
        )
        .addColumn('created_at', 'text', (col) => col.notNull())
        .execute();

      await db.schema
        .createTable('charges')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('reference', 'text', (col) => col.notNull().unique())
        .addColumn('idempotency_key', 'text', (col) => col.notNull())
        .addColumn('token', 'text', (col) => col.notNull().references('tokens.token'))
        .addColumn('amount', 'integer', (col) => col.notNull().check(sql`typeof(amount) = 'integer' and amount > 0`))
        .addColumn('currency', 'text', (col) => col.notNull().check(sql`length(currency) = 3`))
        .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('approved', 'declined')`))
        .addColumn('decline_code', 'text')
        .addColumn('decline_message', 'text')
        .addColumn('description', 'text')
        .addColumn('created_at', 'text', (col) => col.notNull())
        .execute();

      await db.schema
        .createTable('refunds')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('reference', 'text', (col) => col.notNull().unique())
        .addColumn('idempotency_key', 'text', (col) => col.notNull())
        .addColumn('charge_id', 'text', (col) => col.notNull().references('charges.id'))
        .addColumn('amount', 'integer', (col) => col.notNull().check(sql`typeof(amount) = 'integer' and amount > 0`))
        .addColumn('currency', 'text', (col) => col.notNull().check(sql`length(currency) = 3`))
        .addColumn('status', 'text', (col) => col.notNull().check(sql`status = 'succeeded'`))
        .addColumn('created_at', 'text', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('refunds_charge_id').on('refunds').column('charge_id').execute();
    },
  },
  // Listing calls page through charges and refunds in (created_at, id) order.
  '0002_created_at_indexes': {
    async up(db: Kysely<any>) {
      await db.schema.createIndex('charges_created_at_id').on('charges').columns(['created_at', 'id']).execute();
      await db.schema.createIndex('refunds_created_at_id').on('refunds').columns(['created_at', 'id']).execute();
    },
  },
  '0003_idempotency_key_indexes': {
    // An Idempotency-Key names one request: reused for another reference it is refused, which needs a look-up by key.
    async up(db: Kysely<any>) {
      await db.schema.createIndex('charges_idempotency_key').on('charges').column('idempotency_key').execute();
      await db.schema.createIndex('refunds_idempotency_key').on('refunds').column('idempotency_key').execute();
    },
  },
  // Cards held in one currency (Lotus Bank: CNY), released tokens, and firm FX quotes a charge may name.
  '0004_card_currency_token_release_fx_quotes': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('tokens').addColumn('currency', 'text', (col) => col.check(sql`currency is null or length(currency) = 3`)).execute();
      await db.schema.alterTable('tokens').addColumn('released_at', 'text').execute();
      await db.schema
        .createTable('fx_quotes')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('from_currency', 'text', (col) => col.notNull().check(sql`length(from_currency) = 3`))
        .addColumn('to_currency', 'text', (col) => col.notNull().check(sql`length(to_currency) = 3`))
        .addColumn('rate', 'text', (col) => col.notNull())
        .addColumn('numerator', 'integer', (col) => col.notNull().check(sql`numerator > 0`))
        .addColumn('denominator', 'integer', (col) => col.notNull().check(sql`denominator > 0`))
        .addColumn('amount', 'integer', (col) => col.notNull().check(sql`typeof(amount) = 'integer' and amount > 0`))
        .addColumn('debit', 'integer', (col) => col.notNull().check(sql`typeof(debit) = 'integer' and debit > 0`))
        .addColumn('source', 'text', (col) => col.notNull())
        .addColumn('expires_at', 'text', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .execute();
      await db.schema.alterTable('charges').addColumn('fx_quote_id', 'text', (col) => col.references('fx_quotes.id')).execute();
    },
  },
  // Offers (capability `offers`): redemptions reserved for a quote, applied by one charge, revoked at most once
  // (every distinct revoke key counted); the card holders' consents to personalised offers.
  '0005_offer_redemptions': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('offer_redemptions')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('reference', 'text', (col) => col.notNull().unique())
        .addColumn('idempotency_key', 'text', (col) => col.notNull())
        .addColumn('quote_id', 'text', (col) => col.notNull())
        .addColumn('offer_id', 'text', (col) => col.notNull())
        .addColumn('version', 'integer', (col) => col.notNull())
        .addColumn('terms_hash', 'text', (col) => col.notNull())
        .addColumn('card_token', 'text', (col) => col.notNull().references('tokens.token'))
        .addColumn('merchant_id', 'text', (col) => col.notNull())
        .addColumn('amount', 'integer', (col) => col.notNull().check(sql`typeof(amount) = 'integer' and amount > 0`))
        .addColumn('currency', 'text', (col) => col.notNull().check(sql`length(currency) = 3`))
        .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('instant_discount', 'cashback', 'instalments')`))
        .addColumn('value_json', 'text', (col) => col.notNull())
        .addColumn('charged', 'integer', (col) => col.notNull().check(sql`typeof(charged) = 'integer' and charged > 0`))
        .addColumn('cashback', 'integer', (col) => col.check(sql`cashback is null or (typeof(cashback) = 'integer' and cashback > 0)`))
        .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('reserved', 'applied', 'revoked')`))
        .addColumn('charge_id', 'text', (col) => col.references('charges.id'))
        .addColumn('applied_at', 'text')
        .addColumn('cashback_due_at', 'text')
        .addColumn('revoked_at', 'text')
        .addColumn('revoke_reason', 'text')
        .addColumn('expires_at', 'text', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('offer_redemptions_offer_status').on('offer_redemptions').columns(['offer_id', 'status']).execute();
      await db.schema.createIndex('offer_redemptions_idempotency_key').on('offer_redemptions').column('idempotency_key').execute();
      await db.schema
        .createTable('offer_revocations')
        .addColumn('redemption_id', 'text', (col) => col.notNull().references('offer_redemptions.id'))
        .addColumn('idempotency_key', 'text', (col) => col.notNull())
        .addColumn('reason', 'text', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('offer_revocations_pk', ['redemption_id', 'idempotency_key'])
        .execute();
      await db.schema
        .createTable('offer_consents')
        .addColumn('card_token', 'text', (col) => col.notNull())
        .addColumn('personalization', 'text', (col) => col.notNull().check(sql`personalization in ('none', 'bank_profile')`))
        .addColumn('at', 'text', (col) => col.notNull())
        .addColumn('recorded_at', 'text', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('offer_consents_card_token').on('offer_consents').columns(['card_token', 'at']).execute();
      await db.schema.alterTable('charges').addColumn('offer_redemption_id', 'text').execute();
    },
  },
};

export const ledgerMigrations: MigrationProvider = {
  getMigrations: async () => migrations,
};
