/**
 * The job worker's bounded parallelism (server/jobs/job-worker.ts), with claims and jobs the test lets go of one by
 * one: a job held for long (a bank call that does not answer) keeps its own slot and never the others, whatever order
 * claims and endings come in.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { silentLogger } from '../../server/http/logger.ts';
import { startJobWorker, type JobWorker } from '../../server/jobs/job-worker.ts';

/** Due jobs by id; each run waits until the test ends it. */
function jobQueue(due: string[]) {
  const ends = new Map<string, () => void>();
  const started: string[] = [];
  let claimGate: Promise<void> | undefined;
  return {
    due,
    started,
    /** The next claim waits for this before it reads the queue (a claim's query still on its way). */
    holdNextClaim(gate: Promise<void>) {
      claimGate = gate;
    },
    async claim(limit: number): Promise<string[]> {
      const gate = claimGate;
      claimGate = undefined;
      if (gate) await gate;
      return due.splice(0, limit);
    },
    run(id: string): Promise<void> {
      started.push(id);
      return new Promise<void>((resolve) => ends.set(id, resolve));
    },
    end(id: string) {
      const end = ends.get(id);
      if (!end) throw new Error(`expected job ${id} to be running; running: ${[...ends.keys()].join(', ')}`);
      end();
    },
    endAll() {
      for (const end of ends.values()) end();
    },
  };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function until(what: string, condition: () => boolean, withinMs = 1_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`expected ${what} within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

let worker: JobWorker | undefined;
let queue: ReturnType<typeof jobQueue> | undefined;
afterEach(async () => {
  queue?.endAll();
  await worker?.stop();
  worker = undefined;
});

function start(jobs: ReturnType<typeof jobQueue>, pollMs: number): JobWorker {
  queue = jobs;
  worker = startJobWorker({ name: 'test', pollMs, concurrency: 2, jobTimeoutMs: 60_000, claim: jobs.claim, run: jobs.run, logger: silentLogger });
  return worker;
}

describe('job worker: one held job does not hold up the others', () => {
  test('a slot that frees while a claim is on its way is filled at once, though the claim brought only the held job', async () => {
    // a and b run; a ends, so the worker claims one job; b ends while that claim is on its way; the claim brings the
    // job that will be held. c is due, and a slot is free: it must not wait for the held job (nor for a poll).
    const jobs = jobQueue(['a', 'b', 'held', 'c']);
    start(jobs, 60_000);
    await until('a and b to start', () => jobs.started.length === 2);
    const claim = deferred();
    jobs.holdNextClaim(claim.promise);
    jobs.end('a');
    await new Promise((resolve) => setTimeout(resolve, 20));
    jobs.end('b');
    await new Promise((resolve) => setTimeout(resolve, 20));
    claim.resolve();
    await until('c to start while the held job runs', () => jobs.started.includes('c'));
    assert.deepEqual(jobs.started, ['a', 'b', 'held', 'c']);
  });

  test('a job that becomes due while the held job runs is claimed at the next poll', async () => {
    const jobs = jobQueue(['held']);
    start(jobs, 30);
    await until('the held job to start', () => jobs.started.includes('held'));
    jobs.due.push('later');
    await until('the later job to start within a few polls', () => jobs.started.includes('later'), 300);
  });

  test('wake() claims at once while the held job runs, without waiting for the poll', async () => {
    const jobs = jobQueue(['held']);
    const running = start(jobs, 60_000);
    await until('the held job to start', () => jobs.started.includes('held'));
    jobs.due.push('queued');
    running.wake();
    await until('the queued job to start', () => jobs.started.includes('queued'), 300);
  });

  test('never more than `concurrency` at once: a third due job waits for a slot', async () => {
    const jobs = jobQueue(['a', 'b', 'c']);
    start(jobs, 10);
    await until('a and b to start', () => jobs.started.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(jobs.started, ['a', 'b'], 'several polls with both slots taken');
    jobs.end('b');
    await until('c to start in the slot b left', () => jobs.started.includes('c'));
  });
});
