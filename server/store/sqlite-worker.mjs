// @ts-check
/**
 * The wallet's SQLite connection, in its own thread (see sqlite-worker-link.ts for
 * the main thread's side). It only runs statements in the order they arrive and
 * answers each one; every rule about transactions and groups stays on the main
 * thread. What it buys: the group's COMMIT, which waits on the disk with
 * `synchronous=FULL`, waits here while the event loop goes on.
 *
 * Plain JavaScript on purpose: on Node 20 a worker thread does not get tsx's
 * loader, and registering it in the worker costs ~0.6 s per database opened
 * (measured here), which every test that starts a wallet would pay.
 *
 * Two channels from the main thread: `calls`, answered while the main thread
 * waits on `signal` (Atomics) and reads the answer with `receiveMessageOnPort`,
 * for statements inside a transaction (they must not let the event loop turn
 * while the connection is held); and `posts`, answered as a message event, for
 * the COMMIT and for closing. `counters` (shared memory) carries the statement
 * cache's figures and what ran, so the main thread reads them without a call.
 */
import { workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

/** @type {{ file: string; pragmas: string[]; statementCacheSize: number; calls: import('node:worker_threads').MessagePort; posts: import('node:worker_threads').MessagePort; signal: Int32Array; counters: Float64Array }} */
const { file, pragmas, statementCacheSize, calls, posts, signal, counters } = workerData;

/** Indexes into `counters`; the same list is in sqlite-worker-link.ts. */
const HITS = 0;
const MISSES = 1;
const SIZE = 2;
const STATEMENTS = 3;
const COMMITS = 4;

/** @type {SQLite.Database} */
let database;
try {
  database = new SQLite(file);
  for (const pragma of pragmas) database.pragma(pragma);
} catch (error) {
  posts.postMessage({ ready: false, error: errorOf(error) });
  throw error;
}
posts.postMessage({ ready: true });

/**
 * Prepared statements by SQL text, least recently used evicted first: the same
 * rule as SqliteStatementCache (a TypeScript module this thread cannot load).
 * @type {Map<string, SQLite.Statement>}
 */
const statements = new Map();

/** @param {string} sql */
function statementFor(sql) {
  const kept = statements.get(sql);
  if (kept) {
    counters[HITS] += 1;
    statements.delete(sql);
    statements.set(sql, kept);
    return kept;
  }
  counters[MISSES] += 1;
  const statement = database.prepare(sql);
  statements.set(sql, statement);
  if (statements.size > statementCacheSize) statements.delete(/** @type {string} */ (statements.keys().next().value));
  counters[SIZE] = statements.size;
  return statement;
}

const CONTROL = /^\s*(begin|commit|end|rollback|savepoint|release)\b/i;
const WRITE = /^\s*(insert|update|delete|replace)\b/i;

/**
 * One statement, answered as Kysely's SQLite driver answers: rows from a reader,
 * else the count and rowid. A commit is counted when it is one: an explicit
 * COMMIT, or a write outside any transaction (SQLite commits it by itself).
 * @param {string} sql
 * @param {unknown[]} parameters
 */
function run(sql, parameters) {
  const statement = statementFor(sql);
  if (CONTROL.test(sql)) {
    if (/^\s*(commit|end)\b/i.test(sql)) counters[COMMITS] += 1;
  } else {
    counters[STATEMENTS] += 1;
    if (!database.inTransaction && WRITE.test(sql)) counters[COMMITS] += 1;
  }
  if (statement.reader) return { rows: statement.all(parameters) };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { changes, lastInsertRowid };
}

/**
 * What the main thread asks:
 * - `{ run: sql, parameters }` one statement;
 * - `{ alone: sql, parameters, before: sql[], savepoint }` a write on its own: `before`, the statement, RELEASE;
 *   a failure is answered as `{ error, stage, undone }` (see SqliteLink.runAlone);
 * - `{ controls: sql[] }` several transaction-control statements in one go, the first failure stops;
 * - `{ describe: sql }` whether the statement only reads and whether it returns rows;
 * - `{ all: sql, parameters }` every row (a stream inside a transaction);
 * - `{ commit: true }` COMMIT, and if it fails, ROLLBACK of what is left open;
 * - `{ close: true }`.
 * Every answer says whether a transaction is still open: SQLite may roll one back by itself.
 * @param {any} request
 */
function answer(request) {
  try {
    if (request.run !== undefined) return { ok: run(request.run, request.parameters), inTransaction: database.inTransaction };
    if (request.alone !== undefined) return { ok: alone(request), inTransaction: database.inTransaction };
    if (request.controls !== undefined) {
      for (const sql of request.controls) run(sql, []);
      return { ok: true, inTransaction: database.inTransaction };
    }
    if (request.describe !== undefined) {
      const statement = statementFor(request.describe);
      return { ok: { readonly: statement.readonly, reader: statement.reader }, inTransaction: database.inTransaction };
    }
    if (request.all !== undefined) {
      // A fresh statement: a kept one could be asked to run again while these rows are read.
      const rows = database.prepare(request.all).all(request.parameters);
      return { ok: { rows }, inTransaction: database.inTransaction };
    }
    if (request.commit) {
      try {
        run('commit', []);
      } catch (error) {
        // A failed COMMIT (a deferred constraint, a full disk) may leave the transaction open: end it.
        if (database.inTransaction) {
          try {
            database.prepare('rollback').run();
          } catch {
            // Nothing more to undo; the caller refuses every member either way.
          }
        }
        throw error;
      }
      return { ok: true, inTransaction: database.inTransaction };
    }
    if (request.close) {
      database.close();
      return { ok: true, inTransaction: false };
    }
    throw new TypeError(`sqlite-worker: expected run, controls, describe, all, commit or close, received ${JSON.stringify(Object.keys(request))}`);
  } catch (error) {
    return { error: errorOf(error), inTransaction: database.open && database.inTransaction };
  }
}

/**
 * A write on its own in one message (sqlite-link.ts `runAlone` says what it does).
 * @param {{ alone: string; parameters: unknown[]; before: string[]; savepoint: string }} request
 */
function alone({ alone: sql, parameters, before, savepoint }) {
  try {
    for (const control of before) run(control, []);
  } catch (error) {
    return { error: errorOf(error), stage: 'before', undone: false };
  }
  try {
    const result = run(sql, parameters);
    run(`release ${savepoint}`, []);
    return { result };
  } catch (error) {
    let undone = false;
    if (database.inTransaction) {
      try {
        run(`rollback to ${savepoint}`, []);
        run(`release ${savepoint}`, []);
        undone = true;
      } catch {
        // Left to the main thread, which sees whether the transaction still exists.
      }
    }
    return { error: errorOf(error), stage: 'statement', undone };
  }
}

/** @param {unknown} error */
function errorOf(error) {
  const { message, code } = /** @type {{ message?: unknown; code?: unknown }} */ (error ?? {});
  return { message: String(message ?? error), code: typeof code === 'string' ? code : undefined };
}

calls.on('message', (request) => {
  calls.postMessage(answer(request));
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});

posts.on('message', (request) => {
  const reply = answer(request);
  posts.postMessage(reply);
  if (request.close) {
    calls.close();
    posts.close();
  }
});
