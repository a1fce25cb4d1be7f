import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import type { BankBrand } from './adapters/bank-adapter.ts';
import { createBankRegistry, type BankDirectory } from './adapters/registry.ts';
import { createLotusBankAdapter } from './adapters/lotus-bank.ts';
import { createSandboxBankAdapter } from './adapters/sandbox-bank.ts';
import type { AccountPaymentPayee } from './adapters/open-banking/account-payment-adapter.ts';
import { createMeridianBankAdapter } from './adapters/open-banking/meridian-bank.ts';
import { createWalletJwksApp } from './adapters/open-banking/wallet-jwks-app.ts';
import { loadWalletSigningKey } from './adapters/open-banking/wallet-signing-key.ts';
import type { AccountPaymentBank } from './payments/account-payment-bank.ts';
import { createGrantSeal } from './payments/grant-seal.ts';
import { OPEN_BANKING_CALLBACK_PATH } from './routes/open-banking-callback.ts';
import { createApp } from './app.ts';
import { readEnvConfig } from './config/read-env-config.ts';
import { DEFAULT_BANK_TIMEOUT_MS, DEFAULT_WORKER_SETTINGS, type WorkerSettings } from './config/worker-settings.ts';
import { createJsonLogger, type Logger } from './http/logger.ts';
import { redactingLogger } from './http/redacting-logger.ts';
import { startJobWorker, type JobWorker } from './jobs/job-worker.ts';
import { countUnfinishedJobs, recoverJobsAtStartup } from './jobs/leased-queue.ts';
import { instrumentedBanks } from './metrics/instrumented-adapter.ts';
import { createMetrics } from './metrics/metrics.ts';
import { createBankOutboxWorker } from './payments/bank-outbox-worker.ts';
import { pruneIdempotencyKeys, releaseClaimsOf } from './payments/idempotency.ts';
import { countIntentsByStatus } from './payments/payment-intents.ts';
import { pruneExpiredQuotes } from './payments/payment-quotes.ts';
import { reconcileLedger } from './payments/reconcile-ledger.ts';
import { resolveRateLimits, type RateLimitName, type RateLimitSetting } from './rate-limits/rate-limit-policy.ts';
import { pruneRateLimitWindows } from './rate-limits/rate-limit-store.ts';
import { createRateLimiter } from './rate-limits/rate-limiter.ts';
import { startPeriodicTasks } from './jobs/periodic-tasks.ts';
import { createClientSecrets, loadClientSecretKey } from './security/client-secrets.ts';
import { releaseDueCardTokens } from './shoppers/card-release.ts';
import { pruneExpiredSessions } from './shoppers/sessions.ts';
import { openDatabase, sqliteDriverStats, type DatabaseConfig } from './store/database.ts';
import { seedDemoMerchant, type MerchantSeed } from './store/merchants.ts';
import { pruneExpiredChallenges } from './webauthn/challenges.ts';
import { createWebhookDelivery, type WebhookDeliveryDeps } from './webhooks/webhook-delivery.ts';
import { webhookEndpointRoutes } from './webhooks/webhook-endpoint-routes.ts';

export interface WalletServerOptions {
  port: number;                 // 0 = any free port
  publicOrigin?: string;        // default `http://localhost:${actualPort}`; rpID = its hostname
  /** PostgreSQL (`databaseUrl`, several processes may share it) or SQLite in `dataDir` (one process). */
  database: DatabaseConfig;
  bank: { baseUrl: string; apiKey: string; timeoutMs?: number };
  /** Lotus Bank (CNY cards, FX quotes, fees), registered next to the sandbox bank; unset = not offered. */
  lotusBank?: { baseUrl: string; apiKey: string };
  /** Seeded/updated on start; its category code and country (what banks match offers on) default to a US tea shop's, 5499. */
  demoMerchant?: Pick<MerchantSeed, 'secretKey' | 'origins' | 'displayName' | 'mcc' | 'country'>;
  distDir?: string;             // built widget, default `<repo>/dist/widget`
  /** Clock; tests move it to expire challenges and sessions and to make retries due. */
  now?: () => Date;
  logger?: Logger;
  /** Replaces the bank registry built from `bank` (tests wrap the adapter to break its transport). */
  banks?: BankDirectory;
  /** Worker timings; defaults in config/worker-settings.ts. */
  workers?: Partial<WorkerSettings>;
  /** Enables `GET /metrics` for this bearer token. */
  metricsToken?: string;
  /** The key client secrets are derived with; required on PostgreSQL; on SQLite default: a random one in `<dataDir>/client-secret.key`. */
  clientSecretKey?: string;
  /** This process's name in job leases; stable across restarts so a restarted process takes its jobs back at once. */
  instanceId?: string;
  /** Webhook delivery timings (tests shorten them); defaults in webhooks/webhook-delivery.ts. */
  webhooks?: Pick<WebhookDeliveryDeps, 'timeoutMs' | 'backoff' | 'maxAgeMs' | 'fetch'>;
  /** Limits replacing the defaults of rate-limits/rate-limit-policy.ts, by name (`'off'` = none). */
  rateLimits?: Partial<Record<RateLimitName, RateLimitSetting>>;
  /** Proxies in front of the server appending to `X-Forwarded-For`; default 0 (rate limits count the TCP peer). */
  trustedProxyHops?: number;
  /** Pay by bank with Meridian Bank (Open Banking); unset = not offered. */
  accountPayment?: AccountPaymentOptions;
  /** The wallet operator's brand (`readOperatorBrand`: PAYKEY_OPERATOR_BRAND); default Paykey's. */
  operatorBrand?: BankBrand;
}

