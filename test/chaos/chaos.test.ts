/**
 * A small chaos run (npm run chaos) on the database this test run uses
 * (`PAYKEY_TEST_DB=postgres`: PostgreSQL with two wallet instances; else
 * SQLite with one): payments through killed wallet processes and a faulty,
 * crashing bank must end with no double charge, nothing lost, no mismatch,
 * and payments caught by a kill settled within 10 s of the restart.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const postgres = process.env.PAYKEY_TEST_DB === 'postgres';
const dbArgs = postgres ? ['--db', 'postgres', '--instances', '2'] : ['--db', 'sqlite'];

test(`chaos: 120 payments, a wallet kill every 40, a bank kill, on ${postgres ? 'PostgreSQL with 2 instances' : 'SQLite'}`, { timeout: 240_000 }, async (t) => {
  const args = ['--payments', '120', '--crash-every', '40', '--bank-crashes', '1', '--concurrency', '8', '--settle-deadline-ms', '60000', ...dbArgs];
  const { code, stdout, stderr } = await run(process.execPath, ['--import', 'tsx', main, ...args], t.signal);
  const lines = stdout.trim().split('\n');
  const last = lines.at(-1) ?? '';
  const context = `exit ${code}\n--- stdout ---\n${stdout}\n--- stderr (tail) ---\n${stderr.split('\n').slice(-30).join('\n')}`;
  const match = /^payments=120 succeeded=(\d+) failed=(\d+) double_charges=(\d+) lost=(\d+) mismatches=(\d+) crashes=(\d+) settle_p99_ms=(\d+|unsettled)$/.exec(last);
  assert.ok(match, `expected the verdict as the last line, received ${JSON.stringify(last)}\n${context}`);
  const [, , , doubleCharges, lost, mismatches, crashes, p99] = match;
  assert.equal(Number(doubleCharges), 0, `double charges\n${context}`);
  assert.equal(Number(lost), 0, `lost payments\n${context}`);
  assert.equal(Number(mismatches), 0, `mismatches\n${context}`);
  assert.ok(Number(crashes) >= 2, `expected at least 2 wallet kills, received ${crashes}\n${context}`);
  assert.ok(p99 !== 'unsettled' && Number(p99) <= 10_000, `expected settle_p99_ms ≤ 10000, received ${p99}\n${context}`);
  assert.equal(code, 0, context);
});

/** Runs the CLI; a test timeout SIGTERMs it, and it cleans up its processes. */
function run(command: string, args: string[], signal: AbortSignal): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], signal, killSignal: 'SIGTERM' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (error) => (signal.aborted ? undefined : reject(error)));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
