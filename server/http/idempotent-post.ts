import type { Context } from 'hono';
import { ApiError } from '../errors/api-error.ts';
import { withIdempotency, type IdempotencyOptions, type StoredResponse } from '../payments/idempotency.ts';
import type { WalletDb } from '../store/database.ts';
import type { Merchant } from '../store/merchants.ts';

/** Routes behind the merchant API's authentication see the merchant here. */
export type MerchantEnv = { Variables: { merchant: Merchant } };

export interface IdempotentPostDeps {
  db: WalletDb;
  now: () => Date;
  /** This server process (idempotency claims carry it). */
  workerId: string;
}

/**
 * Runs a merchant POST once per `Idempotency-Key` (when one is sent): its
 * response, or the stored one with `Idempotent-Replayed: true`. `perform`
 * does its writes in the transaction it is given.
 */
export function idempotentPost(deps: IdempotentPostDeps) {
  return async (
    c: Context<MerchantEnv>,
    raw: unknown,
    perform: (db: WalletDb) => Promise<StoredResponse>,
    options?: IdempotencyOptions,
  ): Promise<StoredResponse & { replayed: boolean }> => {
    const key = idempotencyKeyOf(c);
    if (!key) return { ...(await perform(deps.db)), replayed: false };
    const response = await withIdempotency(
      deps.db,
      { workerId: deps.workerId, merchantId: c.get('merchant').id, key, method: 'POST', path: c.req.path, body: raw, now: deps.now() },
      perform,
      options,
    );
    if (response.replayed) c.header('Idempotent-Replayed', 'true');
    return response;
  };
}

function idempotencyKeyOf(c: Context): string | undefined {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return undefined;
  if (key.length === 0 || key.length > 255) {
    throw new ApiError(400, 'invalid_request', 'Idempotency-Key must be 1 to 255 characters');
  }
  return key;
}