/** Pay by bank: the bank, the wallet's client registration there, and the account it pays. */
export interface AccountPaymentOptions {
  /** Meridian's origin (`OB_BANK_URL`). */
  baseUrl: string;
  /** The wallet's client id at the bank (`OB_CLIENT_ID`); registered with redirect URI `<public origin>/ob/callback`. */
  clientId: string;
  /** The wallet's signing key (PEM; generated there the first time), published at `/.well-known/jwks.json`. */
  signingKeyFile: string;
  /** The merchant's account that receives the payments. */
  payee: AccountPaymentPayee;
  timeoutMs?: number;
  /** A consent the shopper has not approved by then fails `consent_expired`; default 10 minutes. */
  consentTimeoutMs?: number;
}

export interface WalletServer {
  url: string;
  close(): Promise<void>;
  /** Runs every due job of every worker now, until none is left (tests). */
  runWorkersNow(): Promise<void>;
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Opens and migrates the database, seeds the demo merchant, listens on
 * 127.0.0.1 and starts the workers (each with a pass at once, so a restarted
 * server finishes what a crashed one left in flight).
 */
export async function startWalletServer(options: WalletServerOptions): Promise<WalletServer> {
  const now = options.now ?? (() => new Date());
  // Every log line, the injected logger's too, goes through the redaction.
  const logger = redactingLogger(options.logger ?? createJsonLogger());
  const settings = { ...DEFAULT_WORKER_SETTINGS, ...options.workers };
  const bankTimeoutMs = options.bank.timeoutMs ?? DEFAULT_BANK_TIMEOUT_MS;
  const rateLimitPolicy = resolveRateLimits(options.rateLimits);
  const trustedProxyHops = options.trustedProxyHops ?? 0;
  if (!Number.isSafeInteger(trustedProxyHops) || trustedProxyHops < 0) {
    throw new TypeError(`trustedProxyHops: expected a whole number ≥ 0, received ${trustedProxyHops}`);
  }
  const distDir = path.resolve(options.distDir ?? path.join(repoRoot, 'dist', 'widget'));
  if (!existsSync(distDir)) logger.warn('widget_not_built', { distDir, hint: 'run `npm run build`' });

  const configuredBanks =
    options.banks ??
    createBankRegistry([
      createSandboxBankAdapter({ ...options.bank, timeoutMs: bankTimeoutMs }),
      ...(options.lotusBank ? [createLotusBankAdapter({ ...options.lotusBank, timeoutMs: bankTimeoutMs })] : []),
    ]);
  const db = await openDatabase(options.database);
  if (options.demoMerchant) await seedDemoMerchant(db, options.demoMerchant, now());
  const clientSecrets = createClientSecrets(await loadClientSecretKey(db, options.database, options.clientSecretKey));
  const { metrics, registry } = createMetrics({
    intentsByStatus: () => countIntentsByStatus(db),
    bankBacklog: () => countUnfinishedJobs(db, 'bank_jobs'),
    webhookBacklog: () => countUnfinishedJobs(db, 'webhook_deliveries'),
    // Only the embedded SQLite driver has these; PostgreSQL's own statistics are PostgreSQL's.
    ...(sqliteDriverStats(db) && { sqliteStats: () => sqliteDriverStats(db) }),
  });
  const banks = instrumentedBanks(configuredBanks, metrics);

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
  const workerId = options.instanceId ?? `${hostname()}:${port}`;

  // A job may take a send, a lookup, a re-send and a lookup: its lease covers them all.
  const leaseMs = 4 * bankTimeoutMs + 2_000;
  const lease = { workerId, leaseMs };
  const accountPayments = options.accountPayment ? accountPaymentBank(options.accountPayment, publicOrigin, bankTimeoutMs, logger) : undefined;
  const outbox = createBankOutboxWorker({
    db,
    banks,
    accountPayments,
    logger,
    now,
    metrics,
    workerId,
    settings: { graceMs: settings.graceMs, reviewAfterMs: settings.reviewAfterMs, backoff: { baseMs: settings.retryBaseMs, maxMs: settings.retryMaxMs }, leaseMs },
  });
  // What this process (or its previous life, under the same instance id) had claimed is free again, and due now.
  await recoverJobsAtStartup(db, 'bank_jobs', workerId, now());
  await recoverJobsAtStartup(db, 'webhook_deliveries', workerId, now(), { dueNow: false });
  await releaseClaimsOf(db, workerId);
  const webhooks = createWebhookDelivery({ db, logger, now, workerId, ...options.webhooks });

  app = createApp({
    logger,
    hosts: [new URL(publicOrigin).host, `localhost:${port}`, `127.0.0.1:${port}`],
    merchant: { db, now, logger, clientSecrets, outbox, lease, extraRoutes: { '/webhook_endpoints': webhookEndpointRoutes({ db, now, workerId }) } },
    shopper: {
      db, banks, publicOrigin, now, logger, outbox, lease, accountPayments, operatorBrand: options.operatorBrand,
      rateLimiter: createRateLimiter({ db, now, policy: rateLimitPolicy, trustedProxyHops }),
    },
    assets: { db, distDir },
    metrics: { registry, token: options.metricsToken },
    openBanking: accountPayments && { callback: { db, now, logger, outbox, accountPayments }, jwks: accountPayments.jwks },
  });

  const workers: JobWorker[] = [
    startJobWorker({
      name: 'bank_outbox',
      pollMs: settings.pollMs,
      concurrency: settings.concurrency,
      jobTimeoutMs: leaseMs,
      claim: async (limit) => {
        metrics.workerPass('bank_outbox');
        return outbox.claim(limit);
      },
      run: outbox.run,
      logger,
    }),
    startJobWorker({
      name: 'webhooks',
      pollMs: settings.pollMs,
      concurrency: settings.concurrency,
      jobTimeoutMs: webhooks.leaseMs,
      claim: async (limit) => {
        metrics.workerPass('webhooks');
        return webhooks.claim(limit);
      },
      run: webhooks.run,
      logger,
    }),
  ];
  const periodic = startPeriodicTasks(
    {
      prune_idempotency_keys: { everyMs: settings.housekeepingMs, run: () => pruneIdempotencyKeys(db, now()) },
      prune_webauthn_challenges: { everyMs: settings.housekeepingMs, run: () => pruneExpiredChallenges(db, now()).then(() => {}) },
      prune_sessions: { everyMs: settings.housekeepingMs, run: () => pruneExpiredSessions(db, now()).then(() => {}) },
      release_card_tokens: { everyMs: settings.housekeepingMs, run: () => releaseDueCardTokens({ db, banks, now, logger }).then(() => {}) },
      prune_rate_limits: { everyMs: settings.housekeepingMs, run: () => pruneRateLimitWindows(db, now()).then(() => {}) },
      prune_payment_quotes: { everyMs: settings.housekeepingMs, run: () => pruneExpiredQuotes(db, now()).then(() => {}) },
      // The same check as `npm run reconcile`, over two intervals so nothing falls between passes.
      ledger_check: {
        everyMs: settings.ledgerCheckMs,
        run: async () => {
          const since = new Date(now().getTime() - 2 * Math.max(settings.ledgerCheckMs, 60_000));
          for (const bank of configuredBanks.all()) {
            const report = await reconcileLedger(db, bank, since);
            metrics.workerPass('ledger_check');
            metrics.ledgerMismatches(report.mismatches.length);
            for (const m of report.mismatches) logger.error('ledger_mismatch', { alert: true, bank: report.bank, kind: m.kind, reference: m.reference, detail: m.detail });
          }
        },
      },
    },
    logger,
  );
  logger.info('wallet_server_started', { url: `http://localhost:${port}`, publicOrigin, workerId });

  let closing: Promise<void> | undefined;
  return {
    url: `http://localhost:${port}`,
    async runWorkersNow() {
      await Promise.all(workers.map((worker) => worker.drain()));
      await periodic.runAll();
    },
    close() {
      closing ??= (async () => {
        await Promise.all([...workers.map((worker) => worker.stop()), periodic.stop()]);
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

/** The pay-by-bank bank (Meridian), its redirect URI on this server, the sealed-grant key and the JWKS sub-app. */
function accountPaymentBank(options: AccountPaymentOptions, publicOrigin: string, timeoutMs: number, logger: Logger): AccountPaymentBank & { jwks: Hono } {
  const signingKey = loadWalletSigningKey(options.signingKeyFile);
  return {
    adapter: createMeridianBankAdapter({
      baseUrl: options.baseUrl,
      clientId: options.clientId,
      signingKey,
      redirectUri: `${publicOrigin}${OPEN_BANKING_CALLBACK_PATH}`,
      timeoutMs: options.timeoutMs ?? timeoutMs,
      log: (line) => logger.warn('account_payment_bank', { detail: line }),
    }),
    payee: options.payee,
    grantSeal: createGrantSeal(signingKey.privateKey),
    consentTimeoutMs: options.consentTimeoutMs ?? 10 * 60_000,
    jwks: createWalletJwksApp([signingKey]),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let config: ReturnType<typeof readEnvConfig>;
  try {
    config = readEnvConfig(process.env);
  } catch (error) {
    console.error(`Paykey wallet server did not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  const server = await startWalletServer(config).catch((error: unknown) => {
    console.error(`Paykey wallet server did not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
  console.log(`Paykey wallet server on ${server.url}`);
  if (config.generatedSecretKey) console.log(`Demo merchant secret key: ${config.demoMerchant!.secretKey}`);
  console.log(`PAYKEY_WALLET_READY ${server.url}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
