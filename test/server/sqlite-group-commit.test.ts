/**
 * Group commit in the wallet's SQLite driver, on real database files with WAL and
 * synchronous=FULL: concurrent transactions share one real COMMIT, none of them
 * resolves before that COMMIT is done (a second connection already sees its
 * rows), a member's rollback leaves the others' writes, and a COMMIT that fails
 * (a deferred foreign key) or a transaction SQLite rolls back by itself (a
 * trigger's RAISE(ROLLBACK)) refuses every member of the group. Every case runs
 * twice: with the connection in this thread, and in a worker thread (how the
 * wallet opens its file), where the COMMIT answers after the event loop turned.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { inTransaction, isUniqueViolation } from '../../server/store/database.ts';
import { SqliteWalletDialect } from '../../server/store/sqlite-wallet-dialect.ts';
import { SqliteWalletDriver, type SqliteWalletDriverOptions } from '../../server/store/sqlite-wallet-driver.ts';
import { SqliteWorkerLink } from '../../server/store/sqlite-worker-link.ts';

interface Db {
  parents: { id: string };
  children: { id: string; parent_id: string };
  tripwire: { id: string };
}

interface Opened {
  db: Kysely<any>;
  driver: SqliteWalletDriver;
  /** A second connection to the same file: it sees only what was committed. */
  outside: SQLite.Database;
  close(): Promise<void>;
}

const PRAGMAS = ['journal_mode = WAL', 'synchronous = FULL', 'foreign_keys = ON', 'busy_timeout = 5000'];

