/**
 * The sandbox bank inside the test's own process (no child process), for a test file: a fresh ledger in a temp
 * folder, removed on close.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandboxBank } from '../../demo/bank/main.ts';

/** Also the `BankLedger` the attack tests read charges from (attack-state.ts). */
export interface InProcessTestBank {
  url: string;
  apiKey: string;
  /** What a wallet needs to reach it. */
  config: { baseUrl: string; apiKey: string };
  /** Closes the bank and deletes its ledger. */
  close(): Promise<void>;
}

export async function startInProcessTestBank(apiKey: string): Promise<InProcessTestBank> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'paykey-bank-'));
  const bank = await startSandboxBank({ port: 0, dataDir, apiKey });
  return {
    url: bank.url,
    apiKey,
    config: { baseUrl: bank.url, apiKey },
    async close() {
      await bank.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
