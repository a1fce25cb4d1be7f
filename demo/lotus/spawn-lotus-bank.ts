/**
 * Starts Lotus Bank (`demo/lotus/main.ts`) as a real child process, and waits for its READY line.
 * `npm start` and the tests both run the bank this way.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { spawnBankProcess, type SpawnedBankProcess } from '../shared/spawn-bank-process.ts';

export interface SpawnLotusBankOptions {
  /** Where the bank keeps `lotus-bank.sqlite`; created if missing. */
  dataDir: string;
  /** Defaults to a fresh random key. */
  apiKey?: string;
  /** `LOTUS_BANK_ADMIN_KEY`, which guards `/admin/faults`; defaults to a fresh random key. */
  adminKey?: string;
  /** Default 0: any free port. */
  port?: number;
  /** How long to wait for `LOTUS_BANK_READY`; default 20 s (tsx compiles on first start). */
  readyTimeoutMs?: number;
}

export interface SpawnedLotusBank extends SpawnedBankProcess {
  apiKey: string;
  /** For `Authorization: Bearer <adminKey>` on `/admin/faults`. */
  adminKey: string;
}

const lotusMain = fileURLToPath(new URL('./main.ts', import.meta.url));

export async function spawnLotusBank(options: SpawnLotusBankOptions): Promise<SpawnedLotusBank> {
  const apiKey = options.apiKey ?? `sk_lotus_${randomBytes(16).toString('hex')}`;
  const adminKey = options.adminKey ?? `lotus_admin_${randomBytes(16).toString('hex')}`;
  const bank = await spawnBankProcess({
    bankName: 'Lotus Bank',
    main: lotusMain,
    env: {
      LOTUS_BANK_PORT: String(options.port ?? 0),
      PAYKEY_DATA_DIR: options.dataDir,
      LOTUS_BANK_API_KEY: apiKey,
      LOTUS_BANK_ADMIN_KEY: adminKey,
    },
    readyWord: 'LOTUS_BANK_READY',
    readyTimeoutMs: options.readyTimeoutMs ?? 20_000,
  });
  return { ...bank, apiKey, adminKey };
}