for (const thread of ['main', 'worker'] as const) describe(`SQLite group commit, connection in the ${thread} thread`, () => {
  let dir: string;
  let opened: Opened | undefined;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'paykey-group-commit-')); });
  afterEach(async () => { await opened?.close(); opened = undefined; });
  after(() => rmSync(dir, { recursive: true, force: true }));

  let files = 0;
  async function open(options: SqliteWalletDriverOptions = {}): Promise<Opened> {
    const file = join(dir, `db-${(files += 1)}.sqlite`);
    let connection: SQLite.Database | SqliteWorkerLink;
    if (thread === 'worker') {
      connection = await SqliteWorkerLink.open(file, { pragmas: PRAGMAS, statementCacheSize: 500 });
    } else {
      connection = new SQLite(file);
      for (const pragma of PRAGMAS) connection.pragma(pragma);
    }
    // No age cap unless a test asks for one: on a loaded machine 5 ms can pass between two members and split a group.
    const driver = new SqliteWalletDriver(connection, { maxGroupAgeMs: 60_000, ...options });
    const db = new Kysely<Db>({ dialect: new SqliteWalletDialect(driver) });
    await sql`create table parents (id text primary key)`.execute(db);
    await sql`create table children (id text primary key, parent_id text not null references parents(id))`.execute(db);
    await sql`create table tripwire (id text primary key)`.execute(db);
    // A real way for SQLite to roll back the whole (shared) transaction on its own, mid-group.
    await sql`create trigger tripwire_rolls_back before insert on tripwire begin select raise(rollback, 'tripwire: the whole transaction is rolled back'); end`.execute(db);
    driver.startGroupCommit();
    const outside = new SQLite(file, { readonly: true });
    opened = { db, driver, outside, close: async () => { outside.close(); await db.destroy(); } };
    return opened;
  }

  const committedParents = (o: Opened) => (o.outside.prepare('select id from parents order by id').all() as { id: string }[]).map((r) => r.id);
  const isCommitted = (o: Opened, id: string) => o.outside.prepare('select 1 from parents where id = ?').get(id) !== undefined;

  it('N concurrent transactions share fewer real COMMITs than N, and none resolves before its rows are committed', async () => {
    const o = await open();
    const n = 40;
    const seenAtResolve: boolean[] = [];
    let unseenWhileGrouped = 0;
    await Promise.all(Array.from({ length: n }, (_, i) => o.db.transaction().execute(async (trx) => {
      const id = `p${String(i).padStart(2, '0')}`;
      await trx.insertInto('parents').values({ id }).execute();
      // The members before this one released their savepoints, but their COMMIT has not run yet.
      const earlier = await trx.selectFrom('parents').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      if (Number(earlier.n) > committedParents(o).length) unseenWhileGrouped += 1;
      return id;
    }).then((id) => { seenAtResolve.push(isCommitted(o, id)); })));
    assert.equal(seenAtResolve.length, n);
    assert.ok(seenAtResolve.every(Boolean), 'every transaction resolved only after another connection could read its row');
    assert.ok(unseenWhileGrouped > 0, 'members did share an uncommitted transaction (otherwise this test proves nothing)');
    const { groupCommits, groupedMembers, membersPerCommit } = o.driver.stats;
    assert.ok(groupCommits < n, `expected fewer than ${n} real COMMITs, received ${groupCommits}`);
    assert.equal(groupedMembers, n);
    assert.ok(membersPerCommit > 1);
    assert.equal(committedParents(o).length, n);
  });

  it('a write outside any transaction resolves only after its COMMIT; a read outside one sees only committed rows', async () => {
    const o = await open();
    await o.db.insertInto('parents').values({ id: 'old' }).execute();
    const writes = Array.from({ length: 10 }, (_, i) => o.db.insertInto('parents').values({ id: `w${i}` }).execute()
      .then(() => isCommitted(o, `w${i}`)));
    // Queued behind the writes, so they run while the writes' group is open and has not committed.
    const reads = Array.from({ length: 5 }, () => o.db.selectFrom('parents').select('id').orderBy('id').execute()
      .then((rows) => rows.map((r) => r.id)));
    assert.deepEqual(await Promise.all(writes), Array(10).fill(true));
    assert.deepEqual(await Promise.all(reads), Array(5).fill(['old']), 'no read saw a row of the uncommitted group');
    assert.equal(o.driver.stats.groupCommits, 2, 'the first write, then the ten together');
    const after = await o.db.selectFrom('parents').select('id').execute();
    assert.equal(after.length, 11);
  });

  it('a write that need not wait for the disk (a rate-limit hit) answers before its COMMIT, rides the next group, and is committed with it', async () => {
    const o = await open();
    const insert = (id: string) => o.db.insertInto('parents').values({ id }).returning('id').compile();
    const loose = await o.driver.writeWithoutWaitingForDisk<{ id: string }>(insert('loose'));
    assert.deepEqual(loose.rows, [{ id: 'loose' }]);
    assert.equal(isCommitted(o, 'loose'), false, 'answered before its COMMIT');
    // A durable write joins the open group: one COMMIT carries both, and the durable one answers only after it.
    await o.db.insertInto('parents').values({ id: 'durable' }).execute();
    assert.deepEqual(committedParents(o), ['durable', 'loose']);
    assert.equal(o.driver.stats.groupCommits, 1);
    assert.equal(o.driver.stats.groupedMembers, 2);
    // On its own, it still gets its COMMIT without anybody waiting for it.
    await o.driver.writeWithoutWaitingForDisk(insert('alone'));
    assert.equal(isCommitted(o, 'alone'), false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(isCommitted(o, 'alone'), true);
    assert.equal(o.driver.stats.groupCommits, 2);
    // A failing one still says why, at once.
    await assert.rejects(o.driver.writeWithoutWaitingForDisk(insert('alone')), (error) => isUniqueViolation(error));
  });

  it('without a file to read committed rows from (in memory), a read that may have seen the open group waits for its COMMIT', { skip: thread === 'worker' && 'in memory is in this thread only' }, async () => {
    const driver = new SqliteWalletDriver(new SQLite(':memory:'), { maxGroupAgeMs: 60_000 });
    const db = new Kysely<Db>({ dialect: new SqliteWalletDialect(driver) });
    try {
      await sql`create table parents (id text primary key)`.execute(db);
      driver.startGroupCommit();
      const write = db.insertInto('parents').values({ id: 'm' }).execute();
      const read = db.selectFrom('parents').select('id').execute().then((rows) => ({ rows, commitsWhenAnswered: driver.stats.groupCommits }));
      await write;
      assert.deepEqual(await read, { rows: [{ id: 'm' }], commitsWhenAnswered: 1 });
    } finally {
      await db.destroy();
    }
  });

  it("a member's rollback undoes its own writes and leaves the others' in the same group", async () => {
    const o = await open();
    const outcomes = await Promise.allSettled(['a', 'b', 'c'].map((id) => o.db.transaction().execute(async (trx) => {
      await trx.insertInto('parents').values({ id }).execute();
      await trx.insertInto('children').values({ id: `${id}-child`, parent_id: id }).execute();
      if (id === 'b') throw new Error('b changes its mind');
    })));
    assert.deepEqual(outcomes.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.match(String((outcomes[1] as PromiseRejectedResult).reason), /b changes its mind/);
    assert.deepEqual(committedParents(o), ['a', 'c']);
    assert.deepEqual(o.outside.prepare('select id from children order by id').all(), [{ id: 'a-child' }, { id: 'c-child' }]);
    assert.equal(o.driver.stats.groupCommits, 1, 'the three were one group');
  });

  it('a COMMIT that fails (a deferred foreign key one member broke) refuses every member of the group, and the next group works', async () => {
    const o = await open();
    const outcomes = await Promise.allSettled(['a', 'b', 'poison', 'c', 'd'].map((id) => o.db.transaction().execute(async (trx) => {
      await trx.insertInto('parents').values({ id }).execute();
      if (id === 'poison') {
        // Checked only at the real COMMIT, after this member's RELEASE succeeded.
        await sql`pragma defer_foreign_keys = on`.execute(trx);
        await trx.insertInto('children').values({ id: 'orphan', parent_id: 'nobody' }).execute();
      }
    })));
    assert.deepEqual(outcomes.map((r) => r.status), Array(5).fill('rejected'));
    for (const outcome of outcomes) {
      assert.equal(((outcome as PromiseRejectedResult).reason as { code?: string }).code, 'SQLITE_CONSTRAINT_FOREIGNKEY');
    }
    assert.deepEqual(committedParents(o), [], 'nothing of the failed group was kept');
    assert.equal(o.driver.stats.failedGroups, 1);
    await o.db.insertInto('parents').values({ id: 'after' }).execute();
    assert.deepEqual(committedParents(o), ['after']);
  });

  it('when SQLite rolls the shared transaction back by itself, every member of the group is refused', async () => {
    const o = await open();
    const outcomes = await Promise.allSettled(['a', 'b', 'trip', 'c'].map((id) => o.db.transaction().execute(async (trx) => {
      await trx.insertInto('parents').values({ id }).execute();
      if (id === 'trip') await trx.insertInto('tripwire').values({ id }).execute();
    })));
    // a and b released before the trip and are refused; c began a new group after it and is kept.
    assert.deepEqual(outcomes.map((r) => r.status), ['rejected', 'rejected', 'rejected', 'fulfilled']);
    for (const outcome of outcomes.slice(0, 3)) assert.match(String((outcome as PromiseRejectedResult).reason), /tripwire: the whole transaction is rolled back/);
    assert.deepEqual(committedParents(o), ['c']);
    assert.equal(o.driver.stats.failedGroups, 1);
  });

  it('unique violations still surface as such, inside a transaction and on their own, and the group goes on', async () => {
    const o = await open();
    await o.db.insertInto('parents').values({ id: 'taken' }).execute();
    const outcomes = await Promise.allSettled([
      o.db.insertInto('parents').values({ id: 'x' }).execute(),
      o.db.insertInto('parents').values({ id: 'taken' }).execute(),
      o.db.transaction().execute(async (trx) => {
        await trx.insertInto('parents').values({ id: 'y' }).execute();
        await trx.insertInto('parents').values({ id: 'taken' }).execute();
      }),
      o.db.transaction().execute((trx) => trx.insertInto('parents').values({ id: 'z' }).execute()),
    ]);
    assert.deepEqual(outcomes.map((r) => r.status), ['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    assert.ok(isUniqueViolation((outcomes[1] as PromiseRejectedResult).reason));
    assert.ok(isUniqueViolation((outcomes[2] as PromiseRejectedResult).reason));
    assert.deepEqual(committedParents(o), ['taken', 'x', 'z']);
  });

  it('nested inTransaction runs in the caller\'s transaction and commits with it', async () => {
    const o = await open();
    await inTransaction(o.db, async (trx: Kysely<any>) => {
      await trx.insertInto('parents').values({ id: 'outer' }).execute();
      await inTransaction(trx, (inner: Kysely<any>) => inner.insertInto('children').values({ id: 'inner', parent_id: 'outer' }).execute());
    });
    await assert.rejects(inTransaction(o.db, async (trx: Kysely<any>) => {
      await trx.insertInto('parents').values({ id: 'gone' }).execute();
      await inTransaction(trx, async () => { throw new Error('inner fails'); });
    }), /inner fails/);
    assert.deepEqual(committedParents(o), ['outer']);
    assert.deepEqual(o.outside.prepare('select id from children').all(), [{ id: 'inner' }]);
  });

  it('a steady stream cannot keep a group open: it commits at its member cap while others still wait', async () => {
    const o = await open({ maxGroupMembers: 4, maxGroupAgeMs: 60_000 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => o.db.transaction().execute((trx) => trx.insertInto('parents').values({ id: `s${i}` }).execute())));
    const { groupCommits, groupedMembers } = o.driver.stats;
    assert.equal(groupedMembers, 20);
    assert.ok(groupCommits >= 5, `20 members with at most 4 per group need at least 5 COMMITs, received ${groupCommits}`);
  });

  it('…and at its age cap: with a cap of 0 ms every member commits on its own', async () => {
    const o = await open({ maxGroupAgeMs: 0 });
    await Promise.all(Array.from({ length: 6 }, (_, i) => o.db.transaction().execute((trx) => trx.insertInto('parents').values({ id: `a${i}` }).execute())));
    assert.deepEqual({ commits: o.driver.stats.groupCommits, members: o.driver.stats.groupedMembers }, { commits: 6, members: 6 });
  });
});
