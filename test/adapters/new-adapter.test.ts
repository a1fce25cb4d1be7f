/**
 * `npm run new-adapter -- <name>`: the scaffold, written into a scratch root, type-checks,
 * passes the conformance suite's shape checks out of the box (every live case skipped,
 * saying why), and — pointed at a real sandbox bank, whose API it is shaped like —
 * passes the live cases too: it is a working adapter to change, not a stub.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { scaffoldAdapter } from '../../server/adapters/scaffold/scaffold-adapter.ts';
import { spawnSandboxBank } from '../../demo/bank/spawn-sandbox-bank.ts';

const repoRoot = join(import.meta.dirname, '..', '..');

/** Runs a command to its end; its exit code and everything it printed. */
function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // Without NODE_TEST_CONTEXT: a child of a test run would report to this runner instead of printing.
    const { NODE_TEST_CONTEXT: _runner, ...inherited } = process.env;
    const child = spawn(command, args, { cwd: options.cwd, env: { ...inherited, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

const tally = (output: string, what: 'pass' | 'fail' | 'skipped') => Number(new RegExp(`^ℹ ${what} (\\d+)$`, 'm').exec(output)?.[1] ?? NaN);

describe('npm run new-adapter', () => {
  let root: string;
  const env = { ACME_BANK_SANDBOX_URL: '', ACME_BANK_API_KEY: '' };
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'paykey-new-adapter-'));
    // Bare imports (zod) resolve from the scratch root as they would in the repository.
    symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('writes server/adapters/<name>.ts and test/adapters/<name>.test.ts', async () => {
    const { code, output } = await run(process.execPath, ['--import', 'tsx', 'server/adapters/scaffold/new-adapter.ts', 'acme-bank', '--root', root], {
      cwd: repoRoot,
    });
    assert.equal(code, 0, output);
    assert.match(output, /wrote .*server\/adapters\/acme-bank\.ts\nwrote .*test\/adapters\/acme-bank\.test\.ts/);
    assert.match(readFileSync(join(root, 'server/adapters/acme-bank.ts'), 'utf8'), /export function createAcmeBankAdapter\(options: AcmeBankAdapterOptions\): BankAdapter/);
  });

  it('the scaffold type-checks', async () => {
    const tsc = join(repoRoot, 'node_modules', '.bin', 'tsc');
    const flags = ['--noEmit', '--strict', '--skipLibCheck', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler'];
    const { code, output } = await run(tsc, [...flags, '--allowImportingTsExtensions', '--types', 'node', '--lib', 'es2023,dom', 'server/adapters/acme-bank.ts', 'test/adapters/acme-bank.test.ts'], {
      cwd: root,
    });
    assert.equal(code, 0, output);
  });

  it('passes the shape checks out of the box; the live cases are skipped, printing why', async () => {
    const { code, output } = await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', 'test/adapters/acme-bank.test.ts'], { cwd: root, env });
    assert.equal(code, 0, output);
    assert.equal(tally(output, 'fail'), 0, output);
    assert.equal(tally(output, 'pass'), 4, output); // id, capabilities, BINs, limits
    assert.ok(tally(output, 'skipped') > 20, output);
    assert.match(output, /# ACME_BANK_SANDBOX_URL is not set: start Acme Bank's sandbox, set ACME_BANK_SANDBOX_URL and ACME_BANK_API_KEY/);
  });

  it('pointed at the sandbox bank, passes the live cases too (the faults are skipped, saying why)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'paykey-new-adapter-bank-'));
    const bank = await spawnSandboxBank({ dataDir });
    try {
      const { code, output } = await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', 'test/adapters/acme-bank.test.ts'], {
        cwd: root,
        env: { ACME_BANK_SANDBOX_URL: bank.url, ACME_BANK_API_KEY: bank.apiKey },
      });
      assert.equal(code, 0, output);
      assert.equal(tally(output, 'fail'), 0, output);
      assert.ok(tally(output, 'pass') >= 20, output);
      assert.match(output, /# no fault injection: Acme Bank's sandbox has no fault switch wired in yet/);
    } finally {
      await bank.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a name that is not kebab-case, and a file that exists', () => {
    assert.throws(() => scaffoldAdapter('Acme Bank', root), /new-adapter: expected a kebab-case bank name of at most 40 characters \(e\.g\. acme-bank\), received "Acme Bank"/);
    assert.throws(() => scaffoldAdapter('acme-bank', root), /new-adapter: expected no file at .*acme-bank\.ts, received an existing one/);
  });
});
