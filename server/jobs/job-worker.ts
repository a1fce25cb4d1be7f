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
  const wakers = new Set<() => void>();
  let draining: Promise<void> | undefined;

  const runOne = (id: string) => {
    const job = withTimeout(options.run(id), options.jobTimeoutMs).catch((error: unknown) => {
      options.logger.error('job_failed', { worker: options.name, job: id, error: messageOf(error) });
    });
    const tracked = job.finally(() => running.delete(tracked));
    running.add(tracked);
  };

  /** Sleeps `pollMs`, or less: until `wake()`, or until one of `also` settles. */
  const pause = async (also: Iterable<Promise<void>> = []) => {
    let done!: () => void;
    const napping = new Promise<void>((resolve) => {
      const timer = setTimeout(() => done(), options.pollMs);
      timer.unref?.();
      done = () => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      wakers.add(done);
    });
    await Promise.race([napping, ...also]);
    done();
  };

  /**
   * Fills free slots with due jobs until there are none and nothing runs. While jobs run it claims again as one ends,
   * at every poll and on `wake()`: a job held for long (a bank that does not answer) keeps its slot, never the others.
   */
  const drain = () =>
    (draining ??= (async () => {
      try {
        for (;;) {
          const free = options.concurrency - running.size;
          let claimed: string[] = [];
          try {
            if (!stopped && free > 0) claimed = await options.claim(free);
          } catch (error) {
            options.logger.error('job_claim_failed', { worker: options.name, error: messageOf(error) });
          }
          claimed.forEach(runOne);
          if (running.size === 0) return;
          // A claim that took all it asked for may have left more due, and jobs may have ended while it ran: their
          // slots are free now, so claim again at once.
          if (!stopped && claimed.length === free && running.size < options.concurrency) continue;
          await pause(running);
        }
      } finally {
        draining = undefined;
      }
    })());

  const loop = (async () => {
    while (!stopped) {
      await drain();
      if (!stopped) await pause();
    }
  })();

  const wake = () => [...wakers].forEach((waker) => waker());
  return {
    wake,
    drain,
    async stop() {
      stopped = true;
      wake();
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
