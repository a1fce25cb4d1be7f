/**
 * Starts a bank's `main.ts` as a real child process and waits for its `<readyWord> <url>` line.
 * `npm start` and the tests run both sandbox banks (the card bank and Meridian) this way.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface SpawnBankProcessOptions {
  /** How errors name the bank, e.g. `sandbox bank`. */
  bankName: string;
  /** Absolute path of the bank's main.ts. */
  main: string;
  /** Added to this process's environment. */
  env: Record<string, string>;
  /** e.g. `SANDBOX_BANK_READY`. */
  readyWord: string;
  readyTimeoutMs: number;
}

export interface SpawnedBankProcess {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. Safe to call twice. */
  stop(): Promise<void>;
  /** Resolves when the process exits, for whatever reason. */
  exited: Promise<void>;
  /** What the process wrote to stderr so far. */
  stderr(): string;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export function spawnBankProcess(options: SpawnBankProcessOptions): Promise<SpawnedBankProcess> {
  const { bankName, readyWord, readyTimeoutMs } = options;
  const ready = new RegExp(`^${readyWord} (http:\\/\\/\\S+)\\s*$`, 'm');
  const child = spawn(process.execPath, ['--import', 'tsx', options.main], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
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

  return new Promise<SpawnedBankProcess>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop().then(() =>
        reject(new Error(`${bankName} did not start: ${why}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`)),
      );
    };
    const timer = setTimeout(() => fail(`expected a ${readyWord} line within ${readyTimeoutMs} ms, received none`), readyTimeoutMs);
    const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`the process exited (code ${code}, signal ${signal}) before printing ${readyWord}`);
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      const match = ready.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      child.removeListener('exit', onEarlyExit);
      resolve({ url: match[1], stop, exited, stderr: () => stderr });
    });
    child.once('exit', onEarlyExit);
    child.once('error', (error) => fail(`spawn failed: ${error.message}`));
  });
}
