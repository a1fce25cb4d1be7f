/** An Idempotency-Key names one request: the same key for another reference is a client bug, refused before anything moves. */
import type { Kysely } from 'kysely';
import { ApiError } from '../http/api-error.ts';
import type { LedgerSchema } from './ledger-schema.ts';

export async function assertKeyUnusedElsewhere(
  trx: Kysely<LedgerSchema>,
  table: 'charges' | 'refunds' | 'offer_redemptions',
  idempotencyKey: string,
  reference: string,
): Promise<void> {
  const other = await trx
    .selectFrom(table)
    .select('reference')
    .where('idempotency_key', '=', idempotencyKey)
    .where('reference', '!=', reference)
    .executeTakeFirst();
  if (other) {
    throw new ApiError(
      409,
      'idempotency_key_conflict',
      `this Idempotency-Key was already used for reference ${JSON.stringify(other.reference)}; received reference ${JSON.stringify(reference)}`,
    );
  }
}
