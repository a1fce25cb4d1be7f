/**
 * A real wallet server for tests: real SQLite in a fresh temp directory, or a
 * fresh database on a real PostgreSQL when `PAYKEY_TEST_DB=postgres` (see
 * test-postgres.ts); real HTTP on a free port, a movable clock, logs captured
 * instead of printed.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { spawnLotusBank, type SpawnedLotusBank } from '../../demo/lotus/spawn-lotus-bank.ts';
import type { BankDirectory } from '../../server/adapters/registry.ts';
import { startWalletServer, type WalletServer, type WalletServerOptions } from '../../server/main.ts';
import { DEFAULT_RATE_LIMITS, RATE_LIMIT_NAMES, rateLimitEnvName, type RateLimitName, type RateLimitSetting } from '../../server/rate-limits/rate-limit-policy.ts';
import type { DatabaseConfig } from '../../server/store/database.ts';
import { createTestClock, type TestClock } from './test-clock.ts';
import { createTestDatabase, startTestPostgres } from './test-postgres.ts';

export const MERCHANT_ORIGIN = 'http://127.0.0.1:8789';

/** Which engine the server tests run on: `PAYKEY_TEST_DB=postgres`, else SQLite. */
export const TEST_ENGINE: 'sqlite' | 'postgres' = process.env.PAYKEY_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

