import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Cards of two partner banks and cards paid with once:
 * - `currency`: the ISO 4217 code of the card's account (a Lotus Bank card: CNY), null for a card charged in the
 *   payment's currency;
 * - `saved`: 1 for a card the shopper chose to keep, 0 for a one-time card (never listed, its token released once
 *   its payment is final, or by housekeeping, or at sign-out); every card before this migration was saved;
 * - `session_hash`: the session that added a one-time card (sign-out releases that session's cards);
 * - `released_at`: when the bank confirmed the token is released. A removed card keeps it null until the bank
 *   said so, and housekeeping retries it.
 */
export const oneTimeCards: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('cards').addColumn('currency', 'text').execute();
    await db.schema.alterTable('cards').addColumn('saved', 'integer', (c) => c.notNull().defaultTo(1).check(sql`saved in (0, 1)`)).execute();
    await db.schema.alterTable('cards').addColumn('session_hash', 'text').execute();
    await db.schema.alterTable('cards').addColumn('released_at', 'text').execute();
    // What housekeeping looks for: tokens not released yet of cards removed or paid with once.
    await sql`CREATE INDEX cards_to_release ON cards (created_at) WHERE released_at IS NULL AND (saved = 0 OR deleted_at IS NOT NULL)`.execute(db);
    // The payments list finds a shopper's card attempts through their cards.
    await db.schema.createIndex('payment_attempts_card').on('payment_attempts').column('card_id').execute();
    await db.schema.createIndex('account_payments_shopper').on('account_payments').column('shopper_id').execute();
  },
};
