/**
 * Starts a demo card bank (the sandbox bank, Lotus Bank) from its profile: its own SQLite ledger in `dataDir`,
 * its HTTP API on a port. `runCardBankFromCommandLine` is the life of its process (`main.ts` of each bank).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listenBankApp } from '../shared/listen-bank-app.ts';
import { parsePortEnv } from '../shared/parse-port-env.ts';
import { runBankProcess } from '../shared/run-bank-process.ts';
import type { BankProfile } from './bank-profile.ts';
import { createBankApp } from './create-bank-app.ts';
import { openLedger } from './ledger/open-ledger.ts';
import { parseSandboxBankLimits, type SandboxBankLimits } from './sandbox-bank-limits.ts';

export interface CardBankOptions {
  /** 0 = any free port. */
  port: number;
  /** The ledger lives at `${dataDir}/${profile.ledgerFile}`; the directory is created if missing. */
  dataDir: string;
  apiKey: string;
  /** Guards `/admin/*` (fault injection); without one those routes answer 404. Must differ from apiKey. */
  adminKey?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** What the bank carries; the profile's limits by default. */
  limits?: SandboxBankLimits;
  /** The bank's clock (expiry of cards and FX quotes, timestamps); tests move it to expire a quote. */
  now?: () => Date;
  /** How long after a charge its offer's cashback is credited; default 60 s (env `SANDBOX_CASHBACK_DELAY_MS`). */
  cashbackDelayMs?: number;
  /** Every `/v1` call waits this long first (env `SANDBOX_LATENCY_MS`; default 0): a bank with a known network latency. */
  latencyMs?: number;
}

export interface RunningCardBank {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

export async function startCardBank(profile: BankProfile, options: CardBankOptions): Promise<RunningCardBank> {
  const { port, dataDir, apiKey, adminKey, host = '127.0.0.1', limits, now, cashbackDelayMs, latencyMs } = options;
  const who = `start ${profile.name}`;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`${who}: expected port to be an integer 0–65535, received ${String(port)}`);
  }
  if (typeof apiKey !== 'string' || apiKey.length === 0) {
    throw new TypeError(`${who}: expected a non-empty apiKey, received none`);
  }
  if (adminKey !== undefined && (typeof adminKey !== 'string' || adminKey.length === 0 || adminKey === apiKey)) {
    throw new TypeError(`${who}: expected adminKey to be a non-empty key other than the apiKey, or absent`);
  }
  mkdirSync(dataDir, { recursive: true });
  const ledger = await openLedger(join(dataDir, profile.ledgerFile));
  const app = createBankApp({ ledger, apiKey, adminKey, profile, limits, now, cashbackDelayMs, latencyMs });
  return listenBankApp({ bankName: profile.name, fetch: app.fetch, port, host, destroyLedger: () => ledger.destroy() });
}

/** Reads the bank's settings from the environment (PAYKEY_DATA_DIR for its ledger) and runs it until a signal. */
export async function runCardBankFromCommandLine(profile: BankProfile): Promise<void> {
  const names = profile.env;
  const apiKey = process.env[names.apiKey];
  if (!apiKey) {
    console.error(`${profile.name}: ${names.apiKey} is required (expected the API key the wallet server uses, received nothing)`);
    process.exit(1);
  }
  // Empty counts as unset: no admin API.
  const adminKey = process.env[names.adminKey] || undefined;
  if (adminKey === apiKey) {
    console.error(`${profile.name}: expected ${names.adminKey} to differ from ${names.apiKey}, received the same key`);
    process.exit(1);
  }
  const port = parsePortEnv(profile.name, names.port, names.defaultPort);
  const dataDir = resolve(process.env.PAYKEY_DATA_DIR ?? './.data');
  const cashbackDelayMs = parseMsEnv(profile.name, 'SANDBOX_CASHBACK_DELAY_MS', process.env.SANDBOX_CASHBACK_DELAY_MS);
  const latencyMs = parseMsEnv(profile.name, 'SANDBOX_LATENCY_MS', process.env.SANDBOX_LATENCY_MS);
  await runBankProcess({
    bankName: profile.name,
    readyWord: profile.readyWord,
    start: () => {
      // Empty counts as unset: the bank's own limits.
      const limitsJson = names.limits ? process.env[names.limits] : undefined;
      const limits = limitsJson ? parseSandboxBankLimits(limitsJson) : undefined;
      return startCardBank(profile, { port, dataDir, apiKey, adminKey, limits, cashbackDelayMs, latencyMs });
    },
  });
}

/** `SANDBOX_CASHBACK_DELAY_MS`, `SANDBOX_LATENCY_MS`: milliseconds, 0 to 1 day; empty or unset → the default. */
function parseMsEnv(bankName: string, name: string, text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const ms = /^\d{1,8}$/.test(text) ? Number(text) : Number.NaN;
  if (!(ms >= 0 && ms <= 86_400_000)) {
    console.error(`${bankName}: expected ${name} to be milliseconds from 0 to 86400000, received ${JSON.stringify(text.slice(0, 40))}`);
    process.exit(1);
  }
  return ms;
}
