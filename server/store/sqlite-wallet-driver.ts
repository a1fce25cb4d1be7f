import SQLiteDatabase from 'better-sqlite3';
import type SQLite from 'better-sqlite3';
import { CompiledQuery, SelectQueryNode, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';
import { SqliteCommitGroup } from './sqlite-commit-group.ts';
import { SqliteConnectionMutex } from './sqlite-connection-mutex.ts';
import { SqliteStatementCache, type SqliteStatement } from './sqlite-statement-cache.ts';

export interface SqliteWalletDriverOptions {
  /** Prepared statements kept by SQL text; default 500. */
  statementCacheSize?: number;
  /** A group commits when it has this many members even if more are waiting; default 64. */
  maxGroupMembers?: number;
  /** …or when it is this old (ms) even if more are waiting; default 5. */
  maxGroupAgeMs?: number;
}

export interface SqliteDriverStats {
  statementCacheHits: number;
  statementCacheMisses: number;
  statementCacheSize: number;
  /** Real COMMITs of a group that wrote (each one fsync), succeeded. */
  groupCommits: number;
  /** Members (transactions and single writes) made durable by those COMMITs. */
  groupedMembers: number;
  /** groupedMembers / groupCommits: how many logical commits one fsync carried, on average. */
  membersPerCommit: number;
  /** Groups whose COMMIT failed or that SQLite rolled back by itself; every member was refused. */
  failedGroups: number;
}

/**
 * Kysely's SQLite driver (one connection behind a mutex; the same `all`/`run`
 * results), with prepared statements reused and, once `startGroupCommit()` is
 * called, commits grouped.
 *
 * Group commit: with `synchronous=FULL` every COMMIT waits on the disk while the
 * event loop stands still, and a payment commits several times (issue 7). So the
 * first transaction to begin opens one real `BEGIN`; it and every
 * transaction that follows while it is open are savepoints inside it. A member's
 * commit is `RELEASE` (its rollback `ROLLBACK TO` + `RELEASE`, leaving the others'
 * writes alone); it then hands the connection on but its promise resolves only
 * after the shared COMMIT succeeded, so nothing is reported done before it is on
 * disk. The COMMIT runs as soon as nobody is waiting for the connection (on the
 * next turn of the event loop), or while others still wait once the group has
 * `maxGroupMembers` members or is `maxGroupAgeMs` old, so a steady stream cannot
 * keep it open. If the COMMIT fails, or SQLite rolled the transaction back by
 * itself, every member of the group is refused with that error.
 *
 * A logical transaction holds the connection from its begin to its release, so
 * no two members interleave statements, as with Kysely's driver. A write outside
 * any transaction is a member of its own (a savepoint), durable before it
 * resolves. A read outside any transaction must not see rows a member released
 * but the group has not committed yet (a client could be told of a payment the
 * disk then loses): while the group has written, it runs at once on a second,
 * read-only connection, which WAL shows only committed rows (for an in-memory
 * database, which has none, its answer waits for the COMMIT instead). A member
 * that rolls back after reading others' uncommitted rows answers after their
 * COMMIT too, and with the COMMIT's error if it failed: nobody is ever told
 * something the disk might not keep.
 */
export class SqliteWalletDriver implements Driver {
  readonly #database: SQLite.Database;
  readonly #statements: SqliteStatementCache;
  readonly #mutex = new SqliteConnectionMutex();
  readonly #maxGroupMembers: number;
  readonly #maxGroupAgeMs: number;
  readonly #statementCacheSize: number;
  /**
   * A read-only second connection to the same file, for reads outside any
   * transaction while a group is open: WAL shows it only committed rows, so such
   * a read neither sees what the disk may not keep nor waits for the COMMIT.
   */
  #reader: { database: SQLite.Database; statements: SqliteStatementCache } | undefined;
  #grouping = false;
  #group: SqliteCommitGroup | undefined;
  #commitScheduled = false;
  #groupCommits = 0;
  #groupedMembers = 0;
  #failedGroups = 0;

  constructor(database: SQLite.Database, options: SqliteWalletDriverOptions = {}) {
    this.#database = database;
    this.#statementCacheSize = options.statementCacheSize ?? 500;
    this.#statements = new SqliteStatementCache(database, this.#statementCacheSize);
    this.#maxGroupMembers = options.maxGroupMembers ?? 64;
    this.#maxGroupAgeMs = options.maxGroupAgeMs ?? 5;
  }

  /**
   * Groups commits from now on. Call it after the migrations: a migration may run
   * statements that do nothing inside a transaction (`PRAGMA foreign_keys`), and
   * with grouping on, every write runs inside one.
   */
  startGroupCommit(): void {
    this.#grouping = true;
    if (!this.#reader && !this.#database.memory) {
      const database = new SQLiteDatabase(this.#database.name, { readonly: true, fileMustExist: true });
      database.pragma(`busy_timeout = ${Number(this.#database.pragma('busy_timeout', { simple: true })) || 0}`);
      this.#reader = { database, statements: new SqliteStatementCache(database, this.#statementCacheSize) };
    }
  }

  get stats(): SqliteDriverStats {
    const reader = this.#reader?.statements;
    return {
      statementCacheHits: this.#statements.hits + (reader?.hits ?? 0),
      statementCacheMisses: this.#statements.misses + (reader?.misses ?? 0),
      statementCacheSize: this.#statements.size + (reader?.size ?? 0),
      groupCommits: this.#groupCommits,
      groupedMembers: this.#groupedMembers,
      membersPerCommit: this.#groupCommits === 0 ? 0 : this.#groupedMembers / this.#groupCommits,
      failedGroups: this.#failedGroups,
    };
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    return new SqliteWalletConnection(this);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = leaseOf(connection);
    await this.#hold(lease);
    if (!this.#grouping) return void this.#run('begin');
    const group = await this.#openGroup();
    const member = { group, savepoint: group.join() };
    this.#run(`savepoint ${member.savepoint}`);
    lease.member = member;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = leaseOf(connection);
    if (!this.#grouping) return void this.#run('commit');
    const member = lease.member;
    if (!member) throw new Error('SQLite group commit: expected an open transaction to commit, received none');
    lease.member = undefined;
    if (this.#group !== member.group || !this.#database.inTransaction) {
      // SQLite rolled the shared transaction back meanwhile: refuse with its cause.
      this.#release(lease);
      await member.group.outcome;
      throw new Error('SQLite group commit: the shared transaction was rolled back; nothing of this transaction was kept');
    }
    try {
      this.#run(`release ${member.savepoint}`);
    } catch (error) {
      this.#undo(member, error);
      this.#release(lease);
      throw error;
    }
    this.#release(lease);
    if (member.group.dirty) await member.group.outcome;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = leaseOf(connection);
    if (!this.#grouping) return void this.#run('rollback');
    const member = lease.member;
    // No member: its commit was already released and then refused (the group failed); nothing is left to undo.
    if (!member) return;
    lease.member = undefined;
    this.#undo(member);
    this.#release(lease);
    if (member.group.abortedBy === member) return; // its own error, which Kysely rethrows, says why
    // It may have decided to roll back on rows others released: those must have been kept.
    if (member.group.dirty) await member.group.outcome;
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

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const lease = leaseOf(connection);
    if (!lease.held) return; // handed on early, while its commit waited for the group
    if (lease.member) {
      // Released with its transaction still open (Kysely never does this): undo it so it cannot ride along.
      this.#undo(lease.member);
      lease.member = undefined;
    }
    this.#release(lease);
  }

  async destroy(): Promise<void> {
    // Members waiting for their COMMIT get it before the file closes, unless a transaction is still
    // in the middle of its work: closing rolls everything back, so they are all refused instead.
    if (this.#group) {
      if (this.#mutex.tryLock()) this.#commitGroup();
      else this.#abortGroup({}, new Error('SQLite group commit: the database was closed before the COMMIT'));
    }
    this.#reader?.database.close();
    this.#database.close();
  }

  /** One statement from Kysely, inside a member's transaction or on its own. */
  async executeQuery<R>(lease: SqliteWalletConnection, query: CompiledQuery): Promise<QueryResult<R>> {
    await this.#hold(lease);
    const statement = this.#statements.get(query.sql);
    const member = lease.member;
    if (!this.#grouping) return runStatement<R>(statement, query.parameters);
    if (member) return this.#runInMember<R>(member, statement, query.parameters);
    if (statement.readonly) {
      const group = this.#group;
      if (!group?.dirty) return runStatement<R>(statement, query.parameters);
      // The shared connection would show this read rows the disk does not hold yet: it reads what was committed.
      if (this.#reader) return runStatement<R>(this.#reader.statements.get(query.sql), query.parameters);
      const result = runStatement<R>(statement, query.parameters);
      this.#release(lease);
      await group.outcome;
      return result;
    }
    // A write on its own (`readonly`, not `reader`: INSERT … RETURNING reads back rows and still writes).
    const group = await this.#openGroup();
    const own = { group, savepoint: group.join() };
    this.#run(`savepoint ${own.savepoint}`);
    let result: QueryResult<R>;
    try {
      result = this.#runInMember<R>(own, statement, query.parameters);
      this.#run(`release ${own.savepoint}`);
    } catch (error) {
      this.#undo(own, error);
      this.#release(lease);
      if (group.abortedBy !== own && group.dirty) await group.outcome;
      throw error;
    }
    this.#release(lease);
    await group.outcome;
    return result;
  }

  async *streamQuery<R>(lease: SqliteWalletConnection, query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) throw new Error('Sqlite driver only supports streaming of select queries');
    await this.#hold(lease);
    let database = this.#database;
    if (this.#grouping && !lease.member && this.#group?.dirty) {
      // Rows streamed out cannot be held back until a later COMMIT: read what was committed, or commit first.
      if (this.#reader) database = this.#reader.database;
      else this.#commitGroup();
    }
    // A fresh statement: a kept one could be asked to run again while this iterator is still open.
    const statement = database.prepare(query.sql);
    for (const row of statement.iterate(...(query.parameters as unknown[]))) yield { rows: [row as R] };
  }

  #runInMember<R>(member: Member, statement: SqliteStatement, parameters: ReadonlyArray<unknown>): QueryResult<R> {
    this.#throwIfGone(member.group);
    if (!statement.readonly) member.group.dirty = true;
    try {
      return runStatement<R>(statement, parameters);
    } catch (error) {
      // Most failures undo one statement; a few (disk full, I/O) make SQLite roll back the whole transaction.
      if (!this.#database.inTransaction) this.#abortGroup(member, error);
      throw error;
    }
  }

  /**
   * The open group, or a new one. A deferred `BEGIN`, as Kysely's driver began
   * each transaction: the write lock is taken at the group's first write, not
   * before. This process is the file's only writer, so `IMMEDIATE` would buy no
   * safety, and while a group has only read, another connection (a test's, a
   * CLI's) can still write; a group that wrote commits before anyone else can.
   */
  async #openGroup(): Promise<SqliteCommitGroup> {
    if (this.#group && this.#database.inTransaction) return this.#group;
    if (this.#group) this.#abortGroup({}, new Error('SQLite rolled back the shared transaction'));
    this.#run('begin');
    this.#group = new SqliteCommitGroup();
    return this.#group;
  }

  /** Undoes a member's savepoint, if the shared transaction still exists to undo it in. */
  #undo(member: Member, cause?: unknown): void {
    if (this.#group !== member.group || !this.#database.inTransaction) {
      if (this.#group === member.group) this.#abortGroup(member, cause ?? new Error('SQLite rolled back the shared transaction'));
      return;
    }
    try {
      this.#run(`rollback to ${member.savepoint}`);
      this.#run(`release ${member.savepoint}`);
    } catch (error) {
      if (!this.#database.inTransaction) this.#abortGroup(member, error);
      else throw error;
    }
  }

  /** SQLite rolled the shared transaction back by itself: every member is refused with the cause. */
  #abortGroup(member: object, cause: unknown): void {
    const group = this.#group;
    if (!group) return;
    this.#group = undefined;
    group.abortedBy = member;
    this.#failedGroups += 1;
    group.failed(cause);
  }

  #throwIfGone(group: SqliteCommitGroup): void {
    if (this.#group === group && this.#database.inTransaction) return;
    throw new Error('SQLite group commit: the shared transaction this one belonged to was rolled back; nothing of it was kept');
  }

  /** Takes the connection back for a user it was handed on from early (Kysely's `db.connection()`). */
  async #hold(lease: SqliteWalletConnection): Promise<void> {
    if (lease.held) return;
    await this.#mutex.lock();
    lease.held = true;
  }

  /**
   * Hands the connection on. A group that wrote nothing ends now (no fsync, and
   * its read snapshot must not outlive the member that needed it); one that wrote
   * commits now if it is full or old, else once nobody waits for the connection.
   */
  #release(lease: SqliteWalletConnection): void {
    if (!lease.held) return;
    lease.held = false;
    const group = this.#group;
    if (group && (!group.dirty || group.members >= this.#maxGroupMembers || performance.now() - group.openedAt >= this.#maxGroupAgeMs)) {
      this.#commitGroup();
    }
    this.#mutex.unlock();
    if (this.#group && !this.#mutex.held) this.#scheduleCommit();
  }

  #scheduleCommit(): void {
    if (this.#commitScheduled) return;
    this.#commitScheduled = true;
    setImmediate(() => {
      this.#commitScheduled = false;
      // Taken by someone meanwhile: their release brings us back here.
      if (!this.#group || !this.#mutex.tryLock()) return;
      try {
        this.#commitGroup();
      } finally {
        this.#mutex.unlock();
      }
    });
  }

  /** The real COMMIT (the connection is held by the caller); settles every member's promise. */
  #commitGroup(): void {
    const group = this.#group;
    if (!group) return;
    if (!this.#database.inTransaction) return this.#abortGroup({}, new Error('SQLite rolled back the shared transaction before its COMMIT'));
    this.#group = undefined;
    try {
      this.#run('commit');
    } catch (error) {
      // A failed COMMIT (a deferred constraint, a full disk) may leave the transaction open: end it.
      if (this.#database.inTransaction) {
        try {
          this.#run('rollback');
        } catch {
          // Nothing more to undo; every member is refused below either way.
        }
      }
      this.#failedGroups += 1;
      group.failed(error);
      return;
    }
    if (group.dirty) {
      this.#groupCommits += 1;
      this.#groupedMembers += group.members;
    }
    group.committed();
  }

  #run(sql: string): void {
    runStatement(this.#statements.get(sql), []);
  }
}

interface Member {
  group: SqliteCommitGroup;
  savepoint: string;
}

/** The single connection as one user holds it, from acquire to release (or until handed on early). */
class SqliteWalletConnection implements DatabaseConnection {
  held = true;
  member: Member | undefined;
  readonly #driver: SqliteWalletDriver;

  constructor(driver: SqliteWalletDriver) {
    this.#driver = driver;
  }

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    return this.#driver.executeQuery<R>(this, compiledQuery);
  }

  streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    return this.#driver.streamQuery<R>(this, compiledQuery);
  }
}

function leaseOf(connection: DatabaseConnection): SqliteWalletConnection {
  if (connection instanceof SqliteWalletConnection) return connection;
  throw new TypeError(`SqliteWalletDriver: expected one of its own connections, received ${connection?.constructor?.name ?? typeof connection}`);
}

/** Exactly Kysely's `SqliteConnection.executeQuery`: rows from a reader, counts and the rowid from anything else. */
export function runStatement<R>(statement: SqliteStatement, parameters: ReadonlyArray<unknown>): QueryResult<R> {
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
