import type { Selectable } from 'kysely';
import { ApiError } from '../errors/api-error.ts';
import { PaykeyError } from '../errors/paykey-error.ts';
import { randomSecret, sha256Hex } from '../security/secrets.ts';
import { isUniqueViolation, type WalletDb } from '../store/database.ts';
import { deleteInBatches } from '../store/delete-in-batches.ts';
import { reusableQuery } from '../store/reusable-query.ts';
import type { IdempotencyKeysTable } from '../store/schema.ts';

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
 * Idempotency as the IETF `Idempotency-Key` draft and Stripe do it.
 * A key not seen before (nearly every request) takes one transaction: the key is
 * looked up, `perform` runs, and the key is stored with its response next to the
 * work, so a stored response means the work happened. A 4xx refusal is stored
 * too, right after its transaction rolled the work back. Two requests racing with one new key both run `perform`, but only one
 * can store the key (its primary key): the other's transaction fails the insert
 * and rolls back, answering `409 idempotency_key_in_use`.
 * A key seen before: its stored response is replayed (`422 idempotency_key_reused`
 * for another request, `409 idempotency_key_in_use` while it still runs); a
 * day-old key or a dead request's claim is claimed afresh and run as below.
 * A 5xx (our fault) stores nothing, so a retry runs again.
 * `secretless` strips secrets from what is stored; `rehydrate` puts them back on replay.
 */
export interface IdempotencyOptions {
  secretless?: (body: unknown) => unknown;
  rehydrate?: (body: unknown) => unknown;
  /**
   * `perform` only writes in the transaction it is given (no bank call, nothing remembered outside it), so it may
   * run before the key is looked up: a new key then takes two statements (the work, the key inserted unless it
   * exists) instead of three. A key that exists rolls the work back and is answered as a key seen before; a
   * concurrent request with the same key is replayed once it has committed rather than answered 409.
   */
  speculative?: boolean;
}

export async function withIdempotency(
  db: WalletDb,
  request: IdempotentRequest,
  perform: (trx: WalletDb) => Promise<StoredResponse>,
  options: IdempotencyOptions = {},
): Promise<StoredResponse & { replayed: boolean }> {
  const requestHash = sha256Hex(`${request.method} ${request.path}\n${canonicalJson(request.body)}`);
  const stored = (body: unknown) => JSON.stringify(options.secretless ? options.secretless(body) : body);
  const firstUseOf = { db, request, requestHash, perform, stored };
  const firstUse = options.speculative ? await runSpeculatively(firstUseOf) : await runFirstUse(firstUseOf);
  if (firstUse.kind === 'answered') return { ...firstUse.response, replayed: false };
  if (firstUse.kind === 'refused') throw firstUse.error;

  const claimed = await claim(db, request, requestHash, firstUse.existing);
  if (!claimed.ours) return replay(claimed.existing, requestHash, options.rehydrate);
  return runClaimed(db, request, claimed.token, perform, stored);
}

/** What a request with a key not seen (yet) runs with. */
interface FirstUseOf {
  db: WalletDb;
  request: IdempotentRequest;
  requestHash: string;
  perform: (trx: WalletDb) => Promise<StoredResponse>;
  stored: (body: unknown) => string;
}

type FirstUse =
  | { kind: 'answered'; response: StoredResponse }
  | { kind: 'refused'; error: ApiError | PaykeyError }
  | { kind: 'seen'; existing: StoredKey };

/** `perform` refused the request (a 4xx): thrown out of the first-use transaction so its writes roll back with it. */
class RefusedWork extends Error {
  constructor(readonly error: ApiError | PaykeyError) {
    super(`refused: ${error.message}`);
  }
}

/** Runs `perform` in the first-use transaction; a storable refusal leaves it as `RefusedWork`, rolling its writes back. */
async function performOrRefuse(trx: WalletDb, perform: (trx: WalletDb) => Promise<StoredResponse>): Promise<StoredResponse> {
  try {
    return await perform(trx);
  } catch (error) {
    throw isStorableRefusal(error) ? new RefusedWork(error) : error;
  }
}

/**
 * The usual case, a key not seen before: lookup, work and the key with its response in one transaction
 * (one commit). The key is inserted only after the work, so nobody ever sees a claim of a transaction that
 * has not committed; a concurrent request with the same key fails that insert and rolls back.
 * A refusal (rare) rolls the work back with the whole transaction, then stores the key with the refusal in
 * a statement of its own: no savepoint around every request's work for the few that are refused.
 */
