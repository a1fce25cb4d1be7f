import type { Compilable, CompiledQuery, QueryResult } from 'kysely';
import type { WalletDb } from './database.ts';

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
