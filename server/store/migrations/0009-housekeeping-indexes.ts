import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Housekeeping finds what it deletes through an index, so its cost follows what expired, not the history (issue 7):
 * - `sessions_expiry`: expired shopper sessions (`pruneExpiredSessions`);
 * - `payment_attempts_quote`: whether an expired quote was paid with (`pruneExpiredQuotes` keeps those);
 * - `cards_one_time_live`: one-time cards nobody paid with, still listed (`releaseDueCardTokens` removes the stale ones).
 * Idempotency keys (`idempotency_keys_created`), challenges (`webauthn_challenges_expiry`), rate-limit windows
 * (`rate_limit_windows_expiry`) and quotes (`payment_quotes_expires`) already had theirs.
 */
export const housekeepingIndexes: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createIndex('sessions_expiry').on('sessions').column('expires_at').execute();
    await db.schema.createIndex('payment_attempts_quote').on('payment_attempts').column('quote_id').execute();
    await sql`CREATE INDEX cards_one_time_live ON cards (created_at) WHERE saved = 0 AND deleted_at IS NULL`.execute(db);
  },
  async down(db: Kysely<any>) {
    for (const index of ['cards_one_time_live', 'payment_attempts_quote', 'sessions_expiry']) await db.schema.dropIndex(index).execute();
  },
};
