/**
 * The wallet's SQLite file connection in a worker thread (server/store/sqlite-worker-link.ts), beyond what the
 * group-commit and statement-cache suites already run on it: a file that cannot be opened is refused with SQLite's
 * own error; a wallet database opened the way the server opens it (`openDatabase`, migrations included) lets its
 * process end, whether it is destroyed or simply forgotten, with every answered write on disk.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { SqliteWorkerLink } from '../../server/store/sqlite-worker-link.ts';

const DATABASE_MODULE = fileURLToPath(new URL('../../server/store/database.ts', import.meta.url));
/** The script lives in a temporary folder, where no node_modules would resolve `kysely`. */
const KYSELY_MODULE = import.meta.resolve('kysely');

/** Runs `source` as an ES module under tsx in its own process; resolves with its exit code and output, or rejects after `ms`. */
function runScript(dir: string, name: string, source: string, ms = 60_000): Promise<{ code: number | null; output: string }> {
  const file = join(dir, `${name}.mts`);
  writeFileSync(file, source);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`expected ${name} to exit within ${ms} ms, received no exit (output: ${output})`));
    }, ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('SQLite in a worker thread', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'paykey-sqlite-worker-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("a file that cannot be opened is refused with SQLite's error and code", async () => {
    await assert.rejects(
      // A folder where the file should be: SQLite itself refuses it.
      SqliteWorkerLink.open(dir, { pragmas: [], statementCacheSize: 10 }),
      (error: unknown) => error instanceof SQLite.SqliteError && error.code === 'SQLITE_CANTOPEN',
    );
  });

  for (const ending of ['destroyed', 'forgotten'] as const) {
    it(`a wallet database ${ending} after its writes answered: the process ends by itself and every answered write is on disk`, async () => {
      const dataDir = join(dir, ending);
      const { code, output } = await runScript(dir, ending, `
        import { sql } from ${JSON.stringify(KYSELY_MODULE)};
        import { openDatabase, sqliteDriverStats } from ${JSON.stringify(DATABASE_MODULE)};
        const db = await openDatabase({ dataDir: ${JSON.stringify(dataDir)}, sqliteThread: 'worker' });
        await sql\`create table probe (id text primary key)\`.execute(db);
        const writes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => db.insertInto('probe' as never).values({ id: 'w' + i } as never).execute()));
        const stats = sqliteDriverStats(db)!;
        console.log(JSON.stringify({ answered: writes.filter((w) => w.status === 'fulfilled').length, groupCommits: stats.groupCommits, statements: stats.statements }));
        ${ending === 'destroyed' ? 'await db.destroy();' : '// Never destroyed: the worker must not keep this process alive.'}
      `);
      assert.equal(code, 0, output);
      const figures = JSON.parse(output.trim().split('\n').pop()!) as { answered: number; groupCommits: number; statements: number };
      assert.equal(figures.answered, 20, output);
      assert.ok(figures.groupCommits >= 1 && figures.groupCommits < 21, `the 20 writes and the create share fewer COMMITs than 21, received ${figures.groupCommits}`);
      assert.ok(figures.statements >= 21, `the worker counts what it ran: expected ≥ 21 statements, received ${figures.statements}`);
      const check = new SQLite(join(dataDir, 'paykey.sqlite'), { readonly: true });
      try {
        assert.equal((check.prepare('select count(*) as n from probe').get() as { n: number }).n, 20);
        assert.equal(check.pragma('journal_mode', { simple: true }), 'wal');
      } finally {
        check.close();
      }
    });
  }
});
