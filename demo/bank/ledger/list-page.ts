/**
 * One page of a ledger listing: rows with created_at >= since, in (created_at, id)
 * order, after the `starting_after` row (keyset pagination), plus whether more follow.
 */
import type { Kysely } from 'kysely';
import { ApiError } from '../http/api-error.ts';
import type { Ledger } from './open-ledger.ts';

export interface PageQuery {
  createdSince: string;
  limit: number;
  startingAfter: string | null;
}

interface Keyed {
  id: string;
  created_at: string;
}

export async function listPage<Row extends Keyed>(
  ledger: Ledger,
  table: 'charges' | 'refunds',
  { createdSince, limit, startingAfter }: PageQuery,
): Promise<{ rows: Row[]; hasMore: boolean }> {
  // Both tables share the two columns paged on; this view keeps one query for both.
  const db = ledger as unknown as Kysely<Record<'charges' | 'refunds', Keyed>>;
  let query = db.selectFrom(table).selectAll().where('created_at', '>=', createdSince);
  if (startingAfter !== null) {
    const cursor = await db.selectFrom(table).select(['id', 'created_at']).where('id', '=', startingAfter).executeTakeFirst();
    if (!cursor) {
      const what = table === 'charges' ? 'charge' : 'refund';
      throw new ApiError(422, 'validation_error', `starting_after: expected the id of a ${what} in the ledger, received ${JSON.stringify(startingAfter.slice(0, 100))}`);
    }
    query = query.where((eb) =>
      eb.or([eb('created_at', '>', cursor.created_at), eb.and([eb('created_at', '=', cursor.created_at), eb('id', '>', cursor.id)])]),
    );
  }
  const rows = (await query.orderBy('created_at').orderBy('id').limit(limit + 1).execute()) as Row[];
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}
