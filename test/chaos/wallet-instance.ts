/**
 * One wallet server process (`node --import tsx server/main.ts`) on a fixed
 * port, that can be SIGKILLed and started again with the same env. Its output
 * goes to a log file in the run directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import { generousRateLimitEnv } from '../support/wallet-harness.ts';

/** Today's line, and the one the server will print. */
const READY = /^(?:PAYKEY_WALLET_READY|Paykey wallet server on) (https?:\/\/\S+)\s*$/m;
const READY_TIMEOUT_MS = 60_000;

export interface WalletInstance {
  readonly index: number;
  readonly port: number;
  /** `http://127.0.0.1:<port>`: where requests go (the server listens on loopback IPv4). */
  readonly url: string;
  /** Up = started and not killed since. */
  readonly up: boolean;
  /** When the current process printed its READY line (ms since epoch). */
  readonly readyAt: number;
  /** Exits we did not cause (the server crashed by itself). */
  readonly unexpectedExits: number;
  start(): Promise<void>;
  /** SIGKILL; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (SIGKILL after 5 s); for the end of the run. */
  stop(): Promise<void>;
  /** The last lines of its log (for error messages). */
  tail(): string;
}

export interface WalletInstanceOptions {
  index: number;
  port: number;
  serverRoot: string;
  env: Record<string, string>;
  logDir: string;
  log: (line: string) => void;
}

export function createWalletInstance(options: WalletInstanceOptions): WalletInstance {
  const { index, port, serverRoot, env, logDir, log } = options;
  const logFile: WriteStream = createWriteStream(path.join(logDir, `wallet-${index}.log`), { flags: 'a' });
  let child: ChildProcess | undefined;
  let up = false;
  let readyAt = 0;
  let unexpectedExits = 0;
  let recent: string[] = [];
  const killOnExit = () => child?.kill('SIGKILL');
  process.on('exit', killOnExit);

  const remember = (chunk: string) => {
    logFile.write(chunk);
    recent = [...recent, ...chunk.split('\n').filter((line) => line.trim() !== '')].slice(-40);
  };

  const instance: WalletInstance = {
    index,
    port,
    url: `http://127.0.0.1:${port}`,
    get up() {
      return up;
    },
    get readyAt() {
      return readyAt;
    },
    get unexpectedExits() {
      return unexpectedExits;
    },
    tail: () => recent.join('\n'),

    start() {
      remember(`\n=== chaos: starting wallet ${index} at ${new Date().toISOString()}\n`);
      // PAYKEY_WALLET_CPU_PROF=<dir>: each wallet writes a V8 CPU profile there when it exits (for finding hot spots).
      const profile = process.env.PAYKEY_WALLET_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PAYKEY_WALLET_CPU_PROF}`] : [];
      const proc = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(serverRoot, 'server', 'main.ts')], {
        cwd: serverRoot,
        // DATABASE_URL only as this run gives it: a SQLite run must not inherit one from the shell.
        // Every request comes from 127.0.0.1: rate limits a thousand times the defaults (still counted, on every instance).
        env: { ...process.env, DATABASE_URL: '', ...generousRateLimitEnv(), ...env, PAYKEY_PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = proc;
      let stdout = '';
      proc.stdout!.setEncoding('utf8');
      proc.stderr!.setEncoding('utf8');
      proc.stderr!.on('data', remember);
      return new Promise<void>((resolve, reject) => {
        let ready = false;
        const timer = setTimeout(() => {
          proc.kill('SIGKILL');
          reject(new Error(`wallet ${index} printed no READY line within ${READY_TIMEOUT_MS} ms:\n${instance.tail()}`));
        }, READY_TIMEOUT_MS);
        proc.stdout!.on('data', (chunk: string) => {
          remember(chunk);
          if (ready) return;
          stdout += chunk;
          if (!READY.test(stdout)) return;
          ready = true;
          up = true;
          readyAt = Date.now();
          clearTimeout(timer);
          resolve();
        });
        proc.once('exit', (code, signal) => {
          up = false;
          if (!ready) {
            clearTimeout(timer);
            reject(new Error(`wallet ${index} exited (code ${code}, signal ${signal}) before it was ready:\n${instance.tail()}`));
          } else if (child === proc) {
            // Not killed by us (kill() and stop() clear `child` first).
            if (code === 0 || signal === 'SIGINT' || signal === 'SIGTERM') {
              log(`chaos: wallet ${index} was stopped from outside (code ${code}, signal ${signal})`);
              return; // Ctrl-C in the terminal reaches the whole process group: we are shutting down too.
            }
            unexpectedExits += 1;
            log(`chaos: wallet ${index} exited by itself (code ${code}, signal ${signal}); restarting it`);
            void instance.start().catch((error: Error) => log(`chaos: wallet ${index} did not restart: ${error.message}`));
          }
        });
      });
    },

    async kill() {
      const proc = child;
      child = undefined;
      up = false;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGKILL');
      await exited;
      remember(`\n=== chaos: SIGKILLed wallet ${index} at ${new Date().toISOString()}\n`);
    },

    async stop() {
      const proc = child;
      child = undefined;
      up = false;
      process.removeListener('exit', killOnExit);
      if (proc && proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      await new Promise<void>((resolve) => logFile.end(() => resolve()));
    },
  };
  return instance;
}
