import type SQLite from 'better-sqlite3';
import { CompiledQuery, SelectQueryNode, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';
import { SqliteConnectionMutex } from './sqlite-connection-mutex.ts';
import { SqliteStatementCache } from './sqlite-statement-cache.ts';

export interface SqliteWalletDriverOptions {
  /** Prepared statements kept by SQL text; default 500. */
  statementCacheSize?: number;
}

export interface SqliteDriverStats {
  statementCacheHits: number;
  statementCacheMisses: number;
  statementCacheSize: number;
}

/**
 * Kysely's SQLite driver (one connection behind a mutex, the same `all`/`run`
 * results), with every statement prepared once and then reused.
 */
export class SqliteWalletDriver implements Driver {
  readonly #database: SQLite.Database;
  readonly #statements: SqliteStatementCache;
  readonly #mutex = new SqliteConnectionMutex();

  constructor(database: SQLite.Database, options: SqliteWalletDriverOptions = {}) {
    this.#database = database;
    this.#statements = new SqliteStatementCache(database, options.statementCacheSize ?? 500);
  }

  get stats(): SqliteDriverStats {
    return { statementCacheHits: this.#statements.hits, statementCacheMisses: this.#statements.misses, statementCacheSize: this.#statements.size };
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    return new SqliteWalletConnection(this.#database, this.#statements);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteName(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${quoteName(name)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release ${quoteName(name)}`));
  }

  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }

  async destroy(): Promise<void> {
    this.#database.close();
  }
}

/** The single connection as one user holds it, from acquire to release. */
class SqliteWalletConnection implements DatabaseConnection {
  readonly #database: SQLite.Database;
  readonly #statements: SqliteStatementCache;

  constructor(database: SQLite.Database, statements: SqliteStatementCache) {
    this.#database = database;
    this.#statements = statements;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    return runStatement<R>(this.#statements.get(compiledQuery.sql), compiledQuery.parameters);
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiledQuery.query)) throw new Error('Sqlite driver only supports streaming of select queries');
    // A fresh statement: a kept one could be asked to run again while this iterator is still open.
    const statement = this.#database.prepare(compiledQuery.sql);
    for (const row of statement.iterate(...(compiledQuery.parameters as unknown[]))) yield { rows: [row as R] };
  }
}

/** Exactly Kysely's `SqliteConnection.executeQuery`: rows from a reader, counts and the rowid from anything else. */
export function runStatement<R>(statement: SQLite.Statement<unknown[], unknown>, parameters: ReadonlyArray<unknown>): QueryResult<R> {
  if (statement.reader) return { rows: statement.all(parameters) as R[] };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return {
    numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
    insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
    rows: [],
  };
}

/** As Kysely's SQLite compiler quotes an identifier. */
function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
