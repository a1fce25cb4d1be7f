import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import { createBankRegistry } from './adapters/registry.ts';
import { createSandboxBankAdapter } from './adapters/sandbox-bank.ts';
import { createApp, type BankDirectory } from './app.ts';
import { createJsonLogger, type Logger } from './http/logger.ts';
import { redactingLogger } from './http/redacting-logger.ts';
import { pruneIdempotencyKeys } from './payments/idempotency.ts';
import { startReconciler } from './payments/reconcile.ts';
import { pruneExpiredSessions } from './shoppers/sessions.ts';
import { openDatabase } from './store/database.ts';
import { seedDemoMerchant } from './store/merchants.ts';
import { pruneExpiredChallenges } from './webauthn/challenges.ts';

export interface WalletServerOptions {
  port: number;                 // 0 = any free port
  publicOrigin?: string;        // default `http://localhost:${actualPort}`; rpID = its hostname
  dataDir: string;              // SQLite at `${dataDir}/paykey.sqlite`, created + migrated on start
  bank: { baseUrl: string; apiKey: string };
  demoMerchant?: { secretKey: string; origins: string[]; displayName?: string }; // seeded/updated on start
  distDir?: string;             // built widget, default `<repo>/dist/widget`
  /** Clock; tests move it to expire challenges and sessions. */
  now?: () => Date;
  logger?: Logger;
  /** Replaces the bank registry built from `bank` (tests wrap the adapter to break its transport). */
  banks?: BankDirectory;
  /** How often the reconciler (and the pruning of expired challenges, sessions and idempotency keys) runs, and how long before it re-sends a charge the bank never saw. */
  reconcile?: { intervalMs?: number; graceMs?: number };
}

export interface WalletServer {
  url: string;
  close(): Promise<void>;
  /** One reconciliation and housekeeping pass now (tests). */
  reconcileNow(): Promise<void>;
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Opens and migrates the database, seeds the demo merchant, listens on 127.0.0.1 and starts the reconciler. */
export async function startWalletServer(options: WalletServerOptions): Promise<WalletServer> {
  const now = options.now ?? (() => new Date());
  // Every log line, the injected logger's too, goes through the redaction.
  const logger = redactingLogger(options.logger ?? createJsonLogger());
  const distDir = path.resolve(options.distDir ?? path.join(repoRoot, 'dist', 'widget'));
  if (!existsSync(distDir)) logger.warn('widget_not_built', { distDir, hint: 'run `npm run build`' });

  const banks = options.banks ?? createBankRegistry([createSandboxBankAdapter(options.bank)]);
  const db = await openDatabase(options.dataDir);
  if (options.demoMerchant) await seedDemoMerchant(db, options.demoMerchant, now());

  // The rpID depends on the port, so the app is built once the port is known.
  let app: Hono | undefined;
  const server = createAdaptorServer({
    fetch: (request, env) => (app ? app.fetch(request, env) : new Response('starting', { status: 503 })),
    hostname: '127.0.0.1',
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const publicOrigin = new URL(options.publicOrigin ?? `http://localhost:${port}`).origin;
  app = createApp({ db, banks, publicOrigin, distDir, now, logger });

  const reconciler = startReconciler(
    { db, banks, logger, now },
    {
      intervalMs: options.reconcile?.intervalMs ?? 5_000,
      graceMs: options.reconcile?.graceMs ?? 30_000,
      // Rows that only ever expire: nothing reads them once they have.
      housekeeping: {
        prune_idempotency_keys: async (d) => void (await pruneIdempotencyKeys(d.db, d.now())),
        prune_webauthn_challenges: async (d) => void (await pruneExpiredChallenges(d.db, d.now())),
        prune_sessions: async (d) => void (await pruneExpiredSessions(d.db, d.now())),
      },
    },
  );
  logger.info('wallet_server_started', { url: `http://localhost:${port}`, publicOrigin });

  let closing: Promise<void> | undefined;
  return {
    url: `http://localhost:${port}`,
    reconcileNow: () => reconciler.runOnce(),
    close() {
      closing ??= (async () => {
        await reconciler.stop();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
        await db.destroy();
      })();
      return closing;
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const env = process.env;
  const secretKey = env.PAYKEY_DEMO_SECRET_KEY || `sk_test_${randomBytes(24).toString('base64url')}`;
  const server = await startWalletServer({
    port: Number(env.PAYKEY_PORT ?? 8787),
    dataDir: path.resolve(env.PAYKEY_DATA_DIR ?? '.data'),
    bank: { baseUrl: env.BANK_URL ?? 'http://127.0.0.1:8788', apiKey: env.BANK_API_KEY ?? '' },
    demoMerchant: {
      secretKey,
      origins: (env.PAYKEY_DEMO_MERCHANT_ORIGINS ?? 'http://127.0.0.1:8789').split(',').map((o) => o.trim()).filter(Boolean),
      displayName: 'Demo Shop',
    },
  }).catch((error: unknown) => {
    console.error(`Paykey wallet server did not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
  console.log(`Paykey wallet server on ${server.url}`);
  if (!env.PAYKEY_DEMO_SECRET_KEY) console.log(`Demo merchant secret key: ${secretKey}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
