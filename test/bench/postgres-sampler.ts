/**
 * What the PostgreSQL bench watches while payments run, every `intervalMs`: lock requests that are waiting
 * (`pg_locks WHERE NOT granted`, in the wallet's database) and the CPU time of every process involved — each wallet,
 * the bank, PostgreSQL (the postmaster and all its backends, which come and go: each pid's CPU is counted from when
 * it was first seen), this bench process, and the rest of the machine's busy time (other jobs on a shared host).
 */
import pg from 'pg';
import { commandLine, cpuSeconds, machineBusySeconds, parentPid, selfAndDescendants } from './process-stats.ts';

export interface SampledProcess {
  name: string;
  /** One pid, or a root whose whole process tree is summed (PostgreSQL). */
  pid: number;
  tree?: boolean;
}

export interface SamplerResult {
  wallMs: number;
  /** CPU seconds per wall second, per named process (1.0 = one core). */
  cpu: { process: string; share: number }[];
  /** Lock requests seen waiting, summed over the samples. */
  lockWaits: number;
  /** Samples in which at least one lock request was waiting. */
  samplesWithWaits: number;
  samples: number;
  /** What waited (lock type, mode, the statement's start), each distinct one once, so the optimisers know where to look. */
  waiters: string[];
}

export interface Sampler {
  stop(): Promise<SamplerResult>;
}

export async function startSampler(databaseUrl: string, processes: SampledProcess[], intervalMs = 100): Promise<Sampler> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const t0 = performance.now();
  const benchCpu0 = process.cpuUsage();
  const machine0 = machineBusySeconds();
  // Per named process: pid → [CPU seconds when first seen (0 if born after the start), when last seen].
  const seen = processes.map(() => new Map<number, [number, number]>());
  const readCpu = (first: boolean) => {
    processes.forEach((p, i) => {
      for (const pid of p.tree ? selfAndDescendants(p.pid) : [p.pid]) {
        const now = cpuSeconds(pid);
        const known = seen[i].get(pid);
        if (known) known[1] = now;
        else seen[i].set(pid, [first ? now : 0, now]);
      }
    });
  };
  readCpu(true);
  let lockWaits = 0;
  let samplesWithWaits = 0;
  let samples = 0;
  const waiters = new Set<string>();
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      const { rows } = await client.query<{ locktype: string; mode: string; query: string }>(
        `SELECT l.locktype, l.mode, left(a.query, 160) AS query FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE NOT l.granted AND a.datname = current_database() AND a.pid <> pg_backend_pid()`,
      );
      const waiting = rows.length;
      for (const row of rows) waiters.add(`${row.locktype} ${row.mode}: ${row.query.replace(/\s+/g, ' ')}`);
      lockWaits += waiting;
      if (waiting > 0) samplesWithWaits += 1;
      samples += 1;
      readCpu(false);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      readCpu(false);
      const wallMs = performance.now() - t0;
      const bench = process.cpuUsage(benchCpu0);
      await client.end();
      const cpu = processes.map((p, i) => ({
        process: p.name,
        share: [...seen[i].values()].reduce((sum, [first, last]) => sum + (last - first), 0) / (wallMs / 1000),
      }));
      cpu.push({ process: 'bench (load generator)', share: (bench.user + bench.system) / 1000 / wallMs });
      // The rest of the machine (other jobs on a shared host): what ours could not use.
      const ours = cpu.reduce((sum, c) => sum + c.share, 0);
      cpu.push({ process: 'everything else on the machine', share: Math.max(0, (machineBusySeconds() - machine0) / (wallMs / 1000) - ours) });
      return { wallMs, cpu, lockWaits, samplesWithWaits, samples, waiters: [...waiters] };
    },
  };
}

/** The postmaster of the server behind `databaseUrl`, when it runs on this machine: the parent of our backend. */
export async function postmasterPid(databaseUrl: string): Promise<number | undefined> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    // Another machine's server (DATABASE_URL): that pid here is not its backend (or is nobody), and its CPU is not ours to read.
    const backend = rows[0].pid;
    return commandLine(backend).some((arg) => arg.includes('postgres')) ? parentPid(backend) : undefined;
  } finally {
    await client.end();
  }
}
