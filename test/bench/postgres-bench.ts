/**
 * Part 5 of `npm run bench`: the server benchmark's confirmations on PostgreSQL (`DATABASE_URL` if set, else an
 * embedded server), with one wallet instance and then with two on the same database (shoppers split between them).
 * Each run reports its rate and p50/p99, each process's CPU share (on this 2-core machine the bench, the bank, the
 * wallets and PostgreSQL share the cores), lock requests seen waiting in `pg_locks` while it ran, and lost or doubled
 * payments from the bank's ledger. Any lost, doubled or otherwise unaccounted payment fails the part after both runs.
 *
 *   node --import tsx test/bench/postgres-bench.ts [--payments 1000] [--warmup 100] [--shoppers 16] [--bank-latency-ms 20]
 *     [--instances 1,2]      (or BENCH_PG_PAYMENTS, BENCH_PG_WARMUP, BENCH_SHOPPERS, BENCH_PG_INSTANCES)
 */
import { randomBytes } from 'node:crypto';
import { isMainModule } from '../../demo/shared/is-main-module.ts';
import type { PostgresFigures, PostgresRun } from './figures.ts';
import { registerBenchShoppers } from './load-shoppers.ts';
import { postmasterPid, startSampler, type SampledProcess } from './postgres-sampler.ts';
import { assertWhole, fixed, numberListOption, numberOption, printFigures } from './server-cli.ts';
import { combineRounds, createConfirmRunner } from './server-confirm-run.ts';
import { checkExactlyOnce } from './server-exactly-once.ts';
import { startBenchStack } from './server-stack.ts';

export interface PostgresBenchOptions {
  /** Timed payments per run; default 1000. */
  payments?: number;
  /** Payments before the timed ones; default 100. */
  warmup?: number;
  /** Concurrent shoppers, split evenly between the instances; default 16. */
  shoppers?: number;
  /** The sandbox bank's fixed latency on every call; default 20 ms. */
  bankLatencyMs?: number;
  /** Which runs: default one instance, then two. */
  instances?: Array<1 | 2>;
  log?: (line: string) => void;
}

export const POSTGRES_BENCH_DEFAULTS: Required<Omit<PostgresBenchOptions, 'log'>> = {
  payments: 1000,
  warmup: 100,
  shoppers: 16,
  bankLatencyMs: 20,
  instances: [1, 2],
};

/** The sizes from `--flag value` in `argv`, else the BENCH_* environment variables, else the defaults. */
export function postgresBenchOptionsFrom(argv: string[]): Required<Omit<PostgresBenchOptions, 'log'>> {
  const d = POSTGRES_BENCH_DEFAULTS;
  const instances = numberListOption('instances', 'BENCH_PG_INSTANCES', d.instances, argv);
  if (instances.some((n) => n !== 1 && n !== 2)) throw new Error(`bench postgres: expected --instances of 1 and/or 2, received ${instances.join(',')}`);
  return {
    payments: numberOption('payments', 'BENCH_PG_PAYMENTS', d.payments, argv),
    warmup: numberOption('warmup', 'BENCH_PG_WARMUP', d.warmup, argv),
    shoppers: numberOption('shoppers', 'BENCH_SHOPPERS', d.shoppers, argv),
    bankLatencyMs: numberOption('bank-latency-ms', 'BENCH_BANK_LATENCY_MS', d.bankLatencyMs, argv),
    instances: instances as Array<1 | 2>,
  };
}

/** Options not given come from the BENCH_* environment variables, else the defaults. */
export async function runPostgresBench(opts: PostgresBenchOptions = {}): Promise<PostgresFigures> {
  const o = { ...postgresBenchOptionsFrom([]), ...opts };
  assertWhole('shoppers', o.shoppers, 2);
  assertWhole('payments', o.payments, 1);
  assertWhole('warmup', o.warmup, 0);
  assertWhole('bank latency', o.bankLatencyMs, 0);
  const log = opts.log ?? ((line: string) => console.error(line));
  const runs: PostgresRun[] = [];
  const problems: string[] = [];
  for (const instances of o.instances) {
    const runId = `pg${instances}x${randomBytes(4).toString('hex')}`;
    const stack = await startBenchStack({ engine: 'postgres', instances, bankLatencyMs: o.bankLatencyMs, log });
    try {
      const databaseUrl = stack.database.env.DATABASE_URL;
      log(`bench postgres: ${instances} wallet instance(s) (pids ${stack.walletPids.join(', ')}) on ${stack.database.describe}`);
      const runner = createConfirmRunner(stack, await registerBenchShoppers(stack, o.shoppers, runId), runId);
      await runner.createIntents(o.warmup + o.payments);
      await runner.pay(o.warmup);

      const postmaster = await postmasterPid(databaseUrl);
      const processes: SampledProcess[] = [
        ...stack.walletPids.map((pid, i) => ({ name: `wallet ${i + 1}`, pid })),
        { name: 'sandbox bank', pid: stack.bankPid },
        ...(postmaster === undefined ? [] : [{ name: 'postgres (all backends)', pid: postmaster, tree: true }]),
      ];
      if (postmaster === undefined) log('bench postgres: the database server is not on this machine: its CPU share is not reported');
      const sampler = await startSampler(databaseUrl, processes);
      const timed = await runner.pay(o.payments);
      const sampled = await sampler.stop();

      const ledger = await checkExactlyOnce(stack, runner.records, runner.chargesSince);
      problems.push(...ledger.problems.map((p) => `${instances} instance(s): ${p}`));
      const paid = combineRounds([timed]);
      runs.push({
        instances,
        confirmPerS: paid.perS,
        p50Ms: paid.p50Ms,
        p99Ms: paid.p99Ms,
        cpu: sampled.cpu,
        lost: ledger.lost,
        doubled: ledger.doubled,
        lockWaits: sampled.lockWaits,
      });
      log(
        `bench postgres: ${instances} instance(s): ${fixed(paid.perS)} payments/s, p99 ${fixed(paid.p99Ms)} ms, ` +
          `lock waits ${sampled.lockWaits} in ${sampled.samplesWithWaits}/${sampled.samples} samples, lost ${ledger.lost}, doubled ${ledger.doubled}, settled after processing ${runner.settledLater}`,
      );
      for (const waiter of sampled.waiters.slice(0, 5)) log(`bench postgres:   waited: ${waiter}`);
    } finally {
      await stack.stop();
    }
  }
  if (problems.length > 0) {
    throw new Error(`bench postgres: expected every payment charged exactly once:\n  ${problems.join('\n  ')}\nfigures: ${JSON.stringify(runs)}`);
  }
  return { runs };
}

export function printPostgresFigures(f: PostgresFigures): void {
  const rows: Array<[string, string]> = [];
  for (const run of f.runs) {
    const name = `${run.instances} instance${run.instances === 1 ? '' : 's'}`;
    rows.push([name, `${fixed(run.confirmPerS)} payments/s, p50 ${fixed(run.p50Ms)} ms, p99 ${fixed(run.p99Ms)} ms`]);
    rows.push([`  lost / doubled / lock waits`, `${run.lost} / ${run.doubled} / ${run.lockWaits}`]);
    rows.push([`  CPU (1.0 = one core)`, run.cpu.map((c) => `${c.process} ${fixed(c.share, 2)}`).join(', ')]);
  }
  printFigures('PostgreSQL: full payments/s with one and two wallet instances', rows, f);
}

if (isMainModule(import.meta.url)) printPostgresFigures(await runPostgresBench(postgresBenchOptionsFrom(process.argv.slice(2))));
