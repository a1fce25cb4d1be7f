/**
 * The idempotency rule of Meridian's POSTs: the same client's earlier request under the same x-idempotency-key
 * in the last 24 hours is a replay (answered as it is now); the key with another body is 400 U006.
 */
import type { Transaction } from 'kysely';
import { obError, OB_ERROR_CODES } from '../http/ob-error.ts';
import type { MeridianLedgerSchema } from '../ledger/ledger-schema.ts';

const DAY_MS = 24 * 3_600_000;

export interface IdempotentRequest {
  clientId: string;
  idempotencyKey: string;
  requestHash: string;
  at: Date;
}

/** The earlier row to replay, if any; throws 400 U006 if the key came with another body. */
export async function findIdempotentReplay<T extends 'consents' | 'payments'>(
  trx: Transaction<MeridianLedgerSchema>,
  table: T,
  request: IdempotentRequest,
  /** Names the earlier resource in the error, e.g. `consent pdc_…`. */
  describe: (row: MeridianLedgerSchema[T]) => string,
): Promise<MeridianLedgerSchema[T] | undefined> {
  const { clientId, idempotencyKey, requestHash, at } = request;
  const earlier = (await trx
    .selectFrom(table as 'consents' | 'payments')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('idempotency_key', '=', idempotencyKey)
    .where('created_at', '>', new Date(at.getTime() - DAY_MS).toISOString())
    .executeTakeFirst()) as MeridianLedgerSchema[T] | undefined;
  if (earlier && earlier.request_hash !== requestHash) {
    throw obError(400, OB_ERROR_CODES.HeaderInvalid, `x-idempotency-key ${JSON.stringify(idempotencyKey)} was used in the last 24 hours for another request body (${describe(earlier)}); expected the same body, or a new key`, 'x-idempotency-key');
  }
  return earlier;
}
