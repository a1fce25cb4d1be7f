import { PaykeyError } from '../errors/paykey-error.ts';
import { parseBearer } from '../http/bearer-token.ts';
import { randomSecret, sha256Hex } from '../security/secrets.ts';
import type { WalletDb } from '../store/database.ts';
import { deleteInBatches } from '../store/delete-in-batches.ts';
import { insertRow, reusableQuery } from '../store/reusable-query.ts';

export const SESSION_TTL_MS = 30 * 60 * 1000;

/**
 * A shopper session is a random bearer token held by the frame (memory only)
 * and sent as `Authorization: Bearer`; only its hash is stored. No cookies:
 * third-party cookies are unreliable inside a cross-site iframe.
 */
export async function createSession(db: WalletDb, shopperId: string, now: Date): Promise<{ token: string; expiresAt: string }> {
  const token = `pks_${randomSecret(32)}`;
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
  await insertRow(db, 'sessions', { token_hash: sha256Hex(token), shopper_id: shopperId, created_at: now.toISOString(), expires_at: expiresAt });
  return { token, expiresAt };
}

/** The bearer token of a request, or `undefined` when none was sent. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const token = parseBearer(header);
  if (!token) throw new PaykeyError('session_invalid', 'Send the session as `Authorization: Bearer <token>`');
  return token;
}

/** The shopper a session token belongs to; 401 when it is unknown or expired. */
export async function shopperIdForSession(db: WalletDb, token: string, now: Date): Promise<string> {
  const session = await sessionByToken.first(db, { token_hash: sha256Hex(token) });
  if (!session) throw new PaykeyError('session_invalid', 'Sign in again');
  if (session.expires_at <= now.toISOString()) throw new PaykeyError('session_expired', 'Your session expired; sign in again');
  return session.shopper_id;
}

// Read by every request of a signed-in shopper: built and compiled once (reusable-query.ts).
const sessionByToken = reusableQuery(['token_hash'] as const, (db, p) =>
  db.selectFrom('sessions').select(['shopper_id', 'expires_at']).where('token_hash', '=', p.token_hash),
);

/** Deletes expired sessions; `shopperIdForSession` already refuses them. */
export async function pruneExpiredSessions(db: WalletDb, now: Date): Promise<number> {
  return deleteInBatches(async (limit) => Number((await expiredSessionsBatch(db, now, limit).executeTakeFirst()).numDeletedRows));
}

/** One batch of `pruneExpiredSessions`: at most `limit` expired sessions, oldest first, found by `sessions_expiry`. */
export function expiredSessionsBatch(db: WalletDb, now: Date, limit: number) {
  const expired = db.selectFrom('sessions').select('token_hash').where('expires_at', '<=', now.toISOString()).orderBy('expires_at').limit(limit);
  return db.deleteFrom('sessions').where('token_hash', 'in', expired);
}

/**
 * "Sign out on this device": the session row goes, so the token is unknown from now on (401 `session_invalid`).
 * Returns the shopper and the session's hash (its one-time cards go with it), or throws as `shopperIdForSession`.
 */
export async function endSession(db: WalletDb, token: string, now: Date): Promise<{ shopperId: string; sessionHash: string }> {
  const shopperId = await shopperIdForSession(db, token, now);
  const sessionHash = sha256Hex(token);
  await db.deleteFrom('sessions').where('token_hash', '=', sessionHash).execute();
  return { shopperId, sessionHash };
}

/** The signed-in shopper of a request (`Authorization` header) and its token; 401 without a valid session. */
export async function requireSession(db: WalletDb, authorization: string | undefined, now: Date): Promise<{ shopperId: string; token: string }> {
  const token = bearerToken(authorization);
  if (!token) throw new PaykeyError('authentication_required', 'Sign in first');
  return { shopperId: await shopperIdForSession(db, token, now), token };
}
