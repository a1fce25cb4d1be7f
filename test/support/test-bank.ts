/** The sandbox bank as its own process for a test file: a fresh ledger in a temp folder, removed on close. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSandboxBank, type SpawnedSandboxBank } from '../../demo/bank/spawn-sandbox-bank.ts';

export interface TestBank extends SpawnedSandboxBank {
  /** What a wallet needs to reach it. */
  config: { baseUrl: string; apiKey: string };
  /** Stops the process and deletes its ledger. */
  close(): Promise<void>;
}

export async function startTestBank(): Promise<TestBank> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'paykey-bank-'));
  const bank = await spawnSandboxBank({ dataDir });
  return {
    ...bank,
    config: { baseUrl: bank.url, apiKey: bank.apiKey },
    async close() {
      await bank.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
