/**
 * The sandbox bank as its own process (`spawnSandboxBank`) on a fixed port, so
 * a SIGKILL and restart keeps the URL the wallets were given. Its fault rules
 * live in memory, so whoever restarts it re-applies them (see main.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawnSandboxBank, type SpawnedSandboxBank } from '../../demo/bank/spawn-sandbox-bank.ts';
import { freePort } from '../support/free-port.ts';

const bankMain = fileURLToPath(new URL('../../demo/bank/main.ts', import.meta.url));

export interface BankProcess {
  url: string;
  apiKey: string;
  adminKey: string;
  crashes: number;
  /** SIGKILL, then start again on the same port with the same keys and ledger. */
  crashAndRestart(): Promise<void>;
  /** Everything every bank process wrote to stderr (one line per injected fault). */
  stderr(): string;
  stop(): Promise<void>;
}

export async function startBankProcess(dataDir: string): Promise<BankProcess> {
  const port = await freePort();
  let current: SpawnedSandboxBank = await spawnSandboxBank({ dataDir, port });
  const { apiKey, adminKey } = current;
  const previousStderr: string[] = [];
  const bank: BankProcess = {
    url: current.url,
    apiKey,
    adminKey,
    crashes: 0,
    async crashAndRestart() {
      const pid = bankPid();
      if (pid === undefined) {
        // No /proc (not Linux): a SIGTERM stop is the closest we can do.
        await current.stop();
      } else {
        process.kill(pid, 'SIGKILL');
        await current.exited;
        await current.stop(); // Only unhooks its exit handler now.
      }
      previousStderr.push(current.stderr());
      current = await spawnSandboxBank({ dataDir, port, apiKey, adminKey });
      bank.crashes += 1;
    },
    stderr: () => [...previousStderr, current.stderr()].join('\n'),
    stop: () => current.stop(),
  };
  return bank;
}

/** spawnSandboxBank does not hand out its child: find our child process running demo/bank/main.ts. */
function bankPid(): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmdline.includes(bankMain)) return Number(entry);
    } catch {
      // The process went away while we looked.
    }
  }
  return undefined;
}
