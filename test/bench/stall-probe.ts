/**
 * Pauses in the processes of a server benchmark, told apart from queueing: while the load runs, a GET of a path no
 * route serves goes to each server every 10 ms (one at a time per server), and this process's own event loop is timed
 * on a 5 ms timer. A 404 is answered in well under a millisecond of work, so one that takes over `STALL_THRESHOLD_MS`
 * means that server's event loop (or the machine) was held; the same pause seen by every server at once while this
 * process's loop ran on time points at what they share and this process does not, such as the disk (SQLite's COMMIT
 * waits on its fsync on the event loop, in the wallet and in the sandbox bank alike). Also reads the machine's iowait
 * share over the same time from `/proc/stat`.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { httpJson } from '../chaos/http-json.ts';

export interface StallReport {
  /** Per server: probes sent, and the ones over the threshold (start in ms from the probe's start, duration). */
  servers: Array<{ name: string; probes: number; slow: Array<{ atMs: number; ms: number }> }>;
  /** This process's event loop: the longest a 5 ms timer came late, in ms. */
  ownLoopLagMaxMs: number;
  /** Share of the machine's CPU time spent waiting for I/O while the probe ran (0…1); NaN without /proc/stat. */
  iowaitShare: number;
}

/** A 404 that takes longer than this is a pause, not queueing. */
export const STALL_THRESHOLD_MS = 100;
const PROBE_EVERY_MS = 10;
const LOOP_TICK_MS = 5;

export function startStallProbe(servers: Array<{ name: string; url: string }>): { stop(): Promise<StallReport> } {
  const started = performance.now();
  const cpuBefore = machineCpuTicks();
  let running = true;
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const probes = servers.map(async ({ name, url }) => {
    const report = { name, probes: 0, slow: [] as Array<{ atMs: number; ms: number }> };
    while (running) {
      const at = performance.now();
      await httpJson(`${url}/bench-stall-probe`, { timeoutMs: 10_000 });
      const ms = performance.now() - at;
      report.probes += 1;
      if (ms > STALL_THRESHOLD_MS) report.slow.push({ atMs: at - started, ms });
      await sleep(PROBE_EVERY_MS);
    }
    return report;
  });
  let lagMax = 0;
  const loop = (async () => {
    let last = performance.now();
    while (running) {
      await sleep(LOOP_TICK_MS);
      const now = performance.now();
      lagMax = Math.max(lagMax, now - last - LOOP_TICK_MS);
      last = now;
    }
  })();
  return {
    async stop() {
      running = false;
      const reports = await Promise.all(probes);
      await loop;
      const cpuAfter = machineCpuTicks();
      const iowaitShare = cpuBefore && cpuAfter ? (cpuAfter.iowait - cpuBefore.iowait) / (cpuAfter.total - cpuBefore.total) : Number.NaN;
      return { servers: reports, ownLoopLagMaxMs: lagMax, iowaitShare };
    },
  };
}

/** Pauses seen by every server within `withinMs` of each other: `{ atMs, ms }` of the shortest of each such set. */
export function pausesSeenByAll(report: StallReport, withinMs = 50): Array<{ atMs: number; ms: number }> {
  const [first, ...others] = report.servers;
  if (!first) return [];
  return first.slow
    .map((pause) => {
      const matches = others.map((server) => server.slow.find((other) => Math.abs(other.atMs - pause.atMs) <= withinMs));
      if (matches.some((match) => !match)) return undefined;
      return { atMs: pause.atMs, ms: Math.min(pause.ms, ...matches.map((match) => match!.ms)) };
    })
    .filter((pause): pause is { atMs: number; ms: number } => pause !== undefined);
}

/**
 * The machine's CPU ticks, all and iowait: the aggregate `cpu` line of /proc/stat, its first eight fields (guest time
 * is counted in user time already); undefined where there is none.
 */
function machineCpuTicks(): { total: number; iowait: number } | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
    return { total: fields.reduce((sum, n) => sum + n, 0), iowait: fields[4] ?? 0 };
  } catch {
    return undefined;
  }
}
