/**
 * `npm test`: every test the project has, in one command, on a fresh machine.
 * Type check → widget build → weight budgets → component tests (Chromium) →
 * server, adapter, bank, chaos and end-to-end tests (node:test) on SQLite →
 * the server and attack tests (but the browser one) again on PostgreSQL
 * (`DATABASE_URL`, else a throwaway embedded server). Ends with one line `paykey: N passed, N failed`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { failureDigest } from './failure-digest.ts';
import { startTestPostgres } from './support/test-postgres.ts';

const root = join(import.meta.dirname, '..');
let passed = 0;
let failed = 0;
const failures: { step: string; digest: string[] }[] = [];

ensureChromium();
await step('type check', 'npx', ['tsc', '--noEmit']);
await step('widget build', 'npx', ['vite', 'build', '--logLevel', 'warn']);
await step('weight budgets', process.execPath, ['--import', 'tsx', 'test/budgets.ts']);
await step('first-screen weight in Chromium', process.execPath, ['--import', 'tsx', 'test/frame-weight.ts']);
await step('component tests', 'npx', ['wtr', '--config', 'web-test-runner.config.mjs'], (out) => {
  // Progress lines repeat the tally; the last one is final. Colours are stripped first.
  const tallies = [...out.replace(/\x1b\[[0-9;]*m/g, '').matchAll(/(\d+) passed, (\d+) failed/g)];
  const last = tallies.at(-1);
  return last ? [Number(last[1]), Number(last[2])] : null;
});
const nodeTests = findTests(join(root, 'test')).filter((f) => !f.includes(`${join('test', 'widget')}`));
const nodeTally = (out: string): [number, number] | null => {
  const pass = /^ℹ pass (\d+)$/m.exec(out);
  const fail = /^ℹ fail (\d+)$/m.exec(out);
  return pass && fail ? [Number(pass[1]), Number(fail[1])] : null;
};
const postgres = await startTestPostgres();
try {
  // The chaos tests start their own databases (SQLite, and PostgreSQL with two instances); they get the server's URL to use.
  const withPostgres = { PAYKEY_TEST_PG_URL: postgres.adminUrl };
  await step('server, bank, chaos and end-to-end tests (SQLite)', process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...nodeTests], nodeTally, withPostgres);
  // The attack tests drive the wallet and its database too; the browser one (Chromium) runs once, on SQLite.
  const attackTests = nodeTests.filter((f) => f.startsWith(join('test', 'attacks')) && !f.endsWith('browser-attacks.test.ts'));
  const postgresTests = [...nodeTests.filter((f) => f.startsWith(join('test', 'server'))), ...attackTests];
  await step('server and attack tests (PostgreSQL)', process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...postgresTests], nodeTally, {
    ...withPostgres,
    PAYKEY_TEST_DB: 'postgres',
  });
  if (process.env.CI) {
    // CI runs the full-size chaos on both databases (two instances on PostgreSQL); each run is one check.
    for (const db of [['--db', 'sqlite'], ['--db', 'postgres', '--instances', '2']]) {
      await step(`chaos run, full size (${db[1]})`, process.execPath, ['--import', 'tsx', 'test/chaos/main.ts', '--payments', '2000', '--crash-every', '100', ...db], undefined, {
        // PostgreSQL runs use the server started above (a database of their own on it).
        DATABASE_URL: db[1] === 'postgres' ? postgres.adminUrl : '',
      });
    }
  }
} finally {
  await postgres.stop();
}

if (failures.length) {
  // Said again last, so the end of a CI log names each failing test with its error (failure-digest.ts).
  console.log('\n=== what failed');
  for (const { step, digest } of failures) console.log(`--- ${step}\n${digest.slice(0, 150).join('\n')}`);
  console.log(`\nFailed steps: ${failures.map((f) => f.step).join(', ')}`);
}
console.log(`paykey: ${passed} passed, ${failed} failed`);
process.exit(failures.length || failed ? 1 : 0);

/** Runs one step, echoing its output; counts tests where the step reports them, else one check. */
function step(
  name: string,
  command: string,
  args: string[],
  count?: (out: string) => [number, number] | null,
  env: Record<string, string> = {},
): Promise<void> {
  console.log(`\n=== ${name}: ${[command === process.execPath ? 'node' : command, ...args.slice(0, 6)].join(' ')}${args.length > 6 ? ' …' : ''}`);
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...env } });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      out += d;
      process.stderr.write(d);
    });
    child.on('close', (code) => {
      const counts = count?.(out);
      if (counts) {
        passed += counts[0];
        failed += counts[1];
      } else if (code === 0) {
        passed += 1;
      } else {
        failed += 1;
      }
      if (code !== 0) failures.push({ step: name, digest: failureDigest(out) });
      done();
    });
  });
}

function findTests(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findTests(path);
    return entry.name.endsWith('.test.ts') ? [relative(root, path)] : [];
  });
}

/** Chromium from CHROME_PATH, then /usr/bin/chromium; installs Debian's package when root with apt-get, else says how. */
function ensureChromium() {
  if (process.env.CHROME_PATH && existsSync(process.env.CHROME_PATH)) return;
  if (existsSync('/usr/bin/chromium')) return;
  const canApt = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
  if (!canApt) {
    console.error('npm test needs Chromium: run "sudo apt-get install -y chromium" or set CHROME_PATH to a Chromium/Chrome binary.');
    process.exit(1);
  }
  console.log('Chromium not found: installing Debian\'s chromium package…');
  const install = spawnSync('sh', ['-c', 'apt-get update && apt-get -o DPkg::Lock::Timeout=600 install -y chromium'], { stdio: 'inherit' });
  if (install.status !== 0 || !existsSync('/usr/bin/chromium')) {
    console.error('Installing chromium with apt-get failed: install it yourself or set CHROME_PATH.');
    process.exit(1);
  }
}
