import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import type { QueryResult } from 'kysely';
import { resultOfRun, type SqliteAloneOutcome, type SqliteLink, type SqliteLinkCounters, type SqliteStatementKind } from './sqlite-link.ts';

export interface SqliteWorkerOptions {
  /** PRAGMAs run on the connection as it opens, e.g. `journal_mode = WAL`. */
  pragmas: string[];
  statementCacheSize: number;
  /** How long one statement may take before the worker is taken for lost; default 60 s (a busy wait is 5 s). */
  callTimeoutMs?: number;
}

/** As the worker's answers come (sqlite-worker.mjs). */
interface Answer {
  ok?: unknown;
  error?: { message: string; code: string | undefined };
  inTransaction: boolean;
}

interface RunAnswer<R> {
  rows?: R[];
  changes?: number | bigint;
  lastInsertRowid?: number | bigint;
}

type AloneAnswer<R> = { result: RunAnswer<R>; error?: undefined } | { error: { message: string; code: string | undefined }; stage: 'before' | 'statement'; undone: boolean };

const HITS = 0;
const MISSES = 1;
const SIZE = 2;
const STATEMENTS = 3;
const COMMITS = 4;

/**
 * The wallet's SQLite file connection, living in a worker thread
 * (sqlite-worker.mjs), as the group commit sees it (`SqliteLink`).
 *
 * A statement is a synchronous call: the main thread posts it and waits on a
 * shared flag until the worker answered (tens of microseconds), then reads the
 * answer off the port. Synchronous on purpose: a transaction holds the one
 * writing connection from its BEGIN to its RELEASE, and if each of its statements
 * waited for a turn of a busy event loop, every other transaction would wait that
 * long too. The COMMIT is the one call that does not wait: it is posted, the
 * connection stays held by the group, and the event loop serves requests while
 * the worker waits on the disk; the members are answered when it is done.
 */
export class SqliteWorkerLink implements SqliteLink {
  readonly file: string;
  readonly busyTimeoutMs: number;
  readonly #worker: Worker;
  readonly #calls: MessagePort;
  readonly #posts: MessagePort;
  readonly #signal: Int32Array;
  readonly #counters: Float64Array;
  readonly #callTimeoutMs: number;
  readonly #kinds = new Map<string, SqliteStatementKind>();
  #inTransaction = false;
  /** The posted request being waited for (a COMMIT or the close); only one at a time. */
  #posted: { resolve(answer: Answer): void } | undefined;
  #exited: Promise<void>;
  #closed = false;

  /** Starts the worker and opens the file in it; rejects with SQLite's error if it cannot. */
  static async open(file: string, options: SqliteWorkerOptions): Promise<SqliteWorkerLink> {
    const link = new SqliteWorkerLink(file, options);
    const ready = await link.#await();
    if (ready.error) {
      link.#worker.ref(); // until it has ended, as after close
      await link.#exited;
      throw sqliteError(ready.error);
    }
    return link;
  }

