/** `GET /v1/charges` and `GET /v1/refunds`: one row by reference, or a page by time (see http/list-query.ts). */
import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import { parseListQuery } from '../http/list-query.ts';
import { listPage } from './list-page.ts';
import type { Ledger } from './open-ledger.ts';

export async function listLedger<Row extends { id: string; created_at: string; reference: string }>(
  c: Context,
  ledger: Ledger,
  table: 'charges' | 'refunds',
  toJson: (row: Row) => unknown,
): Promise<Response> {
  const query = parseListQuery(c, table === 'charges' ? 'charge' : 'refund');
  if (query.by === 'reference') {
    // Both tables have a unique `reference`; this view keeps one query for both.
    const db = ledger as unknown as Kysely<Record<'charges' | 'refunds', Row>>;
    const rows = (await db.selectFrom(table).selectAll().where('reference', '=', query.reference as never).execute()) as Row[];
    return c.json({ data: rows.map(toJson) });
  }
  const page = await listPage<Row>(ledger, table, query);
  return c.json({ data: page.rows.map(toJson), has_more: page.hasMore });
}
