/**
 * Meridian Bank, the sandbox Open Banking bank (UK Open Banking Read/Write API v4.0, Payment Initiation):
 * its own HTTP process with its own SQLite ledger.
 *
 *   tsx demo/open-banking/main.ts
 *
 * Env: OB_BANK_PORT (8790; 0 = any free port), PAYKEY_DATA_DIR (./.data: meridian-bank.sqlite and
 * meridian-bank-signing-key.pem), OB_BANK_ADMIN_KEY (optional: guards /admin/*, the test controls; unset,
 * /admin/* is 404), OB_BANK_CLIENTS (JSON list of registered clients, see oauth/client-registry.ts; default none).
 * Prints `MERIDIAN_BANK_READY http://127.0.0.1:<port>` once listening.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isMainModule } from '../shared/is-main-module.ts';
import { listenBankApp } from '../shared/listen-bank-app.ts';
import { parsePortEnv } from '../shared/parse-port-env.ts';
import { runBankProcess } from '../shared/run-bank-process.ts';
import { createMeridianApp } from './create-meridian-app.ts';
import { loadBankSigningKey } from './jose/bank-signing-key.ts';
import { openMeridianLedger } from './ledger/open-meridian-ledger.ts';
import { createClientRegistry, parseClientList, type RegisteredClient } from './oauth/client-registry.ts';
import { createSpecValidator } from './spec/create-spec-validator.ts';

export interface MeridianBankOptions {
  /** 0 = any free port. */
  port: number;
  dataDir: string;
  clients: RegisteredClient[];
  adminKey?: string;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface RunningMeridianBank {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

export async function startMeridianBank(options: MeridianBankOptions): Promise<RunningMeridianBank> {
  const { port, dataDir, clients, adminKey, host = '127.0.0.1' } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`startMeridianBank: expected port to be an integer 0–65535, received ${String(port)}`);
  }
  if (adminKey !== undefined && adminKey.length === 0) {
    throw new TypeError('startMeridianBank: expected adminKey to be a non-empty key or absent, received an empty string');
  }
  mkdirSync(dataDir, { recursive: true });
  const registry = createClientRegistry(clients);
  const spec = await createSpecValidator();
  const signingKey = loadBankSigningKey(join(dataDir, 'meridian-bank-signing-key.pem'));
  const ledger = await openMeridianLedger(join(dataDir, 'meridian-bank.sqlite'));
  const { app } = createMeridianApp({ ledger, spec, signingKey, clients: registry, adminKey });

  return listenBankApp({ bankName: 'Meridian Bank', fetch: app.fetch, port, host, destroyLedger: () => ledger.destroy() });
}

async function runFromCommandLine(): Promise<void> {
  const port = parsePortEnv('Meridian Bank', 'OB_BANK_PORT', '8790');
  const dataDir = resolve(process.env.PAYKEY_DATA_DIR ?? './.data');
  const adminKey = process.env.OB_BANK_ADMIN_KEY || undefined;
  await runBankProcess({
    bankName: 'Meridian Bank',
    readyWord: 'MERIDIAN_BANK_READY',
    start: () => {
      const clients = process.env.OB_BANK_CLIENTS ? parseClientList(process.env.OB_BANK_CLIENTS) : [];
      return startMeridianBank({ port, dataDir, clients, adminKey });
    },
  });
}

if (isMainModule(import.meta.url)) await runFromCommandLine();
