import SQLiteDatabase from 'better-sqlite3';
import type SQLite from 'better-sqlite3';
import { CompiledQuery, SelectQueryNode, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';
import { SqliteCommitGroup } from './sqlite-commit-group.ts';
import { SqliteConnectionMutex } from './sqlite-connection-mutex.ts';
import { LocalSqliteLink, runStatement, type SqliteLink } from './sqlite-link.ts';
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
  /** SQL statements run on either connection, not counting transaction control (BEGIN, SAVEPOINT, RELEASE, COMMIT, ROLLBACK). */
  statements: number;
  /** Commits that went to the disk (one fsync each): each real COMMIT, and each write SQLite committed by itself. */
  commits: number;
}

/**
 * Kysely's SQLite driver (one writing connection behind a mutex; the same
 * `all`/`run` results), with prepared statements reused and, once
 * `startGroupCommit()` is called, commits grouped. The writing connection is a
 * `SqliteLink`: in this thread, or in a worker thread (`SqliteWorkerLink`, how
 * the wallet opens its file), where the group's COMMIT waits on the disk while
 * the event loop goes on; the connection stays held until that COMMIT is done.
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
 * disk then loses): on a file it runs at once on a second, read-only connection
 * in this thread, which WAL shows only committed rows, without waiting for the
 * writing connection (for an in-memory database, which has none, its answer
 * waits for the COMMIT of anything it may have seen instead). A member
 * that rolls back after reading others' uncommitted rows answers after their
 * COMMIT too, and with the COMMIT's error if it failed: nobody is ever told
 * something the disk might not keep.
 */
export class SqliteWalletDriver implements Driver {
  readonly #link: SqliteLink;
  readonly #mutex = new SqliteConnectionMutex();
  readonly #maxGroupMembers: number;
  readonly #maxGroupAgeMs: number;
  readonly #statementCacheSize: number;
  /**
   * A read-only second connection to the same file, in this thread, for reads
   * outside any transaction: WAL shows it only committed rows, so such a read
   * neither sees what the disk may not keep nor waits for the writer.
   */
  #reader: { database: SQLite.Database; statements: SqliteStatementCache } | undefined;
  #grouping = false;
  #group: SqliteCommitGroup | undefined;
  #commitScheduled = false;
  /** A COMMIT running in the worker, until its members are settled. */
  #committing: Promise<void> | undefined;
  #groupCommits = 0;
  #groupedMembers = 0;
  #failedGroups = 0;
  #readerStatements = 0;