export interface TestWallet {
  url: string;
  secretKey: string;
  merchantOrigin: string;
  clock: TestClock;
  dataDir: string;
  /** The server's stable instance id (kept across `restart`), as in job leases and idempotency claims. */
  instanceId: string;
  /** How to open the wallet's database (SQLite file or PostgreSQL URL). */
  database: DatabaseConfig;
  /** Every log line the server wrote, to prove what is (not) logged. */
  logs: string[];
  server: WalletServer;
  /**
   * Lotus Bank's own process (CNY cards 5555 5555 5555 4444 / 5105 1051 0510 5100, FX quotes, fees), registered
   * next to the sandbox bank as adapter "lotus" — only with `startTestWallet({ lotus: true })`; stopped by `close()`.
   */
  lotus?: SpawnedLotusBank;
  /** Raw SQL on a second connection (`?` placeholders on both engines), for tests that look at or tamper with rows. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Stops this server (as a crash would, but gracefully) and starts another on the same database, clock and port; `url` and `server` change. */
  restart(options?: Pick<TestWalletOptions, 'banks' | 'workers'>): Promise<void>;
  /** A second server process on the same database and clock (as a second instance behind a load balancer); the caller closes it. */
  startAnotherInstance(): Promise<WalletServer>;
  /** `fetch` against the wallet with a JSON body. */
  request(method: string, pathname: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export interface TestWalletOptions {
  bank?: { baseUrl: string; apiKey: string };
  banks?: BankDirectory;
  distDir?: string;
  workers?: WalletServerOptions['workers'];
  metricsToken?: string;
  webhooks?: WalletServerOptions['webhooks'];
  /** Limits on top of the harness's (every default × 1000, so tests that are not about limits never meet one). */
  rateLimits?: Partial<Record<RateLimitName, RateLimitSetting>>;
  trustedProxyHops?: number;
  /** Pay by bank (Meridian); `signingKeyFile` defaults to one in the test's data directory. */
  accountPayment?: Omit<NonNullable<WalletServerOptions['accountPayment']>, 'signingKeyFile'> & { signingKeyFile?: string };
  /** Listen on this port (default 0: any free one) — pay by bank registers the wallet's URLs with the bank first. */
  port?: number;
  /** Start Lotus Bank as its own process and register its adapter ("lotus") after the sandbox bank (`wallet.lotus`). Ignored with `banks`. */
  lotus?: boolean;
}

/** Every rate limit a thousand times the default: tests send many requests from one address. */
export const GENEROUS_RATE_LIMITS = Object.fromEntries(
  RATE_LIMIT_NAMES.map((name) => [name, { ...DEFAULT_RATE_LIMITS[name], limit: DEFAULT_RATE_LIMITS[name].limit * 1000 }]),
) as Record<RateLimitName, RateLimitSetting>;

/** The same as environment variables, for a server started as a process (the chaos run, the end-to-end demo). */
export function generousRateLimitEnv(): Record<string, string> {
  return Object.fromEntries(
    RATE_LIMIT_NAMES.map((name) => [rateLimitEnvName(name), `${DEFAULT_RATE_LIMITS[name].limit * 1000}/${DEFAULT_RATE_LIMITS[name].windowMs / 1000}s`]),
  );
}

/** An empty database on the test engine (SQLite in `dataDir`, or a fresh PostgreSQL database) and how to remove it. */
export async function createEmptyTestDatabase(): Promise<{ database: DatabaseConfig; dataDir: string; drop(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'paykey-wallet-'));
  const pgDatabase = TEST_ENGINE === 'postgres' ? await createTestDatabase(await sharedPostgresUrl()) : undefined;
  return {
    database: pgDatabase ? { databaseUrl: pgDatabase.url } : { dataDir },
    dataDir,
    async drop() {
      await pgDatabase?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startTestWallet(options: TestWalletOptions = {}): Promise<TestWallet> {
  const lotusDir = options.lotus ? mkdtempSync(path.join(tmpdir(), 'paykey-lotus-')) : undefined;
  const lotus = lotusDir ? await spawnLotusBank({ dataDir: lotusDir }) : undefined;
  const stopLotus = async () => {
    await lotus?.stop();
    if (lotusDir) rmSync(lotusDir, { recursive: true, force: true });
  };
  try {
    return await startWalletWith(options, lotus, stopLotus);
  } catch (error) {
    await stopLotus();
    throw error;
  }
}

async function startWalletWith(options: TestWalletOptions, lotus: SpawnedLotusBank | undefined, stopLotus: () => Promise<void>): Promise<TestWallet> {
  const empty = await createEmptyTestDatabase();
  const { database, dataDir } = empty;
  const secretKey = `sk_test_${randomBytes(16).toString('hex')}`;
  // PostgreSQL needs the deployment's client-secret key configured (SQLite keeps one in a file in dataDir); every instance shares it.
  const clientSecretKey = database.databaseUrl ? randomBytes(32).toString('base64url') : undefined;
  const instanceId = `test-${randomBytes(4).toString('hex')}`;
  const clock = createTestClock();
  const logs: string[] = [];
  const write = (level: string) => (event: string, fields: Record<string, unknown> = {}) =>
    logs.push(JSON.stringify({ level, event, ...fields }));
  const serverOptions = (overrides: Pick<TestWalletOptions, 'banks' | 'workers'> = {}): WalletServerOptions => ({
    port: options.port ?? 0,
    database,
    bank: options.bank ?? { baseUrl: 'http://127.0.0.1:9', apiKey: 'unused' },
    ...(lotus ? { lotusBank: { baseUrl: lotus.url, apiKey: lotus.apiKey } } : {}),
    banks: options.banks,
    demoMerchant: { secretKey, origins: [MERCHANT_ORIGIN], displayName: 'Demo Shop' },
    distDir: options.distDir ?? path.join(dataDir, 'no-widget-build'),
    now: clock.now,
    logger: { info: write('info'), warn: write('warn'), error: write('error') },
    // Tests run passes themselves (`runWorkersNow`) unless they ask for a real interval.
    workers: { pollMs: 3_600_000, ...options.workers, ...overrides.workers },
    metricsToken: options.metricsToken,
    clientSecretKey,
    instanceId,
    webhooks: options.webhooks,
    rateLimits: { ...GENEROUS_RATE_LIMITS, ...options.rateLimits },
    trustedProxyHops: options.trustedProxyHops,
    ...(options.accountPayment ? { accountPayment: { signingKeyFile: path.join(dataDir, 'open-banking-signing-key.pem'), ...options.accountPayment } } : {}),
    ...(overrides.banks ? { banks: overrides.banks } : {}),
  });
  const server = await startWalletServer(serverOptions());
  const raw = openRawConnection(database, dataDir);
  const wallet: TestWallet = {
    url: server.url,
    secretKey,
    merchantOrigin: MERCHANT_ORIGIN,
    clock,
    dataDir,
    instanceId,
    database,
    logs,
    server,
    ...(lotus ? { lotus } : {}),
    query: raw.query,
    async restart(overrides) {
      await wallet.server.close();
      wallet.server = await startWalletServer(serverOptions(overrides));
      wallet.url = wallet.server.url;
    },
    startAnotherInstance: () => startWalletServer({ ...serverOptions(), instanceId: `${instanceId}-b` }),
    request(method, pathname, body, headers = {}) {
      return fetch(new URL(pathname, wallet.url), {
        method,
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
    },
    async close() {
      await raw.close();
      await wallet.server.close();
      await empty.drop();
      await stopLotus();
    },
  };
  return wallet;
}

function openRawConnection(database: DatabaseConfig, dataDir: string) {
  if (database.databaseUrl) {
    const pool = new pg.Pool({ connectionString: database.databaseUrl, max: 2, types: { getTypeParser: (oid: number, format?: string) => (oid === 20 || oid === 1700 ? Number : pg.types.getTypeParser(oid, format as 'text')) } as pg.CustomTypesConfig });
    return {
      async query<T>(text: string, params: unknown[] = []): Promise<T[]> {
        let n = 0;
        return (await pool.query(text.replace(/\?/g, () => `$${++n}`), params)).rows as T[];
      },
      close: () => pool.end(),
    };
  }
  const sqlite = new SQLite(path.join(dataDir, 'paykey.sqlite'));
  sqlite.pragma('busy_timeout = 5000');
  return {
    async query<T>(text: string, params: unknown[] = []): Promise<T[]> {
      const statement = sqlite.prepare(text);
      return statement.reader ? (statement.all(...params) as T[]) : (statement.run(...params), []);
    },
    close: async () => void sqlite.close(),
  };
}

let sharedPostgres: Promise<string> | undefined;

/** `PAYKEY_TEST_PG_URL` from `npm test`, or one embedded server for this test process. */
function sharedPostgresUrl(): Promise<string> {
  if (process.env.PAYKEY_TEST_PG_URL) return Promise.resolve(process.env.PAYKEY_TEST_PG_URL);
  sharedPostgres ??= startTestPostgres({ untilExit: true }).then((server) => server.adminUrl);
  return sharedPostgres;
}
