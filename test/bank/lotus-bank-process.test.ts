/**
 * Lotus Bank (`demo/lotus/main.ts`) as its own process: env handling, READY line, signals, its own ledger file
 * next to the sandbox bank's in one data directory, and a ledger that outlives the process.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { spawnSandboxBank } from '../../demo/bank/spawn-sandbox-bank.ts';
import { spawnLotusBank } from '../../demo/lotus/spawn-lotus-bank.ts';
import { createLotusBankAdapter } from '../../server/adapters/lotus-bank.ts';
import { createSandboxBankAdapter } from '../../server/adapters/sandbox-bank.ts';

const lotusMain = fileURLToPath(new URL('../../demo/lotus/main.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const card = (number: string) => ({ number, expMonth: 12, expYear: new Date().getUTCFullYear() + 2, cvc: '123', name: 'Li Wei' });

function runMain(env: Record<string, string | undefined>) {
  const childEnv = { ...process.env, ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
  return spawnSync(process.execPath, ['--import', 'tsx', lotusMain], { cwd: repoRoot, env: childEnv, encoding: 'utf8', timeout: 20_000 });
}

describe('demo/lotus/main.ts run directly', () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'paykey-lotus-process-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('exits with one clear line when LOTUS_BANK_API_KEY is missing', () => {
    const result = runMain({ LOTUS_BANK_API_KEY: undefined, LOTUS_BANK_PORT: '0', PAYKEY_DATA_DIR: dataDir });
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /^Lotus Bank: LOTUS_BANK_API_KEY is required/);
  });

  it('exits with one clear line when the admin key is the API key, or the port is not one', () => {
    const same = runMain({ LOTUS_BANK_API_KEY: 'same', LOTUS_BANK_ADMIN_KEY: 'same', LOTUS_BANK_PORT: '0', PAYKEY_DATA_DIR: dataDir });
    assert.equal(same.status, 1);
    assert.match(same.stderr, /expected LOTUS_BANK_ADMIN_KEY to differ from LOTUS_BANK_API_KEY/);
    const port = runMain({ LOTUS_BANK_API_KEY: 'k', LOTUS_BANK_PORT: 'eighty', PAYKEY_DATA_DIR: dataDir });
    assert.equal(port.status, 1);
    assert.match(port.stderr, /expected LOTUS_BANK_PORT to be a port number 0–65535, received "eighty"/);
  });
});

describe('spawnLotusBank', () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'paykey-lotus-spawn-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs beside the sandbox bank in one data directory, each with its own ledger and keys', async () => {
    const [sandbox, lotus] = await Promise.all([spawnSandboxBank({ dataDir }), spawnLotusBank({ dataDir })]);
    try {
      assert.notEqual(sandbox.url, lotus.url);
      assert.ok(existsSync(join(dataDir, 'sandbox-bank.sqlite')) && existsSync(join(dataDir, 'lotus-bank.sqlite')));
      assert.ok(lotus.apiKey.length >= 16 && lotus.adminKey.length >= 16 && lotus.adminKey !== lotus.apiKey);
      // Each bank knows only its own key and its own cards.
      assert.equal((await fetch(`${lotus.url}/v1/brand`, { headers: { authorization: `Bearer ${sandbox.apiKey}` } })).status, 401);
      const lotusToken = await createLotusBankAdapter({ baseUrl: lotus.url, apiKey: lotus.apiKey }).tokenizeCard(card('5555555555554444'), randomUUID());
      assert.ok(lotusToken.status === 'tokenized' && lotusToken.card.currency === 'CNY', JSON.stringify(lotusToken));
      const sandboxAdapter = createSandboxBankAdapter({ baseUrl: sandbox.url, apiKey: sandbox.apiKey });
      await assert.rejects(
        sandboxAdapter.charge({ token: lotusToken.card.token, amount: 100, currency: 'CNY', reference: randomUUID(), idempotencyKey: randomUUID() }),
        /outcome is unknown/,
      );
      const faults = await fetch(`${lotus.url}/admin/faults`, { headers: { authorization: `Bearer ${lotus.adminKey}` } });
      assert.equal(faults.status, 200);
    } finally {
      await Promise.all([sandbox.stop(), lotus.stop()]);
    }
  });

  it("keeps its ledger across a restart; stop() ends it", async () => {
    const reference = `durable-${randomUUID()}`;
    const first = await spawnLotusBank({ dataDir, apiKey: 'sk_lotus_durable' });
    const adapter = createLotusBankAdapter({ baseUrl: first.url, apiKey: first.apiKey });
    const tokenized = await adapter.tokenizeCard(card('5555555555554444'), randomUUID());
    assert.ok(tokenized.status === 'tokenized');
    const quote = await adapter.quoteFx!({ from: 'USD', to: 'CNY', amount: 500 });
    const charged = await adapter.charge({ token: tokenized.card.token, amount: quote.debit, currency: 'CNY', reference, idempotencyKey: randomUUID(), fxQuoteId: quote.quoteId });
    assert.equal(charged.status, 'approved');
    await first.stop();
    await first.stop(); // twice is fine
    await assert.rejects(fetch(`${first.url}/brand`));

    const second = await spawnLotusBank({ dataDir, apiKey: 'sk_lotus_durable' });
    try {
      assert.deepEqual(await createLotusBankAdapter({ baseUrl: second.url, apiKey: second.apiKey }).lookupCharge(reference), charged);
    } finally {
      await second.stop();
    }
  });
});
