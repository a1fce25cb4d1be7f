import type { Kysely, Migration } from 'kysely';

/** Merchants, intents, shoppers, passkeys, challenges, sessions, cards and attempts. Shipped: never edit. */
export const walkingSkeleton: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('merchants')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('secret_key_hash', 'text', (c) => c.notNull().unique())
      .addColumn('allowed_origins', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('payment_intents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.id'))
      .addColumn('amount', 'integer', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('reference', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('client_secret_hash', 'text', (c) => c.notNull())
      .addColumn('last_error_code', 'text')
      .addColumn('last_error_message', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('payment_intents_merchant').on('payment_intents').columns(['merchant_id', 'created_at']).execute();

    await db.schema
      .createTable('idempotency_keys')
      .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.id'))
      .addColumn('idempotency_key', 'text', (c) => c.notNull())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('response_status', 'integer', (c) => c.notNull())
      .addColumn('response_body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['merchant_id', 'idempotency_key'])
      .execute();

    await db.schema
      .createTable('shoppers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('user_handle', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('credentials')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('shopper_id', 'text', (c) => c.notNull().references('shoppers.id'))
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('counter', 'bigint', (c) => c.notNull())
      .addColumn('transports', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .execute();
    await db.schema.createIndex('credentials_shopper').on('credentials').column('shopper_id').execute();

    await db.schema
      .createTable('webauthn_challenges')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('challenge', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('intent_id', 'text', (c) => c.notNull().references('payment_intents.id'))
      .addColumn('payment_hash', 'text')
      .addColumn('card_id', 'text')
      .addColumn('shopper_id', 'text')
      .addColumn('email', 'text')
      .addColumn('user_handle', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('consumed_at', 'text')
      .execute();
    await db.schema.createIndex('webauthn_challenges_expiry').on('webauthn_challenges').column('expires_at').execute();

    await db.schema
      .createTable('sessions')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('shopper_id', 'text', (c) => c.notNull().references('shoppers.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('cards')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('shopper_id', 'text', (c) => c.notNull().references('shoppers.id'))
      .addColumn('bank', 'text', (c) => c.notNull())
      .addColumn('bank_token', 'text', (c) => c.notNull())
      .addColumn('brand', 'text', (c) => c.notNull())
      .addColumn('last4', 'text', (c) => c.notNull())
      .addColumn('exp_month', 'integer', (c) => c.notNull())
      .addColumn('exp_year', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('deleted_at', 'text')
      .execute();
    await db.schema.createIndex('cards_shopper').on('cards').column('shopper_id').execute();

    await db.schema
      .createTable('payment_attempts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('intent_id', 'text', (c) => c.notNull().references('payment_intents.id'))
      .addColumn('card_id', 'text', (c) => c.notNull().references('cards.id'))
      .addColumn('attempt_number', 'integer', (c) => c.notNull())
      .addColumn('reference', 'text', (c) => c.notNull().unique())
      .addColumn('idempotency_key', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('bank_charge_id', 'text')
      .addColumn('error_code', 'text')
      .addColumn('error_message', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('payment_attempts_intent_number', ['intent_id', 'attempt_number'])
      .execute();
    await db.schema.createIndex('payment_attempts_status').on('payment_attempts').column('status').execute();
  },
  async down(db: Kysely<any>) {
    for (const table of [
      'payment_attempts', 'cards', 'sessions', 'webauthn_challenges', 'credentials',
      'shoppers', 'idempotency_keys', 'payment_intents', 'merchants',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