  private constructor(file: string, options: SqliteWorkerOptions) {
    this.file = file;
    const timeout = options.pragmas.map((p) => /^busy_timeout\s*=\s*(\d+)$/i.exec(p.trim())?.[1]).find(Boolean);
    this.busyTimeoutMs = timeout ? Number(timeout) : 0;
    this.#callTimeoutMs = options.callTimeoutMs ?? 60_000;
    const calls = new MessageChannel();
    const posts = new MessageChannel();
    this.#calls = calls.port1;
    this.#posts = posts.port1;
    // [0]: the worker has answered; [1]: never set, slept on while its message is on its way.
    this.#signal = new Int32Array(new SharedArrayBuffer(8));
    this.#counters = new Float64Array(new SharedArrayBuffer(8 * 8));
    this.#worker = new Worker(new URL('./sqlite-worker.mjs', import.meta.url), {
      // No loader for TypeScript in a worker on Node 20 (see sqlite-worker.mjs): start it bare.
      execArgv: [],
      workerData: {
        file,
        pragmas: options.pragmas,
        statementCacheSize: options.statementCacheSize,
        calls: calls.port2,
        posts: posts.port2,
        signal: this.#signal,
        counters: this.#counters,
      },
      transferList: [calls.port2, posts.port2],
    });
    this.#exited = new Promise((resolve) => this.#worker.once('exit', () => resolve()));
    this.#worker.on('error', (error) => {
      // The worker died (a bug in it, not an SQLite error, which it answers): whoever waits is refused.
      this.#posted?.resolve({ error: { message: `SQLite worker failed: ${error.message}`, code: undefined }, inTransaction: false });
    });
    this.#posts.on('message', (answer: Answer) => this.#posted?.resolve(answer));
    this.#calls.unref();
    this.#posts.unref();
    this.#worker.unref();
  }

  get inTransaction(): boolean {
    return this.#inTransaction;
  }

  get counters(): SqliteLinkCounters {
    const c = this.#counters;
    return { hits: c[HITS], misses: c[MISSES], size: c[SIZE], statements: c[STATEMENTS], commits: c[COMMITS] };
  }

  kind(sql: string): SqliteStatementKind {
    const known = this.#kinds.get(sql);
    if (known) return known;
    const kind = this.#call({ describe: sql }) as SqliteStatementKind;
    this.#kinds.set(sql, kind);
    return kind;
  }

  run<R>(sql: string, parameters: ReadonlyArray<unknown>): QueryResult<R> {
    return this.#result<R>(this.#call({ run: sql, parameters }) as RunAnswer<R>);
  }

  #result<R>(ok: RunAnswer<R>): QueryResult<R> {
    if (ok.rows) return { rows: withBuffers(ok.rows) };
    return resultOfRun<R>(ok.changes, ok.lastInsertRowid);
  }

  controls(sql: string[]): void {
    this.#call({ controls: sql });
  }

  runAlone<R>(sql: string, parameters: ReadonlyArray<unknown>, before: string[], savepoint: string): SqliteAloneOutcome<R> {
    const ok = this.#call({ alone: sql, parameters, before, savepoint }) as AloneAnswer<R>;
    if (ok.error) return { error: sqliteError(ok.error), stage: ok.stage, undone: ok.undone };
    return { result: this.#result<R>(ok.result) };
  }

  async commit(): Promise<void> {
    this.#post({ commit: true });
    const answer = await this.#await();
    this.#inTransaction = answer.inTransaction;
    if (answer.error) throw sqliteError(answer.error);
  }

  iterate<R>(sql: string, parameters: ReadonlyArray<unknown>): Iterable<R> {
    // Rows cross threads in one message; streams outside a transaction read the file on this thread instead.
    const ok = this.#call({ all: sql, parameters }) as { rows: R[] };
    return withBuffers(ok.rows);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#post({ close: true });
    const answer = await this.#await();
    this.#worker.ref(); // until it has ended: a process must not exit with its database half closed
    await this.#exited;
    if (answer.error) throw sqliteError(answer.error);
  }

  /** A statement, answered before this returns (see the class comment for why it waits). */
  #call(request: object): unknown {
    if (this.#closed) throw new Error('SQLite worker: expected an open database, received a statement after close');
    if (this.#posted) throw new Error('SQLite worker: expected no COMMIT in flight, received a statement while one was (the caller must hold the connection)');
    Atomics.store(this.#signal, 0, 0);
    this.#calls.postMessage(request);
    if (Atomics.wait(this.#signal, 0, 0, this.#callTimeoutMs) === 'timed-out') {
      // Its answer could still come and be taken for the next one's: this link is done.
      this.#closed = true;
      void this.#worker.terminate();
      throw new Error(`SQLite worker: expected an answer within ${this.#callTimeoutMs} ms, received none`);
    }
    const answer = this.#receive();
    this.#inTransaction = answer.inTransaction;
    if (answer.error) throw sqliteError(answer.error);
    return answer.ok;
  }

  /**
   * The answer the worker flagged as posted. Node can show the flag a moment
   * before the message reaches this side of the port (seen here: rarely, and for
   * milliseconds under load), so an empty port is retried after short sleeps.
   */
  #receive(): Answer {
    const deadline = performance.now() + this.#callTimeoutMs;
    for (;;) {
      const received = receiveMessageOnPort(this.#calls);
      if (received) return received.message as Answer;
      if (performance.now() > deadline) throw new Error(`SQLite worker: expected an answer on its port within ${this.#callTimeoutMs} ms, received none`);
      Atomics.wait(this.#signal, 1, 0, 0.05);
    }
  }

  #post(request: object): void {
    if (this.#posted) throw new Error('SQLite worker: expected no other request in flight, received a second one');
    this.#posts.postMessage(request);
  }

  /** The answer to what was posted; the worker keeps the process alive only while one is awaited. */
  #await(): Promise<Answer> {
    this.#worker.ref();
    this.#posts.ref();
    return new Promise<Answer>((resolve) => {
      this.#posted = {
        resolve: (answer) => {
          this.#posted = undefined;
          this.#posts.unref();
          this.#worker.unref();
          resolve(answer);
        },
      };
    });
  }
}

/** SQLite's own error class and code, so callers tell a unique violation from anything else as before. */
function sqliteError(error: { message: string; code: string | undefined }): Error {
  return error.code ? new SQLite.SqliteError(error.message, error.code) : new Error(error.message);
}

/** Blobs arrive as Uint8Array (structured clone); the wallet reads them as better-sqlite3 gives them, Buffers. */
function withBuffers<R>(rows: R[]): R[] {
  for (const row of rows as Array<Record<string, unknown>>) {
    for (const key in row) {
      const value = row[key];
      if (value instanceof Uint8Array && !Buffer.isBuffer(value)) row[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    }
  }
  return rows;
}
