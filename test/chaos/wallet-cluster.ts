/**
 * The N wallet server processes sharing one database: started with the same
 * env (one public origin, so a passkey works against all of them), and a
 * request helper that spreads calls across the instances that are up.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../support/free-port.ts';
import { httpJson, sleep, type HttpRequest, type HttpResult } from './http-json.ts';
import type { Random } from './random.ts';
import { createWalletInstance, type WalletInstance } from './wallet-instance.ts';

export interface WalletCluster {
  instances: WalletInstance[];
  /** `http://localhost:<port of instance 0>`: the origin every instance claims (rpID `localhost`). */
  publicOrigin: string;
  merchantOrigin: string;
  secretKey: string;
  /** One request to a random instance that is up (waits while none is). */
  request(pathname: string, request?: HttpRequest): Promise<HttpResult & { instance: number }>;
  stop(): Promise<void>;
}

export interface WalletClusterOptions {
  instances: number;
  serverRoot: string;
  runDir: string;
  bank: { url: string; apiKey: string };
  /** DATABASE_URL for PostgreSQL; without it each instance uses SQLite in its data dir. */
  databaseEnv: Record<string, string>;
  /** SQLite's (shared) data dir; PostgreSQL runs give each instance its own, so a server ignoring DATABASE_URL cannot share a SQLite file. */
  sqliteDataDir?: string;
  secretKey: string;
  merchantOrigin: string;
  random: Random;
  log: (line: string) => void;
}

/** How long a request waits for some instance to be up (restarts take a second or two) before it counts as unanswered. */
const NONE_UP_WAIT_MS = 30_000;

/** Server settings for a chaos run: short bank timeout, fast workers, short grace and back-off. */
export const CHAOS_SERVER_TUNING: Record<string, string> = {
  PAYKEY_BANK_TIMEOUT_MS: '2000',
  PAYKEY_WORKER_POLL_MS: '250',
  PAYKEY_WORKER_CONCURRENCY: '8',
  // Must exceed the bank's `timeout` hold (3 s, see fault-plan.ts): re-sending earlier would race the held first call.
  PAYKEY_UNKNOWN_GRACE_MS: '4000',
  PAYKEY_RETRY_BASE_MS: '500',
  PAYKEY_RETRY_MAX_MS: '2000',
  PAYKEY_REVIEW_AFTER_MS: '600000',
};

export async function startWalletCluster(options: WalletClusterOptions): Promise<WalletCluster> {
  const ports: number[] = [];
  for (let i = 0; i < options.instances; i++) ports.push(await freePort());
  const publicOrigin = `http://localhost:${ports[0]}`;
  const logDir = path.join(options.runDir, 'logs');
  mkdirSync(logDir, { recursive: true });

  const instances = ports.map((port, index) => {
    const dataDir = options.sqliteDataDir ?? path.join(options.runDir, `wallet-${index}-data`);
    return createWalletInstance({
      index,
      port,
      serverRoot: options.serverRoot,
      logDir,
      log: options.log,
      env: {
        PAYKEY_DATA_DIR: dataDir,
        BANK_URL: options.bank.url,
        BANK_API_KEY: options.bank.apiKey,
        PAYKEY_DEMO_SECRET_KEY: options.secretKey,
        PAYKEY_DEMO_MERCHANT_ORIGINS: options.merchantOrigin,
        PAYKEY_PUBLIC_ORIGIN: publicOrigin,
        ...CHAOS_SERVER_TUNING,
        ...options.databaseEnv,
      },
    });
  });
  // One after the other: the first migrates the database.
  for (const instance of instances) await instance.start();

  return {
    instances,
    publicOrigin,
    merchantOrigin: options.merchantOrigin,
    secretKey: options.secretKey,
    async request(pathname, request = {}) {
      const giveUpAt = Date.now() + NONE_UP_WAIT_MS;
      for (;;) {
        const up = instances.filter((i) => i.up);
        if (up.length > 0) {
          const instance = options.random.pick(up);
          return { ...(await httpJson(`${instance.url}${pathname}`, request)), instance: instance.index };
        }
        if (Date.now() > giveUpAt) return { status: 0, error: `no wallet instance up for ${NONE_UP_WAIT_MS} ms`, instance: -1 };
        await sleep(50);
      }
    },
    stop: async () => void (await Promise.all(instances.map((i) => i.stop()))),
  };
}