async function runFirstUse({ db, request, requestHash, perform, stored }: FirstUseOf): Promise<FirstUse> {
  try {
    return await db.transaction().execute(async (trx): Promise<FirstUse> => {
      const existing = await findKey(trx, request);
      if (existing) return { kind: 'seen', existing };
      const response = await performOrRefuse(trx, perform);
      await insertDone(trx, request, requestHash, response, stored);
      return { kind: 'answered', response };
    });
  } catch (thrown) {
    if (!(thrown instanceof RefusedWork)) throw thrown;
    // The key was free a moment ago; if another request stored it since, this insert says so (409).
    await insertDone(db, request, requestHash, refusalResponse(thrown.error), stored);
    return { kind: 'refused', error: thrown.error };
  }
}

/** The key exists after all: the work (done speculatively) was rolled back with its transaction. */
class KeyTaken extends Error {
  constructor() {
    super('idempotency key taken');
  }
}

/** `runFirstUse` for a speculative `perform` (see `IdempotencyOptions.speculative`). */
async function runSpeculatively(firstUseOf: FirstUseOf): Promise<FirstUse> {
  const { db, request, requestHash, perform, stored } = firstUseOf;
  let outcome: FirstUse;
  try {
    outcome = await db.transaction().execute(async (trx): Promise<FirstUse> => {
      const response = await performOrRefuse(trx, perform);
      if (!(await insertKeyIfNew(trx, doneRow(request, requestHash, response, stored)))) throw new KeyTaken();
      return { kind: 'answered', response };
    });
  } catch (thrown) {
    if (thrown instanceof RefusedWork) {
      if (await insertKeyIfNew(db, doneRow(request, requestHash, refusalResponse(thrown.error), stored))) return { kind: 'refused', error: thrown.error };
    } else if (!(thrown instanceof KeyTaken)) throw thrown;
    const existing = await findKey(db, request);
    // Gone again since (a claim released, a day-old key pruned): the ordinary way, which looks first.
    outcome = existing ? { kind: 'seen', existing } : await runFirstUse(firstUseOf);
  }
  return outcome;
}

/** Stores the key with its response unless the key exists; whether it did. */
async function insertKeyIfNew(db: WalletDb, row: Record<(typeof KEY_COLUMNS)[number], unknown>): Promise<boolean> {
  const { numAffectedRows } = await insertKeyUnlessTaken.run(db, row);
  return numAffectedRows !== undefined && numAffectedRows > 0n;
}

/** Stores the key with its response; a key another request stored first is `409 idempotency_key_in_use`. */
async function insertDone(db: WalletDb, request: IdempotentRequest, requestHash: string, response: StoredResponse, stored: (body: unknown) => string): Promise<void> {
  try {
    await insertKey.run(db, doneRow(request, requestHash, response, stored));
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Another request with this key stored it first; thrown inside the transaction, this rolls our work back.
    throw new PaykeyError('idempotency_key_in_use', 'A request with this Idempotency-Key is still in progress; retry it shortly');
  }
}

/** Runs `perform` under a claim taken over from an expired key or a dead request (two transactions, as rare as those). */
async function runClaimed(
  db: WalletDb,
  request: IdempotentRequest,
  token: string,
  perform: (trx: WalletDb) => Promise<StoredResponse>,
  stored: (body: unknown) => string,
): Promise<StoredResponse & { replayed: boolean }> {
  const where = { merchant_id: request.merchantId, idempotency_key: request.key };
  /** Stores the response, only while the claim is still ours; otherwise the work is rolled back. */
  const complete = async (trx: WalletDb, response: StoredResponse) => {
    const completed = await trx
      .updateTable('idempotency_keys')
      .set({ state: 'done', response_status: response.status, response_body: stored(response.body), locked_until: null, claim_token: null })
      .where('merchant_id', '=', where.merchant_id)
      .where('idempotency_key', '=', where.idempotency_key)
      .where('claim_token', '=', token)
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
    if (!lostClaim && isStorableRefusal(error)) {
      await complete(db, refusalResponse(error)).catch(() => {});
    } else if (!lostClaim) {
      await db
        .deleteFrom('idempotency_keys')
        .where('merchant_id', '=', where.merchant_id)
        .where('idempotency_key', '=', where.idempotency_key)
        .where('claim_token', '=', token)
        .execute()
        .catch(() => {});
    }
    throw error;
  }
}

/** A refusal of the client's request (4xx) is its answer, stored like a success; a 5xx is ours and is not. */
function isStorableRefusal(error: unknown): error is ApiError | PaykeyError {
  return (error instanceof ApiError || error instanceof PaykeyError) && error.status < 500;
}

