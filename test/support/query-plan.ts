/**
 * How the database would run a query, for tests that a statement reads through an index: SQLite's
 * `EXPLAIN QUERY PLAN`, PostgreSQL's `EXPLAIN` with sequential scans priced out (a small test table is cheaper to read
 * whole, so only a missing index shows one), one line per step; and what an index used by a plan is.
 */
import { CompiledQuery, type Compilable } from 'kysely';
import type { WalletDb } from '../../server/store/database.ts';

export type PlanEngine = 'sqlite' | 'postgres';

/** The plan of `query` as `db` would run it, one line per step. */
export async function planOf(db: WalletDb, engine: PlanEngine, query: Compilable<unknown>): Promise<string[]> {
  const compiled = query.compile();
  if (engine === 'sqlite') {
    const rows = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${compiled.sql}`, [...compiled.parameters]));
    return rows.rows.map((row) => row.detail);
  }
  return db.connection().execute(async (connection) => {
    await connection.executeQuery(CompiledQuery.raw('SET enable_seqscan = off'));
    try {
      const rows = await connection.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN ${compiled.sql}`, [...compiled.parameters]));
      return rows.rows.map((row) => row['QUERY PLAN']);
    } finally {
      await connection.executeQuery(CompiledQuery.raw('RESET enable_seqscan'));
    }
  });
}

/** The names of the indexes a plan from `planOf` reads through (PostgreSQL: index, index-only and bitmap index scans). */
export function indexesInPlan(engine: PlanEngine, plan: string[]): string[] {
  const pattern = engine === 'sqlite' ? /USING (?:COVERING )?INDEX (\w+)/g : /(?:Index (?:Only )?Scan(?: Backward)? using|Bitmap Index Scan on) (\w+)/g;
  return plan.flatMap((line) => [...line.matchAll(pattern)].map((match) => match[1]));
}

/** An index's definition as the database keeps it (`CREATE INDEX …`), or `''` when there is none by that name. */
export async function indexDefinition(db: WalletDb, engine: PlanEngine, name: string): Promise<string> {
  const query =
    engine === 'sqlite'
      ? CompiledQuery.raw(`SELECT sql AS definition FROM sqlite_master WHERE type = 'index' AND name = ?`, [name])
      : CompiledQuery.raw('SELECT indexdef AS definition FROM pg_indexes WHERE indexname = $1', [name]);
  return (await db.executeQuery<{ definition: string | null }>(query)).rows[0]?.definition ?? '';
}
