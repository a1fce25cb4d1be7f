import { readOperatorBrand } from '../banks/operator-brand.ts';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { WalletServerOptions } from '../main.ts';
import { parseRateLimitSetting, RATE_LIMIT_NAMES, rateLimitEnvName, type RateLimitName, type RateLimitSetting } from '../rate-limits/rate-limit-policy.ts';
import { DEMO_MERCHANT_COUNTRY, DEMO_MERCHANT_MCC } from '../store/merchants.ts';
import { DEFAULT_BANK_TIMEOUT_MS, DEFAULT_WORKER_SETTINGS, type WorkerSettings } from './worker-settings.ts';

/** Every environment variable the wallet server reads, and what it sets. */
const WORKER_ENV: Record<keyof WorkerSettings, string> = {
  pollMs: 'PAYKEY_WORKER_POLL_MS',
  concurrency: 'PAYKEY_WORKER_CONCURRENCY',
  graceMs: 'PAYKEY_UNKNOWN_GRACE_MS',
  reviewAfterMs: 'PAYKEY_REVIEW_AFTER_MS',
  retryBaseMs: 'PAYKEY_RETRY_BASE_MS',
  retryMaxMs: 'PAYKEY_RETRY_MAX_MS',
  housekeepingMs: 'PAYKEY_HOUSEKEEPING_MS',
  ledgerCheckMs: 'PAYKEY_LEDGER_CHECK_MS',
};

/**
 * The wallet server's options from the environment; throws one clear error
 * naming the variable, what was expected and what was received.
 */
export function readEnvConfig(env: NodeJS.ProcessEnv): WalletServerOptions & { generatedSecretKey: boolean } {
  const secretKey = env.PAYKEY_DEMO_SECRET_KEY || `sk_test_${randomBytes(24).toString('base64url')}`;
  const workers = Object.fromEntries(
    (Object.keys(WORKER_ENV) as Array<keyof WorkerSettings>)
      .filter((key) => env[WORKER_ENV[key]] !== undefined && env[WORKER_ENV[key]] !== '')
      .map((key) => [key, nonNegativeInteger(env, WORKER_ENV[key])]),
  ) as Partial<WorkerSettings>;
  if (workers.concurrency === 0) throw new Error('PAYKEY_WORKER_CONCURRENCY: expected at least 1, received 0');
  const rateLimits: Partial<Record<RateLimitName, RateLimitSetting>> = {};
  for (const name of RATE_LIMIT_NAMES) {
    const variable = rateLimitEnvName(name);
    const text = env[variable];
    if (text === undefined || text === '') continue;
    try {
      rateLimits[name] = parseRateLimitSetting(text);
    } catch (error) {
      throw new Error(`${variable}: ${(error as Error).message}`);
    }
  }
  return {
    port: env.PAYKEY_PORT ? nonNegativeInteger(env, 'PAYKEY_PORT') : 8787,
    publicOrigin: env.PAYKEY_PUBLIC_ORIGIN || undefined,
    database: env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: path.resolve(env.PAYKEY_DATA_DIR ?? '.data') },
    bank: {
      baseUrl: env.BANK_URL ?? 'http://127.0.0.1:8788',
      apiKey: env.BANK_API_KEY ?? '',
      timeoutMs: env.PAYKEY_BANK_TIMEOUT_MS ? nonNegativeInteger(env, 'PAYKEY_BANK_TIMEOUT_MS') : DEFAULT_BANK_TIMEOUT_MS,
    },
    lotusBank: lotusBankFrom(env),
    demoMerchant: {
      secretKey,
      origins: (env.PAYKEY_DEMO_MERCHANT_ORIGINS ?? 'http://127.0.0.1:8789').split(',').map((o) => o.trim()).filter(Boolean),
      displayName: 'Demo Shop',
      ...demoMerchantCategoryFrom(env),
    },
    workers: { ...DEFAULT_WORKER_SETTINGS, ...workers },
    metricsToken: env.PAYKEY_METRICS_TOKEN || undefined,
    clientSecretKey: env.PAYKEY_CLIENT_SECRET_KEY || undefined,
    instanceId: env.PAYKEY_INSTANCE_ID || undefined,
    rateLimits,
    trustedProxyHops: env.PAYKEY_TRUSTED_PROXY_HOPS ? nonNegativeInteger(env, 'PAYKEY_TRUSTED_PROXY_HOPS') : 0,
    accountPayment: accountPaymentFrom(env),
    operatorBrand: readOperatorBrand(env.PAYKEY_OPERATOR_BRAND),
    generatedSecretKey: !env.PAYKEY_DEMO_SECRET_KEY,
  };
}