  /** On a better-sqlite3 connection in this thread, or on a link (`SqliteWorkerLink`: the file in a worker thread). */
  constructor(connection: SQLite.Database | SqliteLink, options: SqliteWalletDriverOptions = {}) {
    this.#statementCacheSize = options.statementCacheSize ?? 500;
    this.#link = connection instanceof SQLiteDatabase ? new LocalSqliteLink(connection, this.#statementCacheSize) : connection;
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
    if (!this.#reader && this.#link.file !== undefined) {
      const database = new SQLiteDatabase(this.#link.file, { readonly: true, fileMustExist: true });
      database.pragma(`busy_timeout = ${this.#link.busyTimeoutMs}`);
      this.#reader = { database, statements: new SqliteStatementCache(database, this.#statementCacheSize) };
    }
  }

  get stats(): SqliteDriverStats {
    const writer = this.#link.counters;
    const reader = this.#reader?.statements;
    return {
      statementCacheHits: writer.hits + (reader?.hits ?? 0),
      statementCacheMisses: writer.misses + (reader?.misses ?? 0),
      statementCacheSize: writer.size + (reader?.size ?? 0),
      groupCommits: this.#groupCommits,
      groupedMembers: this.#groupedMembers,
      membersPerCommit: this.#groupCommits === 0 ? 0 : this.#groupedMembers / this.#groupCommits,
      failedGroups: this.#failedGroups,
      statements: writer.statements + this.#readerStatements,
      commits: writer.commits,
    };
  }

  async init(): Promise<void> {}

  /** The writing connection is taken at the first statement that needs it: a read of committed rows never waits for it. */
  async acquireConnection(): Promise<DatabaseConnection> {
    return new SqliteWalletConnection(this);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = leaseOf(connection);
    await this.#hold(lease);
    if (!this.#grouping) return void this.#link.controls(['begin']);
    lease.member = await this.#join();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = leaseOf(connection);
    if (!this.#grouping) return void this.#link.controls(['commit']);
    const member = lease.member;
    if (!member) throw new Error('SQLite group commit: expected an open transaction to commit, received none');
    lease.member = undefined;
    if (this.#group !== member.group || !this.#link.inTransaction) {
      // SQLite rolled the shared transaction back meanwhile: refuse with its cause.
      this.#release(lease);
      await member.group.outcome;
      throw new Error('SQLite group commit: the shared transaction was rolled back; nothing of this transaction was kept');
    }
    try {
      this.#link.controls([`release ${member.savepoint}`]);
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
    if (!this.#grouping) return void this.#link.controls(['rollback']);
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
    if (!lease.held) return; // never needed the writer, or handed on early while its commit waited for the group
    if (lease.member) {
      // Released with its transaction still open (Kysely never does this): undo it so it cannot ride along.
      this.#undo(lease.member);
      lease.member = undefined;
    }
    this.#release(lease);
  }

  async destroy(): Promise<void> {
    // A COMMIT in flight in the worker finishes and answers its members first.
    while (this.#committing) await this.#committing;
    // Members waiting for their COMMIT get it before the file closes, unless a transaction is still
    // in the middle of its work: closing rolls everything back, so they are all refused instead.
    if (this.#group) {
      if (this.#mutex.tryLock()) await this.#commitGroup();
      else this.#abortGroup({}, new Error('SQLite group commit: the database was closed before the COMMIT'));
    }
    this.#reader?.database.close();
    this.#reader = undefined;
    await this.#link.close();
  }

  /**
   * A write on its own whose loss in a crash would not matter (a rate-limit hit: a limit looser by one), answered as
   * soon as it ran, without waiting for the COMMIT that carries it: it rides the group that is open, or opens one that
   * the next writers join. Its answer may count rows of others not yet on disk; nothing of a payment goes this way.
   * Once grouping has started only; before that (migrations) it is an ordinary write.
   */
  async writeWithoutWaitingForDisk<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const lease = new SqliteWalletConnection(this);
    try {
      return await this.executeQuery<R>(lease, query, false);
    } finally {
      await this.releaseConnection(lease);
    }
  }

  /** One statement from Kysely, inside a member's transaction or on its own (a write on its own waits for its COMMIT unless `waitForDisk` is false). */
  async executeQuery<R>(lease: SqliteWalletConnection, query: CompiledQuery, waitForDisk = true): Promise<QueryResult<R>> {
    const member = lease.member;
    if (this.#grouping && !member && this.#reader) {
      // Outside any transaction, a read sees only what was committed: the reader has exactly that, at once.
      const read = this.#committedRead(query.sql);
      if (read) {
        this.#readerStatements += 1;
        return runStatement<R>(read, query.parameters);
      }
    }
    await this.#hold(lease);
    if (!this.#grouping) return this.#link.run<R>(query.sql, query.parameters);
    if (member) return this.#runInMember<R>(member, query.sql, query.parameters);
    if (this.#link.kind(query.sql).readonly) {
      const group = this.#group;
      if (!group?.dirty) return this.#link.run<R>(query.sql, query.parameters);
      // In memory there is no committed copy to read: this answer waits for the COMMIT of what it may have seen.
      const result = this.#link.run<R>(query.sql, query.parameters);
      this.#release(lease);
      await group.outcome;
      return result;
    }
    // A write on its own (`readonly`, not `reader`: INSERT … RETURNING reads back rows and still writes):
    // a member of its own, its BEGIN (if the group is new), savepoint, statement and release in one call.
    const reuse = this.#group !== undefined && this.#link.inTransaction;
    if (this.#group && !reuse) this.#abortGroup({}, new Error('SQLite rolled back the shared transaction'));
    const group = reuse ? this.#group! : new SqliteCommitGroup();
    const own = { group, savepoint: group.join() };
    const before = reuse ? [`savepoint ${own.savepoint}`] : ['begin', `savepoint ${own.savepoint}`];
    const outcome = this.#link.runAlone<R>(query.sql, query.parameters, before, own.savepoint);
    if ('result' in outcome) {
      if (!reuse) this.#group = group;
      group.dirty = true;
      this.#release(lease);
      if (waitForDisk) await group.outcome;
      return outcome.result;
    }
    if (outcome.stage === 'before') {
      // Nothing of this write ran; a BEGIN that did run without its savepoint is undone with it.
      if (!reuse && this.#link.inTransaction) this.#link.controls(['rollback']);
      this.#release(lease);
      throw outcome.error;
    }
    if (!reuse) this.#group = group;
    group.dirty = true;
    // Most failures undo one statement; a few (disk full, I/O) make SQLite roll back the whole transaction.
    if (!this.#link.inTransaction) this.#abortGroup(own, outcome.error);
    else if (!outcome.undone) this.#undo(own, outcome.error);
    this.#release(lease);
    if (group.abortedBy !== own && group.dirty) await group.outcome;
    throw outcome.error;
  }

  async *streamQuery<R>(lease: SqliteWalletConnection, query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) throw new Error('Sqlite driver only supports streaming of select queries');
    if (this.#grouping && !lease.member && this.#reader) {
      // Rows streamed out cannot be held back until a later COMMIT: read what was committed.
      const statement = this.#reader.database.prepare(query.sql);
      for (const row of statement.iterate(...(query.parameters as unknown[]))) yield { rows: [row as R] };
      return;
    }
    await this.#hold(lease);
    // In memory, nothing but the writer to read from: commit what it may show first.
    if (this.#grouping && !lease.member && this.#group?.dirty) await this.#commitGroup();
    for (const row of this.#link.iterate<R>(query.sql, query.parameters)) yield { rows: [row] };
  }

  /** The reader's statement for a plain SELECT that only reads, or undefined if it is anything else. */
  #committedRead(sql: string): SqliteStatement | undefined {
    if (!/^\s*(select|with)\b/i.test(sql)) return undefined;
    try {
      const statement = this.#reader!.statements.get(sql);
      return statement.readonly && statement.reader ? statement : undefined;
    } catch {
      return undefined; // the writer prepares it and says what is wrong with it
    }
  }

  #runInMember<R>(member: Member, sql: string, parameters: ReadonlyArray<unknown>): QueryResult<R> {
    this.#throwIfGone(member.group);
    if (!this.#link.kind(sql).readonly) member.group.dirty = true;
    try {
      return this.#link.run<R>(sql, parameters);
    } catch (error) {
      // Most failures undo one statement; a few (disk full, I/O) make SQLite roll back the whole transaction.
      if (!this.#link.inTransaction) this.#abortGroup(member, error);
      throw error;
    }
  }

  /**
   * A new member of the open group, or of a new one: its savepoint, after a
   * deferred `BEGIN` if the group is new (one call). Deferred, as Kysely's driver
   * began each transaction: the write lock is taken at the group's first write,
   * not before. This process is the file's only writer, so `IMMEDIATE` would buy
   * no safety, and while a group has only read, another connection (a test's, a
   * CLI's) can still write; a group that wrote commits before anyone else can.
   */
  async #join(): Promise<Member> {
    if (this.#group && this.#link.inTransaction) {
      const savepoint = this.#group.join();
      this.#link.controls([`savepoint ${savepoint}`]);
      return { group: this.#group, savepoint };
    }
    if (this.#group) this.#abortGroup({}, new Error('SQLite rolled back the shared transaction'));
    const group = new SqliteCommitGroup();
    const savepoint = group.join();
    try {
      this.#link.controls(['begin', `savepoint ${savepoint}`]);
    } catch (error) {
      if (this.#link.inTransaction) this.#link.controls(['rollback']);
      throw error;
    }
    this.#group = group;
    return { group, savepoint };
  }

  /** Undoes a member's savepoint, if the shared transaction still exists to undo it in. */
  #undo(member: Member, cause?: unknown): void {
    if (this.#group !== member.group || !this.#link.inTransaction) {
      if (this.#group === member.group) this.#abortGroup(member, cause ?? new Error('SQLite rolled back the shared transaction'));
      return;
    }
    try {
      this.#link.controls([`rollback to ${member.savepoint}`, `release ${member.savepoint}`]);
    } catch (error) {
      if (!this.#link.inTransaction) this.#abortGroup(member, error);
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
    if (this.#group === group && this.#link.inTransaction) return;
    throw new Error('SQLite group commit: the shared transaction this one belonged to was rolled back; nothing of it was kept');
  }

  /** Takes the writing connection for this user, at its first need or back after handing it on early (Kysely's `db.connection()`). */
  async #hold(lease: SqliteWalletConnection): Promise<void> {
    if (lease.held) return;
    await this.#mutex.lock();
    lease.held = true;
  }

  /**
   * Hands the connection on. A group that wrote nothing ends now (no fsync, and
   * its read snapshot must not outlive the member that needed it); one that wrote
   * commits now if it is full or old, else once nobody waits for the connection.
   * A COMMIT in a worker keeps the connection until it is done, not the event loop.
   */
  #release(lease: SqliteWalletConnection): void {
    if (!lease.held) return;
    lease.held = false;
    const group = this.#group;
    if (group && (!group.dirty || group.members >= this.#maxGroupMembers || performance.now() - group.openedAt >= this.#maxGroupAgeMs)) {
      const committing = this.#commitGroup();
      if (committing) return void committing.finally(() => this.#unlock());
    }
    this.#unlock();
  }

  #unlock(): void {
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
      let committing: Promise<void> | void = undefined;
      try {
        committing = this.#commitGroup();
      } finally {
        if (committing) void committing.finally(() => this.#unlock());
        else this.#unlock();
      }
    });
  }

  /**
   * The real COMMIT (the connection is held by the caller until it is done);
   * settles every member's promise. A promise when the COMMIT runs in a worker.
   */
  #commitGroup(): Promise<void> | void {
    const group = this.#group;
    if (!group) return;
    if (!this.#link.inTransaction) return this.#abortGroup({}, new Error('SQLite rolled back the shared transaction before its COMMIT'));
    this.#group = undefined;
    let committing: Promise<void> | void;
    try {
      // A group that only read has nothing to wait for on the disk: its COMMIT is answered at once, in any thread.
      committing = group.dirty ? this.#link.commit() : this.#link.controls(['commit']);
    } catch (error) {
      try {
        if (this.#link.inTransaction) this.#link.controls(['rollback']);
      } catch {
        // Nothing more to undo; every member is refused below either way.
      }
      return this.#groupFailed(group, error);
    }
    if (!committing) return this.#groupCommitted(group);
    const settled = committing.then(() => this.#groupCommitted(group), (error: unknown) => this.#groupFailed(group, error));
    this.#committing = settled.finally(() => {
      if (this.#committing === tracked) this.#committing = undefined;
    });
    const tracked = this.#committing;
    return settled;
  }

  #groupCommitted(group: SqliteCommitGroup): void {
    if (group.dirty) {
      this.#groupCommits += 1;
      this.#groupedMembers += group.members;
    }
    group.committed();
  }

  #groupFailed(group: SqliteCommitGroup, error: unknown): void {
    this.#failedGroups += 1;
    group.failed(error);
  }
}

interface Member {
  group: SqliteCommitGroup;
  savepoint: string;
}

/** The single connection as one user holds it, from acquire to release (or until handed on early). */
class SqliteWalletConnection implements DatabaseConnection {
  held = false;
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

/** As Kysely's SQLite compiler quotes an identifier. */
function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
