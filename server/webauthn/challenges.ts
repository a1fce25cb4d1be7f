import { randomBytes } from 'node:crypto';
import { PaykeyError } from '../errors/paykey-error.ts';
import { randomId } from '../security/secrets.ts';
import type { WalletDb } from '../store/database.ts';
import type { ChallengePurpose, WebauthnChallengesTable } from '../store/schema.ts';

export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

export interface ChallengeBinding {
  purpose: ChallengePurpose;
  intentId: string;
  paymentHash?: string;
  cardId?: string;
  shopperId?: string;
  email?: string;
  userHandle?: string;
}

/** Fresh random challenge bytes, recorded with what they may be used for. */
export async function issueChallenge(
  db: WalletDb,
  binding: ChallengeBinding,
  now: Date,
): Promise<{ id: string; bytes: Uint8Array<ArrayBuffer> }> {
  const bytes = new Uint8Array(randomBytes(32));
  const id = randomId('chl');
  await db
    .insertInto('webauthn_challenges')
    .values({
      id,
      challenge: Buffer.from(bytes).toString('base64url'),
      purpose: binding.purpose,
      intent_id: binding.intentId,
      payment_hash: binding.paymentHash ?? null,
      card_id: binding.cardId ?? null,
      shopper_id: binding.shopperId ?? null,
      email: binding.email ?? null,
      user_handle: binding.userHandle ?? null,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + CHALLENGE_TTL_MS).toISOString(),
      consumed_at: null,
    })
    .execute();
  return { id, bytes };
}

/**
 * Marks the challenge used and returns it. The conditional UPDATE is the
 * single-use guarantee: of two requests racing with one challenge exactly one
 * changes the row. It runs before any verification, so even a failed attempt
 * burns the challenge.
 */
export async function consumeChallenge(
  db: WalletDb,
  { id, purpose, intentId }: { id: string; purpose: ChallengePurpose; intentId: string },
  now: Date,
): Promise<WebauthnChallengesTable> {
  const result = await db
    .updateTable('webauthn_challenges')
    .set({ consumed_at: now.toISOString() })
    .where('id', '=', id)
    .where('purpose', '=', purpose)
    .where('intent_id', '=', intentId)
    .where('consumed_at', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) {
    throw new PaykeyError('challenge_invalid', 'This confirmation was already used or does not exist; start again');
  }
  const challenge = await db.selectFrom('webauthn_challenges').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  if (challenge.expires_at <= now.toISOString()) {
    throw new PaykeyError('challenge_expired', 'This confirmation expired; start again');
  }
  return challenge;
}

/** Deletes challenges past their lifetime, used or not: they can never verify anything again. */
export async function pruneExpiredChallenges(db: WalletDb, now: Date): Promise<number> {
  const result = await db.deleteFrom('webauthn_challenges').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
