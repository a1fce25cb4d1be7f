import { ApiError } from '../errors/api-error.ts';
import { sha256Hex } from '../security/secrets.ts';
import type { WalletDb } from '../store/database.ts';

/** Keys live a day, as at Stripe; afterwards the same key starts a new request. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

export interface StoredResponse {
  status: number;
  body: unknown;
}

export interface IdempotentRequest {
  merchantId: string;
  key: string;
  method: string;
  path: string;
  body: unknown;
  now: Date;
}

/**
 * Stripe-style idempotency: the first request with a key runs `perform` and its
 * response is stored in the same transaction; a repeat with the same request
 * replays that response; a repeat with a different request is a 409.
 *
 * The stored response includes the intent's client secret so a merchant whose
 * first response was lost can still render the checkout; that is why keys are
 * pruned after `IDEMPOTENCY_KEY_TTL_MS` (see reconcile.ts).
 */
export async function withIdempotency(
  db: WalletDb,
  request: IdempotentRequest,
  perform: (trx: WalletDb) => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  const requestHash = sha256Hex(`${request.method} ${request.path}\n${canonicalJson(request.body)}`);
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('merchant_id', '=', request.merchantId)
      .where('idempotency_key', '=', request.key)
      .executeTakeFirst();
    if (existing && Date.parse(existing.created_at) + IDEMPOTENCY_KEY_TTL_MS > request.now.getTime()) {
      if (existing.request_hash !== requestHash) {
        throw new ApiError(409, 'idempotency_key_reused', 'This Idempotency-Key was already used with a different request');
      }
      return { status: existing.response_status, body: JSON.parse(existing.response_body), replayed: true };
    }
    if (existing) {
      await trx
        .deleteFrom('idempotency_keys')
        .where('merchant_id', '=', request.merchantId)
        .where('idempotency_key', '=', request.key)
        .execute();
    }
    const response = await perform(trx);
    await trx
      .insertInto('idempotency_keys')
      .values({
        merchant_id: request.merchantId,
        idempotency_key: request.key,
        request_hash: requestHash,
        response_status: response.status,
        response_body: JSON.stringify(response.body),
        created_at: request.now.toISOString(),
      })
      .execute();
    return { ...response, replayed: false };
  });
}

export async function pruneIdempotencyKeys(db: WalletDb, now: Date): Promise<void> {
  const cutoff = new Date(now.getTime() - IDEMPOTENCY_KEY_TTL_MS).toISOString();
  await db.deleteFrom('idempotency_keys').where('created_at', '<', cutoff).execute();
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