function refusalResponse(error: ApiError | PaykeyError): StoredResponse {
  return { status: error.status, body: error.toJSON() };
}

function replay(existing: StoredKey, requestHash: string, rehydrate?: (body: unknown) => unknown): StoredResponse & { replayed: boolean } {
  if (existing.request_hash !== requestHash) {
    throw new PaykeyError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request; use a new key');
  }
  if (existing.state === 'in_flight') {
    throw new PaykeyError('idempotency_key_in_use', 'A request with this Idempotency-Key is still in progress; retry it shortly');
  }
  const body = JSON.parse(existing.response_body!);
  return { status: existing.response_status!, body: rehydrate ? rehydrate(body) : body, replayed: true };
}

/** At start-up: the claims this process's previous life held died with it; their keys are free again. */
export async function releaseClaimsOf(db: WalletDb, workerId: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('state', '=', 'in_flight').where('claimed_by', '=', workerId).execute();
}

type StoredKey = Pick<Selectable<IdempotencyKeysTable>, 'request_hash' | 'state' | 'response_status' | 'response_body' | 'created_at' | 'locked_until' | 'claim_token'>;

type Claim = { ours: true; token: string } | { ours: false; existing: StoredKey };

async function findKey(db: WalletDb, request: IdempotentRequest): Promise<StoredKey | undefined> {
  return selectKey.first(db, { merchant_id: request.merchantId, idempotency_key: request.key });
}

/** The two statements every idempotent POST runs, built and compiled once per dialect. */
const selectKey = reusableQuery(['merchant_id', 'idempotency_key'] as const, (db, p) =>
  db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'state', 'response_status', 'response_body', 'created_at', 'locked_until', 'claim_token'])
    .where('merchant_id', '=', p.merchant_id)
    .where('idempotency_key', '=', p.idempotency_key),
);

const KEY_COLUMNS = [
  'merchant_id', 'idempotency_key', 'request_hash', 'state', 'response_status', 'response_body', 'created_at', 'locked_until', 'claimed_by', 'claim_token',
] as const;
const insertKey = reusableQuery(KEY_COLUMNS, (db, p) => db.insertInto('idempotency_keys').values(p as never));
const insertKeyUnlessTaken = reusableQuery(KEY_COLUMNS, (db, p) =>
  db
    .insertInto('idempotency_keys')
    .values(p as never)
    .onConflict((oc) => oc.columns(['merchant_id', 'idempotency_key']).doNothing()),
);

function doneRow(request: IdempotentRequest, requestHash: string, response: StoredResponse, stored: (body: unknown) => string): Record<(typeof KEY_COLUMNS)[number], unknown> {
  return {
    merchant_id: request.merchantId,
    idempotency_key: request.key,
    request_hash: requestHash,
    state: 'done' as const,
    response_status: response.status,
    response_body: stored(response.body),
    created_at: request.now.toISOString(),
    locked_until: null,
    claimed_by: request.workerId,
    claim_token: null,
  };
}

/**
 * A key seen before: replayed (not ours), unless it is a day old or its request died (its claim lapsed);
 * then it is claimed afresh, conditionally on the row still being the one seen, so of two takers one wins.
 */
async function claim(db: WalletDb, request: IdempotentRequest, requestHash: string, existing: StoredKey): Promise<Claim> {
  const now = request.now.toISOString();
  const expired = Date.parse(existing.created_at) + IDEMPOTENCY_KEY_TTL_MS <= request.now.getTime();
  const abandoned = existing.state === 'in_flight' && existing.locked_until !== null && existing.locked_until <= now;
  if (!expired && !abandoned) return { ours: false, existing };
  const token = randomSecret(16);
  const taken = await db
    .updateTable('idempotency_keys')
    .set({
      request_hash: requestHash,
      state: 'in_flight',
      response_status: null,
      response_body: null,
      created_at: now,
      locked_until: new Date(request.now.getTime() + IDEMPOTENCY_CLAIM_MS).toISOString(),
      claimed_by: request.workerId,
      claim_token: token,
    })
    .where('merchant_id', '=', request.merchantId)
    .where('idempotency_key', '=', request.key)
    .where('created_at', '=', existing.created_at)
    .where('state', '=', existing.state)
    .where((eb) => (existing.claim_token === null ? eb('claim_token', 'is', null) : eb('claim_token', '=', existing.claim_token)))
    .executeTakeFirst();
  return taken.numUpdatedRows > 0n ? { ours: true, token } : { ours: false, existing: { ...existing, state: 'in_flight' } };
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
