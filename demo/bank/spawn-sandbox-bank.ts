/**
 * Starts the sandbox bank (`demo/bank/main.ts`) as a real child process, and
 * waits for its READY line. `npm start` and the tests both run the bank this way.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { spawnBankProcess } from '../shared/spawn-bank-process.ts';
import type { SandboxBankLimits } from './sandbox-bank-limits.ts';

export interface SpawnSandboxBankOptions {
  /** Where the bank keeps `sandbox-bank.sqlite`; created if missing. */
  dataDir: string;
  /** Defaults to a fresh random key. */
  apiKey?: string;
  /** `BANK_ADMIN_KEY`, which guards `/admin/faults` (fault injection); defaults to a fresh random key. */
  adminKey?: string;
  /** Default 0: any free port. */
  port?: number;
  /** How long to wait for `SANDBOX_BANK_READY`; default 20 s (tsx compiles on first start). */
  readyTimeoutMs?: number;
  /** `BANK_LIMITS`: a narrower bank than the sandbox bank's own limits (its adapter must be given the same). */
  limits?: SandboxBankLimits;
}

export interface SpawnedSandboxBank {
  /** `http://127.0.0.1:<port>` */
  url: string;
  apiKey: string;
  /** For `Authorization: Bearer <adminKey>` on `/admin/faults`. */
  adminKey: string;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. Safe to call twice. */
  stop(): Promise<void>;
  /** Resolves when the process exits, for whatever reason. */
  exited: Promise<void>;
  /** What the process wrote to stderr so far. */
  stderr(): string;
}

const bankMain = fileURLToPath(new URL('./main.ts', import.meta.url));

export async function spawnSandboxBank(options: SpawnSandboxBankOptions): Promise<SpawnedSandboxBank> {
  const apiKey = options.apiKey ?? `sk_sandbox_${randomBytes(16).toString('hex')}`;
  const adminKey = options.adminKey ?? `bank_admin_${randomBytes(16).toString('hex')}`;
  const bank = await spawnBankProcess({
    bankName: 'sandbox bank',
    main: bankMain,
    env: {
      BANK_PORT: String(options.port ?? 0),
      PAYKEY_DATA_DIR: options.dataDir,
      BANK_API_KEY: apiKey,
      BANK_ADMIN_KEY: adminKey,
      BANK_LIMITS: options.limits ? JSON.stringify(options.limits) : '',
    },
    readyWord: 'SANDBOX_BANK_READY',
    readyTimeoutMs: options.readyTimeoutMs ?? 20_000,
  });
  return { ...bank, apiKey, adminKey };
}
