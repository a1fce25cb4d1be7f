import { ApiError } from '../errors/api-error.ts';
import { PaykeyError } from '../errors/paykey-error.ts';
import { randomSecret, sha256Hex } from '../security/secrets.ts';
import { isUniqueViolation, type WalletDb } from '../store/database.ts';
import { deleteInBatches } from '../store/delete-in-batches.ts';

/** Keys live a day, as at Stripe; afterwards the same key starts a new request. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * A claim older than this belongs to a request that died mid-way; the next
 * request with the key takes it over. Safe, because a request's work is one
 * transaction that stores its response only while the claim is still its own.
 */
export const IDEMPOTENCY_CLAIM_MS = 30 * 1000;

export interface StoredResponse {
  status: number;
  body: unknown;
}

export interface IdempotentRequest {
  /** The server process running it (see `releaseClaimsOf`). */
  workerId: string;
  merchantId: string;
  key: string;
  method: string;
  path: string;
  body: unknown;
  now: Date;
}

/**
 * Idempotency as the IETF `Idempotency-Key` draft and Stripe do it:
 * 1. Claim the key (`in_flight`) in its own transaction. Taken already by the
 *    same request: replay its stored response, or `409 idempotency_key_in_use`
 *    while it still runs. By another request: `422 idempotency_key_reused`.
 * 2. Run `perform`; store its response — 4xx errors included — in the same
 *    transaction as its writes, so a stored response means the work happened.
 *    A 5xx (our fault) releases the key so a retry runs again.
 * `secretless` strips secrets from what is stored; `rehydrate` puts them back on replay.
 */
export async function withIdempotency(
  db: WalletDb,
  request: IdempotentRequest,
  perform: (trx: WalletDb) => Promise<StoredResponse>,
  options: { secretless?: (body: unknown) => unknown; rehydrate?: (body: unknown) => unknown } = {},
): Promise<StoredResponse & { replayed: boolean }> {
  const requestHash = sha256Hex(`${request.method} ${request.path}\n${canonicalJson(request.body)}`);
  const where = { merchant_id: request.merchantId, idempotency_key: request.key };
  const stored = (body: unknown) => JSON.stringify(options.secretless ? options.secretless(body) : body);

  const claimed = await claim(db, request, requestHash);
  if (!claimed.ours) {
    const existing = claimed.existing;
    if (existing.request_hash !== requestHash) {
      throw new PaykeyError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request; use a new key');
    }
    if (existing.state === 'in_flight') {
      throw new PaykeyError('idempotency_key_in_use', 'A request with this Idempotency-Key is still in progress; retry it shortly');
    }
    const body = JSON.parse(existing.response_body!);
    return { status: existing.response_status!, body: options.rehydrate ? options.rehydrate(body) : body, replayed: true };
  }

  /** Stores the response, only while the claim is still ours; otherwise the work is rolled back. */
  const complete = async (trx: WalletDb, response: StoredResponse) => {
    const completed = await trx
      .updateTable('idempotency_keys')
      .set({ state: 'done', response_status: response.status, response_body: stored(response.body), locked_until: null, claim_token: null })
      .where('merchant_id', '=', where.merchant_id)
      .where('idempotency_key', '=', where.idempotency_key)
      .where('claim_token', '=', claimed.token)
      .executeTakeFirst();
    if (completed.numUpdatedRows === 0n) {
      throw new PaykeyError('idempotency_key_in_use', 'A request with this Idempotency-Key is still in progress; retry it shortly');
    }
  };
  try {
    const response = await db.transaction().execute(async (trx) => {
      const result = await perform(trx);
      await complete(trx, result);
      return result;
    });
    return { ...response, replayed: false };
  } catch (error) {
    const lostClaim = error instanceof PaykeyError && error.code === 'idempotency_key_in_use';
    if (!lostClaim && (error instanceof ApiError || error instanceof PaykeyError) && error.status < 500) {
      await complete(db, { status: error.status, body: error.toJSON() }).catch(() => {});
    } else if (!lostClaim) {
      await db
        .deleteFrom('idempotency_keys')
        .where('merchant_id', '=', where.merchant_id)
        .where('idempotency_key', '=', where.idempotency_key)
        .where('claim_token', '=', claimed.token)
        .execute()
        .catch(() => {});
    }
    throw error;
  }
}

