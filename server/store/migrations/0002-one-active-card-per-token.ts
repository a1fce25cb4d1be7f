import { sql, type Kysely, type Migration } from 'kysely';

export const oneActiveCardPerToken: Migration = {
  // The transaction in addCard keeps one SQLite connection from saving a card twice; this index keeps
  // every connection and every server process (PostgreSQL) from doing so.
  async up(db: Kysely<any>) {
    await db.schema
      .createIndex('cards_active_token')
      .on('cards')
      .columns(['shopper_id', 'bank', 'bank_token'])
      .unique()
      .where(sql.ref('deleted_at'), 'is', null)
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('cards_active_token').execute();
  },
};
