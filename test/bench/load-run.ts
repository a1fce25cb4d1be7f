/**
 * The load generator: `concurrency` workers take numbered jobs from one counter until `total` are done, each job
 * timed from its start to its end. A job that throws stops the run (a benchmark of failing payments measures nothing).
 */
import { performance } from 'node:perf_hooks';

export interface LoadResult {
  jobs: number;
  elapsedMs: number;
  perS: number;
  /** Milliseconds per job, in completion order. */
  latencies: number[];
}

/** `job(n, worker)`: worker is 0…concurrency-1 (a worker may own a shopper). */
export async function runLoad(concurrency: number, total: number, job: (n: number, worker: number) => Promise<void>): Promise<LoadResult> {
  if (!(Number.isInteger(concurrency) && concurrency > 0)) throw new TypeError(`runLoad: expected concurrency ≥ 1, received ${concurrency}`);
  const latencies: number[] = [];
  let next = 0;
  let failed = false;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (!failed && next < total) {
        const n = next++;
        const t0 = performance.now();
        try {
          await job(n, worker);
        } catch (error) {
          failed = true;
          throw error;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  return { jobs: total, elapsedMs, perS: (total * 1000) / elapsedMs, latencies };
}

/** Nearest-rank percentile of unsorted samples; NaN for none. */
export function percentileOf(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
