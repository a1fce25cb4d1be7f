import type { Logger } from '../http/logger.ts';

export interface JobWorkerOptions {
  /** For logs, e.g. "bank_outbox". */
  name: string;
  /** How long to sleep when nothing is due (a `wake()` cuts it short). */
  pollMs: number;
  /** At most this many jobs run at once: one held bank call cannot stall the rest. */
  concurrency: number;
  /** A job running longer than this is abandoned (its lease expires and it is tried again). */
  jobTimeoutMs: number;
  /** Claims up to `limit` due jobs; returns their ids. */
  claim(limit: number): Promise<string[]>;
  /** Runs one claimed job; it records its own outcome or its next try. */
  run(id: string): Promise<void>;
  logger: Logger;
}

export interface JobWorker {
  /** Look for due jobs now (a job was just queued). */
  wake(): void;
  /** Runs every due job, and any that become due meanwhile, until none is left (tests, and the start-up pass). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A polling worker with bounded parallelism. It starts with a pass at once, so
 * a server restarted after a crash finishes what the crashed one left in flight.
 */
export function startJobWorker(options: JobWorkerOptions): JobWorker {
  const running = new Set<Promise<void>>();
  let stopped = false;
  let wakeUp: (() => void) | undefined;
  let draining: Promise<void> | undefined;

  const runOne = (id: string) => {
    const job = withTimeout(options.run(id), options.jobTimeoutMs).catch((error: unknown) => {
      options.logger.error('job_failed', { worker: options.name, job: id, error: messageOf(error) });
    });
    const tracked = job.finally(() => running.delete(tracked));
    running.add(tracked);
  };

  /** Fills free slots with due jobs until there are none and nothing runs. */
  const drain = () =>
    (draining ??= (async () => {
      try {
        for (;;) {
          let claimed: string[] = [];
          try {
            if (!stopped) claimed = await options.claim(options.concurrency - running.size);
          } catch (error) {
            options.logger.error('job_claim_failed', { worker: options.name, error: messageOf(error) });
          }
          claimed.forEach(runOne);
          if (running.size === 0) return;
          await Promise.race(running);
        }
      } finally {
        draining = undefined;
      }
    })());

  const loop = (async () => {
    while (!stopped) {
      await drain();
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollMs);
        timer.unref?.();
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = undefined;
    }
  })();

  return {
    wake: () => wakeUp?.(),
    drain,
    async stop() {
      stopped = true;
      wakeUp?.();
      await loop;
      await Promise.allSettled([...running]);
    },
  };
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result within ${ms} ms; its lease will expire and it runs again`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
