/**
 * The wallet's SQLite driver prepares a statement once and reuses it, and answers
 * exactly as Kysely's own SQLite driver does (rows, affected rows, insert ids,
 * RETURNING, blobs as Buffers, SQLite's error codes), on a real database file,
 * with its connection in this thread and in a worker thread.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type Generated } from 'kysely';
import { SqliteStatementCache } from '../../server/store/sqlite-statement-cache.ts';
import { SqliteWalletDialect } from '../../server/store/sqlite-wallet-dialect.ts';
import { SqliteWalletDriver } from '../../server/store/sqlite-wallet-driver.ts';
import { SqliteWorkerLink } from '../../server/store/sqlite-worker-link.ts';

interface Db { items: { id: Generated<number>; name: string; qty: number; data: Buffer | null } }

describe('SQLite statement cache', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'paykey-stmt-cache-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the most recently used statements and evicts the oldest beyond its capacity', () => {
    const sqlite = new SQLite(join(dir, 'lru.sqlite'));
    try {
      const cache = new SqliteStatementCache(sqlite, 2);
      const a = cache.get('select 1');
      cache.get('select 2');
      assert.equal(cache.get('select 1'), a, 'a kept statement is the same object');
      cache.get('select 3'); // evicts "select 2", the least recently used
      assert.equal(cache.get('select 1'), a);
      assert.deepEqual({ hits: cache.hits, misses: cache.misses, size: cache.size }, { hits: 2, misses: 3, size: 2 });
      cache.get('select 2');
      assert.equal(cache.misses, 4, '"select 2" was evicted, so it is prepared again');
      assert.throws(() => new SqliteStatementCache(sqlite, 0), /at least 1 statement, received 0/);
    } finally {
      sqlite.close();
    }
  });

  it('answers every kind of statement as Kysely\'s SqliteDriver does, and reuses prepared statements', async () => {
    const ours = new SqliteWalletDriver(new SQLite(join(dir, 'ours.sqlite')));
    const inWorker = new SqliteWalletDriver(await SqliteWorkerLink.open(join(dir, 'worker.sqlite'), { pragmas: [], statementCacheSize: 500 }));
    const dbs = [
      new Kysely<Db>({ dialect: new SqliteWalletDialect(ours) }),
      new Kysely<Db>({ dialect: new SqliteDialect({ database: new SQLite(join(dir, 'kysely.sqlite')) }) }),
      new Kysely<Db>({ dialect: new SqliteWalletDialect(inWorker) }),
    ];
    try {
      const results = [];
      for (const db of dbs) {
        await db.schema.createTable('items').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('name', 'text', (c) => c.notNull().unique()).addColumn('qty', 'integer', (c) => c.notNull()).addColumn('data', 'blob').execute();
        const runs = [];
        for (let i = 1; i <= 3; i += 1) {
          runs.push(await db.insertInto('items').values({ name: `n${i}`, qty: i, data: i === 2 ? Buffer.from([0, 1, 254, 255]) : null }).executeTakeFirstOrThrow());
        }
        runs.push(await db.insertInto('items').values({ name: 'r', qty: 9 }).returning(['id', 'name']).execute());
        runs.push(await db.updateTable('items').set({ qty: sql`qty + 1` }).where('qty', '<', 3).executeTakeFirstOrThrow());
        runs.push(await db.deleteFrom('items').where('name', '=', 'nothing').executeTakeFirstOrThrow());
        runs.push(await db.selectFrom('items').selectAll().orderBy('id').execute());
        runs.push(await db.transaction().execute(async (trx) => trx.selectFrom('items').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()));
        const unique = await db.insertInto('items').values({ name: 'n1', qty: 1 }).execute().catch((error: { code?: string }) => error.code);
        runs.push(unique);
        results.push(runs);
      }
      assert.deepEqual(results[0], results[1]);
      assert.deepEqual(results[2], results[1]);
      const rows = results[2][6] as unknown as Array<{ data: unknown }>;
      assert.ok(Buffer.isBuffer(rows[1].data), 'a blob read in the worker arrives as a Buffer, as better-sqlite3 gives it');
      assert.equal(results[0][results[0].length - 1], 'SQLITE_CONSTRAINT_UNIQUE');
      const { statementCacheHits, statementCacheMisses } = ours.stats;
      assert.ok(statementCacheHits >= 2, `the three identical inserts prepare once: expected ≥ 2 hits, received ${statementCacheHits}`);
      assert.ok(statementCacheMisses >= 7, `each distinct statement is prepared once: received ${statementCacheMisses} misses`);
    } finally {
      await Promise.all(dbs.map((db) => db.destroy()));
    }
  });
});
