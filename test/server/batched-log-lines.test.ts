/** Log lines go to stdout in one write per event-loop turn, and none is lost when the process exits or crashes. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createBatchedLines } from '../../server/http/batched-lines.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

describe('createBatchedLines', () => {
  test('lines written in one turn reach the output in one write, in order, once the turn ends', async () => {
    const writes: string[] = [];
    const lines = createBatchedLines((text) => writes.push(text), () => {});
    lines.write('a');
    lines.write('b');
    lines.write('c');
    assert.deepEqual(writes, [], 'nothing is written during the turn');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(writes, ['a\nb\nc\n']);
    lines.write('d');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(writes, ['a\nb\nc\n', 'd\n']);
  });

  test("flush writes what is queued at once, and the turn's scheduled write then has nothing to add", async () => {
    const writes: string[] = [];
    const lines = createBatchedLines((text) => writes.push(text), () => {});
    lines.write('x');
    lines.flush();
    assert.deepEqual(writes, ['x\n']);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(writes, ['x\n']);
  });
});

/** Runs a small program in a child process that logs through the server's logger, then ends as `ending` says. */
function runLogging(ending: string): { stdout: string; status: number | null } {
  const program = `
    const { createJsonLogger } = await import(${JSON.stringify(`${repoRoot}server/http/logger.ts`)});
    const { redactingLogger } = await import(${JSON.stringify(`${repoRoot}server/http/redacting-logger.ts`)});
    const logger = redactingLogger(createJsonLogger());
    logger.info('request', { method: 'GET', path: '/api/frame/cards/4242424242424242' });
    logger.error('last_words', { n: 1 });
    ${ending}
  `;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });
  return { stdout: child.stdout, status: child.status };
}

describe('the stdout logger on the way out', () => {
  for (const [name, ending, status] of [
    ['the event loop runs out', '', 0],
    ['process.exit', 'process.exit(3);', 3],
    ['an uncaught exception', "throw new Error('crash');", 1],
    ['an unhandled rejection', "Promise.reject(new Error('crash'));", 1],
    ['an exception thrown on a later turn', "setTimeout(() => { throw new Error('crash'); }, 1);", 1],
  ] as const) {
    test(`every line is written when ${name}, redacted`, () => {
      const child = runLogging(ending);
      assert.equal(child.status, status, child.stdout);
      const lines = child.stdout.trim().split('\n').map((line) => JSON.parse(line) as { event: string; path?: string });
      assert.deepEqual(lines.map((line) => line.event), ['request', 'last_words']);
      assert.equal(lines[0].path, '/api/frame/cards/[REDACTED]');
      assert.ok(!child.stdout.includes('4242424242424242'), child.stdout);
    });
  }
});
