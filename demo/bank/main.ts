/**
 * The sandbox partner bank: its own HTTP process with its own SQLite ledger.
 *
 *   BANK_API_KEY=... tsx demo/bank/main.ts
 *
 * Env: BANK_PORT (8788; 0 = any free port), PAYKEY_DATA_DIR (./.data), BANK_API_KEY (required),
 * BANK_ADMIN_KEY (optional: guards `/admin/faults`, fault injection; unset, `/admin/*` is 404),
 * BANK_LIMITS (optional JSON `{ currencies, amount: { min, max }, maxDescriptionLength }`: a narrower bank
 * than `sandboxBankLimits`, see sandbox-bank-limits.ts).
 * Prints `SANDBOX_BANK_READY http://127.0.0.1:<port>` once listening.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isMainModule } from '../shared/is-main-module.ts';
import { listenBankApp } from '../shared/listen-bank-app.ts';
import { parsePortEnv } from '../shared/parse-port-env.ts';
import { runBankProcess } from '../shared/run-bank-process.ts';
import { createBankApp } from './create-bank-app.ts';
import { openLedger } from './ledger/open-ledger.ts';
import { parseSandboxBankLimits, type SandboxBankLimits } from './sandbox-bank-limits.ts';

export interface SandboxBankOptions {
  /** 0 = any free port. */
  port: number;
  /** The ledger lives at `${dataDir}/sandbox-bank.sqlite`; the directory is created if missing. */
  dataDir: string;
  apiKey: string;
  /** Guards `/admin/*` (fault injection); without one those routes answer 404. Must differ from apiKey. */
  adminKey?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** What the bank carries; `sandboxBankLimits` by default. */
  limits?: SandboxBankLimits;
}

export interface RunningSandboxBank {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

export async function startSandboxBank(options: SandboxBankOptions): Promise<RunningSandboxBank> {
  const { port, dataDir, apiKey, adminKey, host = '127.0.0.1', limits } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`startSandboxBank: expected port to be an integer 0–65535, received ${String(port)}`);
  }
  if (typeof apiKey !== 'string' || apiKey.length === 0) {
    throw new TypeError('startSandboxBank: expected a non-empty apiKey, received none');
  }
  if (adminKey !== undefined && (typeof adminKey !== 'string' || adminKey.length === 0 || adminKey === apiKey)) {
    throw new TypeError('startSandboxBank: expected adminKey to be a non-empty key other than the apiKey, or absent');
  }
  mkdirSync(dataDir, { recursive: true });
  const ledger = await openLedger(join(dataDir, 'sandbox-bank.sqlite'));
  const app = createBankApp({ ledger, apiKey, adminKey, limits });

  return listenBankApp({ bankName: 'sandbox bank', fetch: app.fetch, port, host, destroyLedger: () => ledger.destroy() });
}

async function runFromCommandLine(): Promise<void> {
  const apiKey = process.env.BANK_API_KEY;
  if (!apiKey) {
    console.error('sandbox bank: BANK_API_KEY is required (expected the API key the wallet server uses, received nothing)');
    process.exit(1);
  }
  // Empty counts as unset: no admin API.
  const adminKey = process.env.BANK_ADMIN_KEY || undefined;
  if (adminKey === apiKey) {
    console.error('sandbox bank: expected BANK_ADMIN_KEY to differ from BANK_API_KEY, received the same key');
    process.exit(1);
  }
  const port = parsePortEnv('sandbox bank', 'BANK_PORT', '8788');
  const dataDir = resolve(process.env.PAYKEY_DATA_DIR ?? './.data');
  await runBankProcess({
    bankName: 'sandbox bank',
    readyWord: 'SANDBOX_BANK_READY',
    start: () => {
      // Empty counts as unset: the sandbox bank's own limits.
      const limits = process.env.BANK_LIMITS ? parseSandboxBankLimits(process.env.BANK_LIMITS) : undefined;
      return startSandboxBank({ port, dataDir, apiKey, adminKey, limits });
    },
  });
}

if (isMainModule(import.meta.url)) await runFromCommandLine();