/**
 * The demo merchant's category code (`PAYKEY_DEMO_MERCHANT_MCC`, four digits, default 5499) and country
 * (`PAYKEY_DEMO_MERCHANT_COUNTRY`, two letters, default US): what banks match their offers on.
 */
export function demoMerchantCategoryFrom(env: NodeJS.ProcessEnv): { mcc: string; country: string } {
  const mcc = env.PAYKEY_DEMO_MERCHANT_MCC || DEMO_MERCHANT_MCC;
  if (!/^\d{4}$/.test(mcc)) {
    throw new Error(`PAYKEY_DEMO_MERCHANT_MCC: expected a merchant category code of four digits (ISO 18245, e.g. "5499"), received ${JSON.stringify(mcc)}`);
  }
  const country = env.PAYKEY_DEMO_MERCHANT_COUNTRY || DEMO_MERCHANT_COUNTRY;
  if (!/^[A-Za-z]{2}$/.test(country)) {
    throw new Error(`PAYKEY_DEMO_MERCHANT_COUNTRY: expected a country of two letters (ISO 3166-1 alpha-2, e.g. "US"), received ${JSON.stringify(country)}`);
  }
  return { mcc, country: country.toUpperCase() };
}

/** Lotus Bank's cards, offered only when `LOTUS_BANK_URL` names the bank; its key is `LOTUS_BANK_API_KEY`. */
export function lotusBankFrom(env: NodeJS.ProcessEnv): WalletServerOptions['lotusBank'] {
  if (!env.LOTUS_BANK_URL) return undefined;
  if (!URL.canParse(env.LOTUS_BANK_URL)) throw new Error(`LOTUS_BANK_URL: expected an http(s) URL, received ${JSON.stringify(env.LOTUS_BANK_URL)}`);
  if (!env.LOTUS_BANK_API_KEY) throw new Error('LOTUS_BANK_API_KEY: expected the API key Lotus Bank gave the wallet (LOTUS_BANK_URL is set), received nothing');
  return { baseUrl: env.LOTUS_BANK_URL, apiKey: env.LOTUS_BANK_API_KEY };
}

/**
 * Pay by bank, offered only when `OB_BANK_URL` names an Open Banking bank (Meridian): the wallet's client id there
 * (`OB_CLIENT_ID`, default `paykey-wallet`), its signing key in `$PAYKEY_DATA_DIR/open-banking-signing-key.pem`,
 * the merchant's receiving account (`OB_PAYEE_NAME`, `OB_PAYEE_ACCOUNT`: sort code + account number, 14 digits;
 * default Meridian's demo shop account) and how long a consent may wait for the shopper (`OB_CONSENT_TIMEOUT_MS`).
 */
export function accountPaymentFrom(env: NodeJS.ProcessEnv): WalletServerOptions['accountPayment'] {
  if (!env.OB_BANK_URL) return undefined;
  if (!URL.canParse(env.OB_BANK_URL)) throw new Error(`OB_BANK_URL: expected an http(s) URL, received ${JSON.stringify(env.OB_BANK_URL)}`);
  const account = env.OB_PAYEE_ACCOUNT ?? '04000487654321';
  if (!/^\d{14}$/.test(account)) throw new Error(`OB_PAYEE_ACCOUNT: expected a sort code and account number (14 digits), received ${JSON.stringify(account)}`);
  return {
    baseUrl: env.OB_BANK_URL,
    clientId: env.OB_CLIENT_ID || 'paykey-wallet',
    signingKeyFile: path.join(path.resolve(env.PAYKEY_DATA_DIR ?? '.data'), 'open-banking-signing-key.pem'),
    payee: { name: env.OB_PAYEE_NAME || 'Paykey Demo Shop Ltd', schemeName: 'UK.OBIE.SortCodeAccountNumber', identification: account },
    ...(env.OB_CONSENT_TIMEOUT_MS ? { consentTimeoutMs: nonNegativeInteger(env, 'OB_CONSENT_TIMEOUT_MS') } : {}),
  };
}

function nonNegativeInteger(env: NodeJS.ProcessEnv, name: string): number {
  const text = env[name] ?? '';
  if (!/^\d+$/.test(text.trim())) throw new Error(`${name}: expected a whole number, received ${JSON.stringify(text)}`);
  return Number(text.trim());
}