/** At start-up: the claims this process's previous life held died with it; their keys are free again. */
export async function releaseClaimsOf(db: WalletDb, workerId: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('state', '=', 'in_flight').where('claimed_by', '=', workerId).execute();
}

type Claim =
  | { ours: true; token: string }
  | { ours: false; existing: { request_hash: string; state: 'in_flight' | 'done'; response_status: number | null; response_body: string | null } };

async function claim(db: WalletDb, request: IdempotentRequest, requestHash: string): Promise<Claim> {
  const now = request.now.toISOString();
  const token = randomSecret(16);
  const row = {
    merchant_id: request.merchantId,
    idempotency_key: request.key,
    request_hash: requestHash,
    state: 'in_flight' as const,
    response_status: null,
    response_body: null,
    created_at: now,
    locked_until: new Date(request.now.getTime() + IDEMPOTENCY_CLAIM_MS).toISOString(),
    claimed_by: request.workerId,
    claim_token: token,
  };
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('merchant_id', '=', request.merchantId)
      .where('idempotency_key', '=', request.key)
      .executeTakeFirst();
    const expired = existing && Date.parse(existing.created_at) + IDEMPOTENCY_KEY_TTL_MS <= request.now.getTime();
    const abandoned = existing?.state === 'in_flight' && existing.locked_until !== null && existing.locked_until <= now;
    if (existing && !expired && !abandoned) return { ours: false, existing };
    if (existing) {
      // A day-old key starts afresh; a dead request's claim is taken over (its transaction never committed).
      const taken = await trx
        .updateTable('idempotency_keys')
        .set(row)
        .where('merchant_id', '=', request.merchantId)
        .where('idempotency_key', '=', request.key)
        .where('created_at', '=', existing.created_at)
        .where('state', '=', existing.state)
        .where((eb) => (existing.claim_token === null ? eb('claim_token', 'is', null) : eb('claim_token', '=', existing.claim_token)))
        .executeTakeFirst();
      return taken.numUpdatedRows > 0n ? { ours: true, token } : { ours: false, existing: { ...existing, state: 'in_flight' } };
    }
    try {
      await trx.insertInto('idempotency_keys').values(row).execute();
      return { ours: true, token };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new PaykeyError('idempotency_key_in_use', 'A request with this Idempotency-Key is still in progress; retry it shortly');
    }
  });
}

export async function pruneIdempotencyKeys(db: WalletDb, now: Date): Promise<void> {
  await deleteInBatches(async (limit) => Number((await expiredIdempotencyKeysBatch(db, now, limit).executeTakeFirst()).numDeletedRows));
}

/** One batch of `pruneIdempotencyKeys`: at most `limit` keys past their lifetime, oldest first, by `idempotency_keys_created`. */
export function expiredIdempotencyKeysBatch(db: WalletDb, now: Date, limit: number) {
  const cutoff = new Date(now.getTime() - IDEMPOTENCY_KEY_TTL_MS).toISOString();
  const expired = db.selectFrom('idempotency_keys').select(['merchant_id', 'idempotency_key']).where('created_at', '<', cutoff).orderBy('created_at').limit(limit);
  return db.deleteFrom('idempotency_keys').where(({ eb, refTuple }) => eb(refTuple('merchant_id', 'idempotency_key'), 'in', expired.$asTuple('merchant_id', 'idempotency_key')));
}

/** JSON with object keys sorted, so key order and whitespace do not make two bodies differ. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
