/**
 * Starts Meridian Bank (`demo/open-banking/main.ts`) as a real child process and waits for its READY line.
 * `npm start` and the tests both run the bank this way.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { RegisteredClient } from './oauth/client-registry.ts';

export interface SpawnMeridianBankOptions {
  /** Where the bank keeps meridian-bank.sqlite and its signing key; created if missing. */
  dataDir: string;
  /** The TPPs the bank knows (OB_BANK_CLIENTS). */
  clients: RegisteredClient[];
  /** OB_BANK_ADMIN_KEY, which guards /admin/* (test controls); defaults to a fresh random key. */
  adminKey?: string;
  /** Default 0: any free port. */
  port?: number;
  /** How long to wait for MERIDIAN_BANK_READY; default 30 s (tsx compiles, the document is validated). */
  readyTimeoutMs?: number;
}

export interface SpawnedMeridianBank {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `${url}/open-banking/v4.0/pisp` */
  apiUrl: string;
  adminKey: string;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. Safe to call twice. */
  stop(): Promise<void>;
  exited: Promise<void>;
  /** What the process wrote to stderr so far. */
  stderr(): string;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const bankMain = fileURLToPath(new URL('./main.ts', import.meta.url));
const READY = /^MERIDIAN_BANK_READY (http:\/\/\S+)\s*$/m;

export function spawnMeridianBank(options: SpawnMeridianBankOptions): Promise<SpawnedMeridianBank> {
  const adminKey = options.adminKey ?? `ob_admin_${randomBytes(16).toString('hex')}`;
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const child = spawn(process.execPath, ['--import', 'tsx', bankMain], {
    cwd: repoRoot,
    env: {
      ...process.env,
      OB_BANK_PORT: String(options.port ?? 0),
      PAYKEY_DATA_DIR: options.dataDir,
      OB_BANK_ADMIN_KEY: adminKey,
      OB_BANK_CLIENTS: JSON.stringify(options.clients),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      process.removeListener('exit', killOnExit);
    })();
    return stopping;
  };

  return new Promise<SpawnedMeridianBank>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`Meridian Bank did not start: ${why}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`)));
    };
    const timer = setTimeout(() => fail(`expected a MERIDIAN_BANK_READY line within ${readyTimeoutMs} ms, received none`), readyTimeoutMs);
    const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`the process exited (code ${code}, signal ${signal}) before printing MERIDIAN_BANK_READY`);
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      const match = READY.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      child.removeListener('exit', onEarlyExit);
      resolve({ url: match[1], apiUrl: `${match[1]}/open-banking/v4.0/pisp`, adminKey, stop, exited, stderr: () => stderr });
    });
    child.once('exit', onEarlyExit);
    child.once('error', (error) => fail(`spawn failed: ${error.message}`));
  });
}
