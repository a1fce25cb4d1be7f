/**
 * Meridian Bank as its own process, with the wallet registered as a client whose JWKS is served by the
 * wallet's own sub-app (wallet-jwks-app.ts) on a real HTTP server; the adapter under test; the bank's admin
 * controls (balances, scenarios, faults); and every log line the adapters wrote, for the scrub test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { spawnMeridianBank, type SpawnedMeridianBank } from '../../demo/open-banking/spawn-meridian-bank.ts';
import type { AccountPaymentAdapter } from '../../server/adapters/open-banking/account-payment-adapter.ts';
import { createMeridianBankAdapter, type MeridianBankAdapterOptions } from '../../server/adapters/open-banking/meridian-bank.ts';
import { createWalletJwksApp, WALLET_JWKS_PATH } from '../../server/adapters/open-banking/wallet-jwks-app.ts';
import { loadWalletSigningKey, WALLET_SIGNING_KEY_FILE, type WalletSigningKey } from '../../server/adapters/open-banking/wallet-signing-key.ts';

export const WALLET_CLIENT_ID = 'paykey-wallet';
export const WALLET_REDIRECT_URI = 'http://127.0.0.1:9/ob/callback';

export interface MeridianWalletFixture {
  bank: SpawnedMeridianBank;
  signingKey: WalletSigningKey;
  walletDataDir: string;
  jwksUrl: string;
  /** Every line adapters made by `adapter()` logged. */
  logs: string[];
  adapter(changes?: Partial<MeridianBankAdapterOptions>): AccountPaymentAdapter;
  admin(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: any }>;
  balances(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

export interface StartMeridianForWalletOptions {
  /** The wallet's key (published at its JWKS); default one generated in the wallet's data directory. */
  signingKey?: WalletSigningKey;
}

export async function startMeridianForWallet(options: StartMeridianForWalletOptions = {}): Promise<MeridianWalletFixture> {
  const walletDataDir = mkdtempSync(join(tmpdir(), 'paykey-wallet-ob-'));
  const bankDataDir = mkdtempSync(join(tmpdir(), 'paykey-meridian-adapter-'));
  const signingKey = options.signingKey ?? loadWalletSigningKey(join(walletDataDir, WALLET_SIGNING_KEY_FILE));
  const jwksApp = createWalletJwksApp([signingKey]);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const listening = serve({ fetch: jwksApp.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(listening));
  });
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${WALLET_JWKS_PATH}`;
  let bank: SpawnedMeridianBank;
  try {
    bank = await spawnMeridianBank({ dataDir: bankDataDir, clients: [{ clientId: WALLET_CLIENT_ID, redirectUris: [WALLET_REDIRECT_URI], jwksUri: jwksUrl }] });
  } catch (error) {
    server.close();
    throw error;
  }
  const logs: string[] = [];

  const admin = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) => {
    const response = await fetch(`${bank.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${bank.adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  return {
    bank,
    signingKey,
    walletDataDir,
    jwksUrl,
    logs,
    adapter: (changes = {}) =>
      createMeridianBankAdapter({
        baseUrl: bank.url,
        clientId: WALLET_CLIENT_ID,
        signingKey,
        redirectUri: WALLET_REDIRECT_URI,
        timeoutMs: 5_000,
        log: (line) => logs.push(line),
        ...changes,
      }),
    admin,
    async balances() {
      const answer = await admin('GET', '/admin/accounts');
      return Object.fromEntries((answer.body.accounts as Array<{ identification: string; balance: number }>).map((a) => [a.identification, a.balance]));
    },
    async stop() {
      await bank.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(walletDataDir, { recursive: true, force: true });
      rmSync(bankDataDir, { recursive: true, force: true });
    },
  };
}
