import type SQLite from 'better-sqlite3';

export type SqliteStatement = SQLite.Statement<unknown[], unknown>;

/**
 * Prepared statements by SQL text, least recently used evicted first.
 *
 * Kysely's own SQLite driver prepares every query anew; a payment runs about two
 * dozen statements, and parsing and planning them again each time was ~12% of
 * the wallet's time (issue 7). Kysely compiles parameters as `?`, so one SQL text
 * is one plan whatever the values. SQLite re-prepares a kept statement by itself
 * when the schema changes under it, so a migration never leaves a stale plan.
 */
export class SqliteStatementCache {
  readonly #database: SQLite.Database;
  readonly #capacity: number;
  // A Map iterates in insertion order: re-inserting on every hit keeps the least recently used first.
  readonly #statements = new Map<string, SqliteStatement>();
  #hits = 0;
  #misses = 0;

  constructor(database: SQLite.Database, capacity = 500) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`SqliteStatementCache: expected a capacity of at least 1 statement, received ${capacity}`);
    }
    this.#database = database;
    this.#capacity = capacity;
  }

  /** The prepared statement for `sql`, prepared now only when it is not kept already. */
  get(sql: string): SqliteStatement {
    const kept = this.#statements.get(sql);
    if (kept) {
      this.#hits += 1;
      this.#statements.delete(sql);
      this.#statements.set(sql, kept);
      return kept;
    }
    this.#misses += 1;
    const statement = this.#database.prepare(sql) as SqliteStatement;
    this.#statements.set(sql, statement);
    if (this.#statements.size > this.#capacity) {
      const oldest = this.#statements.keys().next().value as string;
      this.#statements.delete(oldest);
    }
    return statement;
  }

  /** Lookups answered from the cache since it was created. */
  get hits(): number {
    return this.#hits;
  }

  /** Lookups that had to prepare (first use, or evicted since). */
  get misses(): number {
    return this.#misses;
  }

  get size(): number {
    return this.#statements.size;
  }
}
