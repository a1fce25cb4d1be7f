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
import { mkdirSync, realpathSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
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

  let server: ReturnType<typeof serve>;
  let address: AddressInfo;
  try {
    ({ server, address } = await new Promise<{ server: ReturnType<typeof serve>; address: AddressInfo }>((resolveListen, reject) => {
      const listening = serve({ fetch: app.fetch, port, hostname: host }, (info) => resolveListen({ server: listening, address: info }));
      listening.once('error', reject);
    }));
  } catch (error) {
    await ledger.destroy();
    throw new Error(`Meridian Bank could not listen on ${host}:${port}: ${(error as Error).message}`, { cause: error });
  }
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    close() {
      closing ??= (async () => {
        await new Promise<void>((done) => {
          server.close(() => done());
          if ('closeIdleConnections' in server) server.closeIdleConnections();
        });
        await ledger.destroy();
      })();
      return closing;
    },
  };
}

async function runFromCommandLine(): Promise<void> {
  const portText = process.env.OB_BANK_PORT ?? '8790';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    console.error(`Meridian Bank: expected OB_BANK_PORT to be a port number 0–65535, received ${JSON.stringify(portText)}`);
    process.exit(1);
  }
  const dataDir = resolve(process.env.PAYKEY_DATA_DIR ?? './.data');
  const adminKey = process.env.OB_BANK_ADMIN_KEY || undefined;
  let bank: RunningMeridianBank;
  try {
    const clients = process.env.OB_BANK_CLIENTS ? parseClientList(process.env.OB_BANK_CLIENTS) : [];
    bank = await startMeridianBank({ port, dataDir, clients, adminKey });
  } catch (error) {
    console.error(`Meridian Bank: ${(error as Error).message}`);
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    bank.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Meridian Bank: failed to close after ${signal}: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  console.log(`MERIDIAN_BANK_READY ${bank.url}`);
}

function isMainModule(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMainModule()) await runFromCommandLine();
