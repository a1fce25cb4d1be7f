import { randomBytes } from 'node:crypto';
import type { ExpressionBuilder } from 'kysely';
import { PaykeyError } from '../errors/paykey-error.ts';
import { randomId } from '../security/secrets.ts';
import { inTransaction, type WalletDb } from '../store/database.ts';
import { deleteInBatches } from '../store/delete-in-batches.ts';
import { insertRow, reusableQuery } from '../store/reusable-query.ts';
import type { ChallengePurpose, Database, WebauthnChallengesTable } from '../store/schema.ts';

export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

/**
 * Open (unused, unexpired) challenges one intent, and one shopper, may hold. Issuing another retires the oldest
 * (deletes it; using it is then `challenge_invalid`) rather than refusing: the newest is the one the shopper's
 * browser is showing, and a retried click must never lock them out. Rate limits bound how fast they are issued.
 */
export const MAX_OPEN_CHALLENGES = 5;

export interface ChallengeBinding {
  purpose: ChallengePurpose;
  intentId: string;
  paymentHash?: string;
  cardId?: string;
  shopperId?: string;
  email?: string;
  userHandle?: string;
  /** A card payment: the quote (fee, rate, debit) the shopper was shown, bound into `paymentHash`. */
  quoteId?: string;
}

/** Fresh random challenge bytes, recorded with what they may be used for; the oldest beyond MAX_OPEN_CHALLENGES retire. */
export async function issueChallenge(
  db: WalletDb,
  binding: ChallengeBinding,
  now: Date,
): Promise<{ id: string; bytes: Uint8Array<ArrayBuffer>; expiresAt: string }> {
  const bytes = new Uint8Array(randomBytes(32));
  const id = randomId('chl');
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS).toISOString();
  await inTransaction(db, async (trx) => {
    await insertRow(trx, 'webauthn_challenges', {
      id,
      challenge: Buffer.from(bytes).toString('base64url'),
      purpose: binding.purpose,
      intent_id: binding.intentId,
      payment_hash: binding.paymentHash ?? null,
      card_id: binding.cardId ?? null,
      shopper_id: binding.shopperId ?? null,
      email: binding.email ?? null,
      user_handle: binding.userHandle ?? null,
      quote_id: binding.quoteId ?? null,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      consumed_at: null,
    });
    await retireOldestOpen(trx, 'intent_id', binding.intentId, id, now);
    if (binding.shopperId) await retireOldestOpen(trx, 'shopper_id', binding.shopperId, id, now);
  });
  return { id, bytes, expiresAt };
}

/**
 * The open challenges of one intent or shopper, newest first, but `keep`: read through an index of open challenges
 * only (`webauthn_challenges_open_intent`, `_open_shopper`), so its cost is the handful that are open, not all a busy
 * shopper has used.
 */
const openChallengesBy = (column: 'intent_id' | 'shopper_id') =>
  reusableQuery(['value', 'keep', 'now'] as const, (db, p) =>
    db
      .selectFrom('webauthn_challenges')
      .select('id')
      .where(column, '=', p.value)
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', p.now)
      .where('id', '!=', p.keep)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc'),
  );
export const openChallengesOf = { intent_id: openChallengesBy('intent_id'), shopper_id: openChallengesBy('shopper_id') };

/** Deletes the open challenges of one intent or shopper beyond the newest MAX_OPEN_CHALLENGES (`keep` among them). */
async function retireOldestOpen(db: WalletDb, column: 'intent_id' | 'shopper_id', value: string, keep: string, now: Date): Promise<void> {
  const open = (await openChallengesOf[column].run(db, { value, keep, now: now.toISOString() })).rows;
  const retired = open.slice(MAX_OPEN_CHALLENGES - 1).map((row) => row.id);
  if (retired.length > 0) await db.deleteFrom('webauthn_challenges').where('id', 'in', retired).execute();
}

/** Which challenge a request answers: its id, and what it must have been issued for. */
export interface ChallengeRef {
  id: string;
  purpose: ChallengePurpose;
  intentId: string;
}

/**
 * Marks the challenge used and returns it. The conditional UPDATE is the
 * single-use guarantee: of two requests racing with one challenge exactly one
 * changes the row. It runs before any verification, so even a failed attempt
 * burns the challenge.
 */
export async function consumeChallenge(db: WalletDb, ref: ChallengeRef, now: Date): Promise<WebauthnChallengesTable> {
  // One statement burns it and answers with it (RETURNING, on SQLite and PostgreSQL alike).
  const challenge = await burnChallenge.first(db, { ...refValues(ref), now: now.toISOString() });
  return usableOrRefused(challenge, now);
}

/**
 * The challenge as `consumeChallenge` would return it, without burning it: for a caller that burns it later in the
 * transaction its use commits in (passing that transaction to `consumeChallenge`, whose conditional UPDATE stays the
 * single-use guarantee), and on its own on every way out before that. Same refusals as `consumeChallenge`.
 */
export async function findOpenChallenge(db: WalletDb, ref: ChallengeRef, now: Date): Promise<WebauthnChallengesTable> {
  const challenge = await unusedChallenge.first(db, refValues(ref));
  return usableOrRefused(challenge, now);
}

// Every payment burns one and reads it first: built and compiled once (reusable-query.ts).
const burnChallenge = reusableQuery(['id', 'purpose', 'intentId', 'now'] as const, (db, p) =>
  db
    .updateTable('webauthn_challenges')
    .set({ consumed_at: p.now })
    .where((eb) => isUnused(eb, p as unknown as ChallengeRef))
    .returningAll(),
);
const unusedChallenge = reusableQuery(['id', 'purpose', 'intentId'] as const, (db, p) =>
  db
    .selectFrom('webauthn_challenges')
    .selectAll()
    .where((eb) => isUnused(eb, p as unknown as ChallengeRef)),
);

const refValues = ({ id, purpose, intentId }: ChallengeRef) => ({ id, purpose, intentId });

/** The row of `ref` while nobody has used it (an expired one included: `usableOrRefused` tells it apart). */
function isUnused(eb: ExpressionBuilder<Database, 'webauthn_challenges'>, { id, purpose, intentId }: ChallengeRef) {
  return eb.and([eb('id', '=', id), eb('purpose', '=', purpose), eb('intent_id', '=', intentId), eb('consumed_at', 'is', null)]);
}

/** No unused row (used, retired, or issued for another purpose or intent) is `challenge_invalid`; a lapsed one `challenge_expired`. */
function usableOrRefused(challenge: WebauthnChallengesTable | undefined, now: Date): WebauthnChallengesTable {
  if (!challenge) {
    throw new PaykeyError('challenge_invalid', 'This confirmation was already used or does not exist; start again');
  }
  if (challenge.expires_at <= now.toISOString()) {
    throw new PaykeyError('challenge_expired', 'This confirmation expired; start again');
  }
  return challenge;
}

/** Deletes challenges past their lifetime, used or not: they can never verify anything again. */
export async function pruneExpiredChallenges(db: WalletDb, now: Date): Promise<number> {
  return deleteInBatches(async (limit) => Number((await expiredChallengesBatch(db, now, limit).executeTakeFirst()).numDeletedRows));
}

/** One batch of `pruneExpiredChallenges`: at most `limit` expired challenges, oldest first, by `webauthn_challenges_expiry`. */
export function expiredChallengesBatch(db: WalletDb, now: Date, limit: number) {
  const expired = db.selectFrom('webauthn_challenges').select('id').where('expires_at', '<=', now.toISOString()).orderBy('expires_at').limit(limit);
  return db.deleteFrom('webauthn_challenges').where('id', 'in', expired);
}
