/**
 * Starts the sandbox bank (`demo/bank/main.ts`) as a real child process, and
 * waits for its READY line. `npm start` and the tests both run the bank this way.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { SandboxBankLimits } from './sandbox-bank-limits.ts';

export interface SpawnSandboxBankOptions {
  /** Where the bank keeps `sandbox-bank.sqlite`; created if missing. */
  dataDir: string;
  /** Defaults to a fresh random key. */
  apiKey?: string;
  /** `BANK_ADMIN_KEY`, which guards `/admin/faults` (fault injection); defaults to a fresh random key. */
  adminKey?: string;
  /** Default 0: any free port. */
  port?: number;
  /** How long to wait for `SANDBOX_BANK_READY`; default 20 s (tsx compiles on first start). */
  readyTimeoutMs?: number;
  /** `BANK_LIMITS`: a narrower bank than the sandbox bank's own limits (its adapter must be given the same). */
  limits?: SandboxBankLimits;
}

export interface SpawnedSandboxBank {
  /** `http://127.0.0.1:<port>` */
  url: string;
  apiKey: string;
  /** For `Authorization: Bearer <adminKey>` on `/admin/faults`. */
  adminKey: string;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. Safe to call twice. */
  stop(): Promise<void>;
  /** Resolves when the process exits, for whatever reason. */
  exited: Promise<void>;
  /** What the process wrote to stderr so far. */
  stderr(): string;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const bankMain = fileURLToPath(new URL('./main.ts', import.meta.url));
const READY = /^SANDBOX_BANK_READY (http:\/\/\S+)\s*$/m;

export function spawnSandboxBank(options: SpawnSandboxBankOptions): Promise<SpawnedSandboxBank> {
  const apiKey = options.apiKey ?? `sk_sandbox_${randomBytes(16).toString('hex')}`;
  const adminKey = options.adminKey ?? `bank_admin_${randomBytes(16).toString('hex')}`;
  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
  const child = spawn(process.execPath, ['--import', 'tsx', bankMain], {
    cwd: repoRoot,
    env: {
      ...process.env,
      BANK_PORT: String(options.port ?? 0),
      PAYKEY_DATA_DIR: options.dataDir,
      BANK_API_KEY: apiKey,
      BANK_ADMIN_KEY: adminKey,
      BANK_LIMITS: options.limits ? JSON.stringify(options.limits) : '',
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
  // A test runner that dies must not leave banks behind.
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

  return new Promise<SpawnedSandboxBank>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop().then(() =>
        reject(new Error(`sandbox bank did not start: ${why}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`)),
      );
    };
    const timer = setTimeout(
      () => fail(`expected a SANDBOX_BANK_READY line within ${readyTimeoutMs} ms, received none`),
      readyTimeoutMs,
    );
    const onData = (chunk: string) => {
      stdout += chunk;
      const match = READY.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      child.removeListener('exit', onEarlyExit);
      resolve({ url: match[1], apiKey, adminKey, stop, exited, stderr: () => stderr });
    };
    const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`the process exited (code ${code}, signal ${signal}) before printing SANDBOX_BANK_READY`);
    child.stdout.on('data', onData);
    child.once('exit', onEarlyExit);
    child.once('error', (error) => fail(`spawn failed: ${error.message}`));
  });
}
