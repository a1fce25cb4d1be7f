import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Issuing a challenge retires the oldest open ones of its intent and of its shopper beyond `MAX_OPEN_CHALLENGES`
 * (`server/webauthn/challenges.ts`). Their indexes held every challenge, used ones included, so finding the open few
 * walked all a shopper had used in the last five minutes (until housekeeping pruned them). These hold only the open
 * ones (`consumed_at IS NULL`, as that query says), in its order (newest first, by id on a tie): at most a handful
 * per intent and per shopper, whatever the history. Nothing else reads challenges by intent or shopper, and no intent
 * or shopper is ever deleted, so the foreign key on `intent_id` needs no index of all rows. The tables are small
 * (housekeeping deletes each challenge once it expires, 5 minutes after it was issued), so building these takes a
 * moment on PostgreSQL too.
 */
export const openChallengeIndexes: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.dropIndex('webauthn_challenges_intent').execute();
    await db.schema.dropIndex('webauthn_challenges_shopper').execute();
    await sql`CREATE INDEX webauthn_challenges_open_intent ON webauthn_challenges (intent_id, created_at, id) WHERE consumed_at IS NULL`.execute(db);
    await sql`CREATE INDEX webauthn_challenges_open_shopper ON webauthn_challenges (shopper_id, created_at, id) WHERE consumed_at IS NULL`.execute(db);
  },
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('webauthn_challenges_open_shopper').execute();
    await db.schema.dropIndex('webauthn_challenges_open_intent').execute();
    await db.schema.createIndex('webauthn_challenges_intent').on('webauthn_challenges').columns(['intent_id', 'created_at']).execute();
    await db.schema.createIndex('webauthn_challenges_shopper').on('webauthn_challenges').columns(['shopper_id', 'created_at']).execute();
  },
};
