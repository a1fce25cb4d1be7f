/**
 * Starts a demo card bank's `main.ts` (the sandbox bank, Lotus Bank) as a real child process with fresh keys unless
 * given some, and waits for its READY line. `npm start` and the tests run both banks this way.
 */
import { randomBytes } from 'node:crypto';
import { spawnBankProcess, type SpawnedBankProcess } from '../shared/spawn-bank-process.ts';
import type { BankProfile } from './bank-profile.ts';

export interface SpawnCardBankOptions {
  /** Where the bank keeps its ledger (`profile.ledgerFile`); created if missing. */
  dataDir: string;
  /** Defaults to a fresh random key. */
  apiKey?: string;
  /** Guards `/admin/faults` (fault injection); defaults to a fresh random key. */
  adminKey?: string;
  /** Default 0: any free port. */
  port?: number;
  /** How long to wait for the READY line; default 20 s (tsx compiles on first start). */
  readyTimeoutMs?: number;
  /** `SANDBOX_CASHBACK_DELAY_MS`: how long after a charge its offer's cashback is credited (default 60 s). */
  cashbackDelayMs?: number;
  /** `SANDBOX_LATENCY_MS`: every `/v1` call waits this long first (the benchmark's bank); default 0. */
  latencyMs?: number;
}

export interface SpawnedCardBank extends SpawnedBankProcess {
  apiKey: string;
  /** For `Authorization: Bearer <adminKey>` on `/admin/faults`. */
  adminKey: string;
}

/** `main` is the bank's entry file (absolute path); `env` adds settings only this bank reads (e.g. `BANK_LIMITS`). */
export async function spawnCardBank(
  profile: BankProfile,
  main: string,
  options: SpawnCardBankOptions,
  env: Record<string, string> = {},
): Promise<SpawnedCardBank> {
  const apiKey = options.apiKey ?? `sk_${profile.keyPrefix}_${randomBytes(16).toString('hex')}`;
  const adminKey = options.adminKey ?? `${profile.keyPrefix}_admin_${randomBytes(16).toString('hex')}`;
  const bank = await spawnBankProcess({
    bankName: profile.name,
    main,
    env: {
      [profile.env.port]: String(options.port ?? 0),
      PAYKEY_DATA_DIR: options.dataDir,
      [profile.env.apiKey]: apiKey,
      [profile.env.adminKey]: adminKey,
      ...(options.cashbackDelayMs === undefined ? {} : { SANDBOX_CASHBACK_DELAY_MS: String(options.cashbackDelayMs) }),
      ...(options.latencyMs === undefined ? {} : { SANDBOX_LATENCY_MS: String(options.latencyMs) }),
      ...env,
    },
    readyWord: profile.readyWord,
    readyTimeoutMs: options.readyTimeoutMs ?? 20_000,
  });
  return { ...bank, apiKey, adminKey };
}
