import type { Compilable, CompiledQuery, Insertable, QueryResult } from 'kysely';
import type { WalletDb } from './database.ts';
import type { Database } from './schema.ts';

/** A query built and compiled once per dialect, run with new values: all of its rows, or the first. */
export interface ReusableQuery<N extends string, R> {
  run(db: WalletDb, values: Record<N, unknown>): Promise<QueryResult<R>>;
  /** The compiled query with these values, for a caller that runs it its own way. */
  compile(db: WalletDb, values: Record<N, unknown>): CompiledQuery<R>;
  first(db: WalletDb, values: Record<N, unknown>): Promise<R | undefined>;
}

/**
 * A query Kysely builds and compiles once per dialect, then runs with new values (issue 7: on SQLite, building and
 * compiling a short statement costs about as much as running it, and a payment runs dozens on its hot path). It is
 * compiled with a unique placeholder value per name, so each parameter's position is found by value, whatever order
 * the dialect's SQL puts them in; a parameter that is not one of the placeholders (a constant the builder inlined
 * as a value) is refused at the first run, so a shape that varies with its values cannot be reused by mistake.
 * Only for queries whose SQL is the same for every value (no `in` lists of varying length).
 */
export function reusableQuery<N extends string, R>(
  names: readonly N[],
  build: (db: WalletDb, placeholders: Record<N, string>) => Compilable<R>,
): ReusableQuery<N, R> {
  // One adapter per dialect instance, shared by its transactions: a wallet on SQLite and a test on PostgreSQL never mix.
  const compiledFor = new WeakMap<object, { query: CompiledQuery<R>; slots: N[] }>();
  const compiledOn = (db: WalletDb) => {
    const adapter = db.getExecutor().adapter;
    let compiled = compiledFor.get(adapter);
    if (compiled) return compiled;
    const placeholders = Object.fromEntries(names.map((name) => [name, `\u0000paykey-parameter:${name}`])) as Record<N, string>;
    const query = build(db, placeholders).compile();
    const nameOf = new Map<unknown, N>(names.map((name) => [placeholders[name], name]));
    const slots = query.parameters.map((value) => {
      const name = nameOf.get(value);
      if (name === undefined) throw new TypeError(`reusableQuery: expected every parameter of ${query.sql} to be a named placeholder, received ${String(value)}`);
      return name;
    });
    compiled = { query, slots };
    compiledFor.set(adapter, compiled);
    return compiled;
  };
  const compile = (db: WalletDb, values: Record<N, unknown>): CompiledQuery<R> => {
    const { query, slots } = compiledOn(db);
    return { ...query, parameters: slots.map((name) => values[name]) };
  };
  const run = (db: WalletDb, values: Record<N, unknown>) => db.executeQuery<R>(compile(db, values));
  return { run, compile, first: async (db, values) => (await run(db, values)).rows[0] };
}

/**
 * Inserts one row into `table`, every column of the row a parameter, so a null or a number fills the same SQL: the
 * INSERT is a `reusableQuery`, built and compiled once per table and set of columns. The columns are the row's own
 * keys (those whose value is not `undefined`, which Kysely would leave out too), so no separate list of them can fall
 * behind the table and leave a column out of the SQL.
 */
export async function insertRow<T extends keyof Database & string>(db: WalletDb, table: T, row: Insertable<Database[T]>): Promise<void> {
  const values = row as Record<string, unknown>;
  const columns = Object.keys(values).filter((column) => values[column] !== undefined);
  const key = `${table}(${columns.join(',')})`;
  let insert = inserts.get(key);
  if (!insert) inserts.set(key, (insert = reusableQuery(columns, (db, p) => db.insertInto(table).values(p as never))));
  await insert.run(db, values);
}

const inserts = new Map<string, ReusableQuery<string, unknown>>();
