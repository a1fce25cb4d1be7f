import type SQLite from 'better-sqlite3';
import type { QueryResult } from 'kysely';
import { SqliteStatementCache } from './sqlite-statement-cache.ts';

/** Whether a statement only reads, and whether it returns rows (`RETURNING` does and still writes). */
export interface SqliteStatementKind {
  readonly: boolean;
  reader: boolean;
}

/** How a write on its own went: its result, or its error and at which step (`undone`: rolled back to its savepoint already). */
export type SqliteAloneOutcome<R> = { result: QueryResult<R> } | { error: unknown; stage: 'before' | 'statement'; undone: boolean };

/** The statement cache's counters and what ran on the connection, since it opened. */
export interface SqliteLinkCounters {
  hits: number;
  misses: number;
  size: number;
  /** Statements run, not counting transaction control (BEGIN, SAVEPOINT, RELEASE, COMMIT, ROLLBACK). */
  statements: number;
  /** Commits that went to the disk: each COMMIT, and each write outside any transaction (SQLite commits it by itself). */
  commits: number;
}

const CONTROL = /^\s*(begin|commit|end|rollback|savepoint|release)\b/i;
const COMMIT = /^\s*(commit|end)\b/i;
const WRITE = /^\s*(insert|update|delete|replace)\b/i;

/** Counts one statement about to run as `counters` defines (sqlite-worker.mjs counts the same way). */
export function countStatement(counters: { statements: number; commits: number }, sql: string, inTransaction: boolean): void {
  if (CONTROL.test(sql)) {
    if (COMMIT.test(sql)) counters.commits += 1;
    return;
  }
  counters.statements += 1;
  if (!inTransaction && WRITE.test(sql)) counters.commits += 1;
}

/**
 * The group commit's one writing connection, wherever it lives: in this thread
 * (`LocalSqliteLink`, for in-memory databases and tests) or in a worker thread
 * (`SqliteWorkerLink`, for files). Everything but the COMMIT answers at once; the
 * COMMIT may answer later, and the caller keeps the connection until it does.
 */
export interface SqliteLink {
  /** The database file, or undefined in memory (nothing another connection could read). */
  readonly file: string | undefined;
  readonly busyTimeoutMs: number;
  /** As of the last statement: SQLite may have rolled the transaction back by itself. */
  readonly inTransaction: boolean;
  readonly counters: SqliteLinkCounters;
  kind(sql: string): SqliteStatementKind;
  run<R>(sql: string, parameters: ReadonlyArray<unknown>): QueryResult<R>;
  /**
   * A write on its own in one go: `before` (its savepoint, after a BEGIN if need
   * be), the statement, then RELEASE of `savepoint`; a statement or release that
   * fails is undone to the savepoint, if the transaction still exists. Never
   * throws an SQLite error: it says at which step it failed instead.
   */
  runAlone<R>(sql: string, parameters: ReadonlyArray<unknown>, before: string[], savepoint: string): SqliteAloneOutcome<R>;
  /** Transaction-control statements in order; the first failure throws. */
  controls(sql: string[]): void;
  /** COMMIT; if it fails, whatever it left open is rolled back before this throws or rejects. */
  commit(): void | Promise<void>;
  /** Every row of a select, for streaming on this connection. */
  iterate<R>(sql: string, parameters: ReadonlyArray<unknown>): Iterable<R>;
  close(): void | Promise<void>;
}

/** A better-sqlite3 connection in this thread, with its prepared statements reused. */
export class LocalSqliteLink implements SqliteLink {
  readonly #database: SQLite.Database;
  readonly #statements: SqliteStatementCache;
  readonly #ran = { statements: 0, commits: 0 };

  constructor(database: SQLite.Database, statementCacheSize: number) {
    this.#database = database;
    this.#statements = new SqliteStatementCache(database, statementCacheSize);
  }

  get file(): string | undefined {
    return this.#database.memory ? undefined : this.#database.name;
  }

  get busyTimeoutMs(): number {
    return Number(this.#database.pragma('busy_timeout', { simple: true })) || 0;
  }

  get inTransaction(): boolean {
    return this.#database.inTransaction;
  }

  get counters(): SqliteLinkCounters {
    return { hits: this.#statements.hits, misses: this.#statements.misses, size: this.#statements.size, ...this.#ran };
  }

  kind(sql: string): SqliteStatementKind {
    const statement = this.#statements.get(sql);
    return { readonly: statement.readonly, reader: statement.reader };
  }

  run<R>(sql: string, parameters: ReadonlyArray<unknown>): QueryResult<R> {
    const statement = this.#statements.get(sql);
    countStatement(this.#ran, sql, this.#database.inTransaction);
    return runStatement<R>(statement, parameters);
  }

  controls(sql: string[]): void {
    for (const text of sql) this.run(text, []);
  }

  runAlone<R>(sql: string, parameters: ReadonlyArray<unknown>, before: string[], savepoint: string): SqliteAloneOutcome<R> {
    try {
      this.controls(before);
    } catch (error) {
      return { error, stage: 'before', undone: false };
    }
    try {
      const result = this.run<R>(sql, parameters);
      this.run(`release ${savepoint}`, []);
      return { result };
    } catch (error) {
      let undone = false;
      if (this.#database.inTransaction) {
        try {
          this.controls([`rollback to ${savepoint}`, `release ${savepoint}`]);
          undone = true;
        } catch {
          // Left to the caller, who sees whether the transaction still exists.
        }
      }
      return { error, stage: 'statement', undone };
    }
  }

  commit(): void {
    try {
      this.run('commit', []);
    } catch (error) {
      // A failed COMMIT (a deferred constraint, a full disk) may leave the transaction open: end it.
      if (this.#database.inTransaction) {
        try {
          this.#database.prepare('rollback').run();
        } catch {
          // Nothing more to undo; the caller refuses every member either way.
        }
      }
      throw error;
    }
  }

  iterate<R>(sql: string, parameters: ReadonlyArray<unknown>): Iterable<R> {
    // A fresh statement: a kept one could be asked to run again while this iterator is still open.
    return this.#database.prepare(sql).iterate(...(parameters as unknown[])) as Iterable<R>;
  }

  close(): void {
    this.#database.close();
  }
}

/** Exactly Kysely's `SqliteConnection.executeQuery`: rows from a reader, counts and the rowid from anything else. */
export function runStatement<R>(statement: SQLite.Statement<unknown[], unknown>, parameters: ReadonlyArray<unknown>): QueryResult<R> {
  if (statement.reader) return { rows: statement.all(parameters) as R[] };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return resultOfRun<R>(changes, lastInsertRowid);
}

export function resultOfRun<R>(changes: number | bigint | undefined | null, lastInsertRowid: number | bigint | undefined | null): QueryResult<R> {
  return {
    numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
    insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
    rows: [],
  };
}
