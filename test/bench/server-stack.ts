/**
 * What the server benchmarks run against, as in production: the sandbox bank as its own HTTP process with a fixed
 * latency on every call, and one or more wallet server processes (`server/main.ts`) on SQLite or on one PostgreSQL
 * database, started with production defaults (only the rate limits raised: every request comes from 127.0.0.1).
 * Reuses the chaos run's process and database helpers.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxBankProfile } from '../../demo/bank/sandbox-bank-profile.ts';
import { spawnSandboxBank, type SpawnedSandboxBank } from '../../demo/bank/spawn-sandbox-bank.ts';
import { httpJson } from '../chaos/http-json.ts';
import { prepareWalletDatabase, type WalletDatabase } from '../chaos/wallet-database.ts';
import { createWalletInstance, type WalletInstance } from '../chaos/wallet-instance.ts';
import { freePort } from '../support/free-port.ts';
import { findChildPid } from './process-stats.ts';

const serverRoot = fileURLToPath(new URL('../../', import.meta.url));
const bankMain = fileURLToPath(new URL('../../demo/bank/main.ts', import.meta.url));

export interface BenchStackOptions {
  engine: 'sqlite' | 'postgres';
  instances: 1 | 2;
  bankLatencyMs: number;
  /** The checkout whose `server/main.ts` the wallets run; default this one (an A/B run passes an older worktree). */
  serverRoot?: string;
  /** Runs once the database exists and before any wallet starts (the growth bench seeds history here). */
  beforeWallets?: (database: WalletDatabase) => Promise<void>;
  log?: (line: string) => void;
}

export interface BenchStack {
  runDir: string;
  database: WalletDatabase;
  bank: SpawnedSandboxBank;
  bankPid: number;
  wallets: WalletInstance[];
  walletPids: number[];
  /** `http://127.0.0.1:<port>` of each instance. */
  walletUrls: string[];
  /** The origin every instance claims (rpID `localhost`). */
  publicOrigin: string;
  merchantOrigin: string;
  secretKey: string;
  /** Bearer token of every instance's `/metrics` (the bench reads the SQLite counters there). */
  metricsToken: string;
  stop(): Promise<void>;
}

export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const log = options.log ?? ((line: string) => console.error(line));
  const runDir = mkdtempSync(path.join(tmpdir(), 'paykey-bench-'));
  const undo: Array<() => Promise<void> | void> = [() => rmSync(runDir, { recursive: true, force: true })];
  const stop = async () => {
    while (undo.length > 0) {
      try {
        await undo.pop()!();
      } catch (error) {
        log(`bench: cleanup step failed: ${(error as Error).message}`);
      }
    }
  };
  try {
    const database = await prepareWalletDatabase(options.engine, runDir);
    undo.push(() => database.drop());
    if (options.beforeWallets) await options.beforeWallets(database);

    // A port of our choosing tells this bank's process apart from another stack's (the growth bench runs three).
    const bankPort = await freePort();
    const bank = await spawnSandboxBank({ dataDir: path.join(runDir, 'bank'), port: bankPort, latencyMs: options.bankLatencyMs });
    undo.push(() => bank.stop());
    const bankPid = findChildPid(bankMain, `${sandboxBankProfile.env.port}=${bankPort}`);

    const ports: number[] = [];
    for (let i = 0; i < options.instances; i++) ports.push(await freePort());
    const publicOrigin = `http://localhost:${ports[0]}`;
    const merchantOrigin = 'https://shop.bench.example';
    const secretKey = `sk_test_${randomBytes(18).toString('base64url')}`;
    const metricsToken = randomBytes(18).toString('base64url');
    const logDir = path.join(runDir, 'logs');
    mkdirSync(logDir, { recursive: true });
    const wallets: WalletInstance[] = [];
    const root = options.serverRoot ?? serverRoot;
    const walletPids: number[] = [];
    for (const [index, port] of ports.entries()) {
      const wallet = createWalletInstance({
        index,
        port,
        serverRoot: root,
        logDir,
        log,
        env: {
          PAYKEY_DATA_DIR: database.sqliteDataDir ?? path.join(runDir, `wallet-${index}-data`),
          BANK_URL: bank.url,
          BANK_API_KEY: bank.apiKey,
          PAYKEY_DEMO_SECRET_KEY: secretKey,
          PAYKEY_DEMO_MERCHANT_ORIGINS: merchantOrigin,
          PAYKEY_PUBLIC_ORIGIN: publicOrigin,
          // As behind one load balancer: each shopper is counted by the address it forwards (see load-shoppers.ts),
          // not all of them by 127.0.0.1 — one shared rate-limit row for 16 shoppers is a hot spot production has not.
          PAYKEY_TRUSTED_PROXY_HOPS: '1',
          PAYKEY_METRICS_TOKEN: metricsToken,
          ...database.env,
        },
      });
      // One after the other: the first migrates the database.
      await wallet.start();
      undo.push(() => wallet.stop());
      wallets.push(wallet);
      walletPids.push(findChildPid(path.join(root, 'server', 'main.ts'), `PAYKEY_PORT=${port}`));
    }
    await assertBankLatency(bank, options.bankLatencyMs);
    // On a shared machine the figures mean little without this.
    log(`bench: load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on this machine's cores`);
    return { runDir, database, bank, bankPid, wallets, walletPids, walletUrls: wallets.map((w) => w.url), publicOrigin, merchantOrigin, secretKey, metricsToken, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The figure the report prints must be the one the bank applies: one call takes at least that long. */
async function assertBankLatency(bank: SpawnedSandboxBank, latencyMs: number): Promise<void> {
  const t0 = performance.now();
  const result = await httpJson(`${bank.url}/v1/limits`, { headers: { authorization: `Bearer ${bank.apiKey}` } });
  const ms = performance.now() - t0;
  if (result.status !== 200) throw new Error(`bench: the sandbox bank's GET /v1/limits: expected 200, received ${result.status}`);
  if (ms < latencyMs) throw new Error(`bench: expected the sandbox bank to wait ${latencyMs} ms per call (SANDBOX_LATENCY_MS), it answered in ${ms.toFixed(1)} ms`);
}
