/**
 * `created_at` for a new ledger row: the clock's time as an ISO string with
 * milliseconds, but always at least 1 ms after the table's latest row. Writes are
 * serialized, so (created_at, id) order is insertion order and never ties: a
 * reader paging with `starting_after` can never miss a row committed later
 * (not even when the clock steps back).
 */
import { sql } from 'kysely';
import type { Transaction } from 'kysely';
import type { LedgerSchema } from './ledger-schema.ts';

export async function nextCreatedAt(trx: Transaction<LedgerSchema>, table: 'charges' | 'refunds', now: Date): Promise<string> {
  const { latest } = await trx
    .selectFrom(table)
    .select(sql<string | null>`max(created_at)`.as('latest'))
    .executeTakeFirstOrThrow();
  const latestMs = latest === null ? Number.NaN : Date.parse(latest);
  if (Number.isNaN(latestMs) || now.getTime() > latestMs) return now.toISOString();
  return new Date(latestMs + 1).toISOString();
}
