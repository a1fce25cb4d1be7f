import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '../support/free-port.ts';
import { generousRateLimitEnv } from '../support/wallet-harness.ts';

export interface DemoStack {
  shopUrl: string;
  walletUrl: string;
  bankUrl: string;
  secretKey: string;
  bankApiKey: string;
  /** Switches the bank's faults (`PUT <bankUrl>/admin/faults`); the demo prints it in its READY line. */
  bankAdminKey: string;
  /** Lotus Bank (CNY cards 5555 5555 5555 4444 / 5105 1051 0510 5100), its API key and its admin key (`/admin/faults`). */
  lotus: { url: string; apiKey: string; adminKey: string };
  /** Meridian Bank (Open Banking sandbox) and its admin key, when the demo runs it. */
  meridian: { url: string; adminKey: string } | null;
  dataDir: string;
  /** Everything the demo printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Runs `demo/start.ts` exactly as `npm start` does (minus the build), on free ports and a fresh data directory.
 * `env` adds settings (say, a short `PAYKEY_BANK_TIMEOUT_MS`), as an operator would set them.
 */
export async function startDemoStack(env: Record<string, string> = {}): Promise<DemoStack> {
  const [walletPort, bankPort, shopPort, lotusPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'paykey-e2e-'));
  const secretKey = `sk_test_${randomBytes(18).toString('base64url')}`;
  const bankApiKey = `bank_sk_${randomBytes(18).toString('base64url')}`;
  const lotusApiKey = `lotus_sk_${randomBytes(18).toString('base64url')}`;
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, '../../demo/start.ts')], {
    env: {
      ...process.env,
      PAYKEY_PORT: String(walletPort),
      BANK_PORT: String(bankPort),
      SHOP_PORT: String(shopPort),
      PAYKEY_DATA_DIR: dataDir,
      PAYKEY_DEMO_SECRET_KEY: secretKey,
      BANK_API_KEY: bankApiKey,
      LOTUS_BANK_PORT: String(lotusPort),
      LOTUS_BANK_API_KEY: lotusApiKey,
      PAYKEY_DEMO_MERCHANT_ORIGINS: `http://127.0.0.1:${shopPort}`,
      // A fresh SQLite database, whatever PostgreSQL the shell points at.
      DATABASE_URL: '',
      // Every test's browser is 127.0.0.1: rate limits a thousand times the defaults.
      ...generousRateLimitEnv(),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk) => (output += chunk));
  const urls = await new Promise<{ shop: string; wallet: string; bank: string; bankAdminKey: string; lotus: { url: string; adminKey: string }; meridian: DemoStack['meridian'] }>((resolveReady, reject) => {
    // Four processes start (wallet, two card banks, Meridian); on a busy machine that can take a while. Given up on,
    // the demo is stopped (it stops its banks), so no process outlives the test.
    const timer = setTimeout(() => {
      reject(new Error(`demo/start.ts printed no PAYKEY_DEMO_READY line within 60 s. Output:\n${output}`));
      void stopProcess(child);
    }, 60_000);
    child.once('exit', (code) => reject(new Error(`demo/start.ts exited with code ${code} before it was ready. Output:\n${output}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output += `${line}\n`;
      const match = /^PAYKEY_DEMO_READY (.+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolveReady(JSON.parse(match[1]));
      }
    });
  });
  return {
    shopUrl: urls.shop,
    walletUrl: urls.wallet,
    bankUrl: urls.bank,
    secretKey,
    bankApiKey,
    bankAdminKey: urls.bankAdminKey,
    lotus: { url: urls.lotus.url, apiKey: lotusApiKey, adminKey: urls.lotus.adminKey },
    meridian: urls.meridian ?? null,
    dataDir,
    output: () => output,
    stop: () => stopProcess(child).finally(() => rmSync(dataDir, { recursive: true, force: true })),
  };
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}
