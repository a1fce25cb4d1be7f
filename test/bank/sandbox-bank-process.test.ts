/**
 * `demo/bank/main.ts` as its own process: env handling, READY line, signals,
 * and a ledger that outlives the process.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createSandboxBankAdapter } from '../../server/adapters/sandbox-bank.ts';
import { spawnSandboxBank } from '../../demo/bank/spawn-sandbox-bank.ts';

const bankMain = fileURLToPath(new URL('../../demo/bank/main.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const card = { number: '4242424242424242', expMonth: 12, expYear: new Date().getUTCFullYear() + 2, cvc: '123', name: 'Ada' };

function runMain(env: Record<string, string | undefined>) {
  const childEnv = { ...process.env, ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
  return spawnSync(process.execPath, ['--import', 'tsx', bankMain], { cwd: repoRoot, env: childEnv, encoding: 'utf8', timeout: 20_000 });
}

describe('demo/bank/main.ts run directly', () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'paykey-bank-process-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('exits with one clear line when BANK_LIMITS is not limits', () => {
    const base = { BANK_API_KEY: 'k', BANK_ADMIN_KEY: undefined, BANK_PORT: '0', PAYKEY_DATA_DIR: dataDir };
    for (const [limits, pattern] of [
      ['{not json', /expected BANK_LIMITS to be JSON/],
      ['{"currencies":[],"amount":{"min":5,"max":1},"maxDescriptionLength":10}', /currencies: expected at least one currency; amount: expected min <= max/],
    ] as const) {
      const result = runMain({ ...base, BANK_LIMITS: limits });
      assert.equal(result.status, 1, result.stderr);
      assert.equal(result.stdout, '');
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.match(result.stderr, pattern);
    }
  });

  it('exits with one clear line when BANK_API_KEY is missing', () => {
    const result = runMain({ BANK_API_KEY: undefined, BANK_PORT: '0', PAYKEY_DATA_DIR: dataDir });
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /BANK_API_KEY is required/);
  });

  it('exits with one clear line when BANK_ADMIN_KEY is the API key (the admin key must not open /v1)', () => {
    const result = runMain({ BANK_API_KEY: 'same', BANK_ADMIN_KEY: 'same', BANK_PORT: '0', PAYKEY_DATA_DIR: dataDir });
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /expected BANK_ADMIN_KEY to differ from BANK_API_KEY/);
  });

  it('exits with one clear line for a BANK_PORT that is not a port', () => {
    const result = runMain({ BANK_API_KEY: 'k', BANK_PORT: 'eighty', PAYKEY_DATA_DIR: dataDir });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /expected BANK_PORT to be a port number 0–65535, received "eighty"/);
  });

  it('creates PAYKEY_DATA_DIR, prints the real port, and closes cleanly on SIGTERM', async () => {
    const nested = join(dataDir, 'a', 'b');
    const child = spawn(process.execPath, ['--import', 'tsx', bankMain], {
      cwd: repoRoot,
      env: { ...process.env, BANK_API_KEY: 'k', BANK_PORT: '0', PAYKEY_DATA_DIR: nested },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const match = /^SANDBOX_BANK_READY (http:\/\/127\.0\.0\.1:(\d+))$/m.exec(out);
        if (match) resolve(match[1]);
      });
      child.once('exit', () => reject(new Error(`exited before READY: ${out}`)));
    });
    assert.notEqual(new URL(url).port, '0');
    assert.equal((await fetch(`${url}/brand`)).status, 200);
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    const wal = join(nested, 'sandbox-bank.sqlite-wal');
    // A clean close checkpoints the WAL into the database and removes it.
    assert.ok(!existsSync(wal) || statSync(wal).size === 0, 'expected the ledger to be closed cleanly');
    assert.ok(existsSync(join(nested, 'sandbox-bank.sqlite')));
  });
});

describe('spawnSandboxBank', () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'paykey-bank-spawn-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs a real bank whose ledger survives a restart; stop() ends it', async () => {
    const reference = `durable-${randomUUID()}`;
    const first = await spawnSandboxBank({ dataDir, apiKey: 'bank_sk_durable' });
    const adapter = createSandboxBankAdapter({ baseUrl: first.url, apiKey: first.apiKey });
    const tokenized = await adapter.tokenizeCard(card, randomUUID());
    assert.ok(tokenized.status === 'tokenized');
    const charged = await adapter.charge({ token: tokenized.card.token, amount: 1234, currency: 'EUR', reference, idempotencyKey: randomUUID() });
    await first.stop();
    await first.stop(); // twice is fine
    await assert.rejects(fetch(`${first.url}/brand`));

    const second = await spawnSandboxBank({ dataDir, apiKey: 'bank_sk_durable' });
    try {
      const again = createSandboxBankAdapter({ baseUrl: second.url, apiKey: second.apiKey });
      assert.deepEqual(await again.lookupCharge(reference), charged);
    } finally {
      await second.stop();
    }
  });

  it('generates an API key and an admin key when none is given', async () => {
    const bank = await spawnSandboxBank({ dataDir });
    try {
      assert.ok(bank.apiKey.length >= 16);
      assert.ok(bank.adminKey.length >= 16);
      assert.notEqual(bank.adminKey, bank.apiKey);
      const faults = await fetch(`${bank.url}/admin/faults`, { headers: { authorization: `Bearer ${bank.adminKey}` } });
      assert.deepEqual(await faults.json(), { faults: [] });
      const answer = await fetch(`${bank.url}/v1/charges?reference=x`, { headers: { authorization: `Bearer ${bank.apiKey}` } });
      assert.equal(answer.status, 200);
    } finally {
      await bank.stop();
    }
  });

  it('fails with the child stderr when the bank cannot start', async () => {
    // A data "directory" that is a file: the bank cannot create its ledger.
    await assert.rejects(spawnSandboxBank({ dataDir: bankMain }), /sandbox bank did not start[\s\S]*--- stderr ---\n.*sandbox bank:/);
  });
});
