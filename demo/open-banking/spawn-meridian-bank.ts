/**
 * Starts Meridian Bank (`demo/open-banking/main.ts`) as a real child process and waits for its READY line.
 * `npm start` and the tests both run the bank this way.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { spawnBankProcess } from '../shared/spawn-bank-process.ts';
import type { RegisteredClient } from './oauth/client-registry.ts';

export interface SpawnMeridianBankOptions {
  /** Where the bank keeps meridian-bank.sqlite and its signing key; created if missing. */
  dataDir: string;
  /** The TPPs the bank knows (OB_BANK_CLIENTS). */
  clients: RegisteredClient[];
  /** OB_BANK_ADMIN_KEY, which guards /admin/* (test controls); defaults to a fresh random key. */
  adminKey?: string;
  /** Default 0: any free port. */
  port?: number;
  /** How long to wait for MERIDIAN_BANK_READY; default 30 s (tsx compiles, the document is validated). */
  readyTimeoutMs?: number;
}

export interface SpawnedMeridianBank {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `${url}/open-banking/v4.0/pisp` */
  apiUrl: string;
  adminKey: string;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. Safe to call twice. */
  stop(): Promise<void>;
  exited: Promise<void>;
  /** What the process wrote to stderr so far. */
  stderr(): string;
}

const bankMain = fileURLToPath(new URL('./main.ts', import.meta.url));

export async function spawnMeridianBank(options: SpawnMeridianBankOptions): Promise<SpawnedMeridianBank> {
  const adminKey = options.adminKey ?? `ob_admin_${randomBytes(16).toString('hex')}`;
  const bank = await spawnBankProcess({
    bankName: 'Meridian Bank',
    main: bankMain,
    env: {
      OB_BANK_PORT: String(options.port ?? 0),
      PAYKEY_DATA_DIR: options.dataDir,
      OB_BANK_ADMIN_KEY: adminKey,
      OB_BANK_CLIENTS: JSON.stringify(options.clients),
    },
    readyWord: 'MERIDIAN_BANK_READY',
    readyTimeoutMs: options.readyTimeoutMs ?? 30_000,
  });
  return { ...bank, apiUrl: `${bank.url}/open-banking/v4.0/pisp`, adminKey };
}
