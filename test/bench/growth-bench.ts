/**
 * Part 4 of `npm run bench`: does a payment cost more as history grows? The server benchmark's confirmations
 * (shorter), each time on a fresh SQLite database seeded with 1k, 10k and 100k past paid payments (every table a
 * payment touches: see growth-seed.ts) before the wallet starts. growth100k = rate at 100k / rate at 1k. The three
 * wallets run side by side and the timed payments alternate between them in rounds, so a change in the machine's load
 * hits every size alike.
 *
 *   node --import tsx test/bench/growth-bench.ts [--rows 1000,10000,100000] [--payments 1800] [--warmup 100]
 *     [--shoppers 16] [--bank-latency-ms 20] [--rounds 12]      (or BENCH_GROWTH_ROWS, BENCH_GROWTH_PAYMENTS, …)
 */
import { randomBytes } from 'node:crypto';
import { isMainModule } from '../../demo/shared/is-main-module.ts';
import type { GrowthFigures } from './figures.ts';
import { seedHistory } from './growth-seed.ts';
import { registerBenchShoppers } from './load-shoppers.ts';
import { assertWhole, fixed, numberListOption, numberOption, printFigures } from './server-cli.ts';
import type { LoadResult } from './load-run.ts';
import { combineRounds, createConfirmRunner, splitIntoRounds, type ConfirmRunner } from './server-confirm-run.ts';
import { assertExactlyOnce, checkExactlyOnce } from './server-exactly-once.ts';
import { startBenchStack, type BenchStack } from './server-stack.ts';

export interface GrowthBenchOptions {
  /** Past paid payments seeded before each run; default 1k, 10k, 100k. growth100k needs 1000 and 100000 among them. */
  historyRows?: number[];
  /** Timed payments per history size; default 1800. */
  payments?: number;
  /** Payments before the timed ones; default 100. */
  warmup?: number;
  /** Concurrent shoppers; default 16. */
  shoppers?: number;
  /** The sandbox bank's fixed latency on every call; default 20 ms. */
  bankLatencyMs?: number;
  /**
   * The timed payments are split into this many rounds, alternating between the history sizes; default 12 (of 150
   * payments, under a second each: one round's rate moves by ±10 % with the machine, so the figure needs many).
   */
  rounds?: number;
  log?: (line: string) => void;
}

export const GROWTH_BENCH_DEFAULTS: Required<Omit<GrowthBenchOptions, 'log'>> = {
  historyRows: [1_000, 10_000, 100_000],
  payments: 1800,
  warmup: 100,
  shoppers: 16,
  bankLatencyMs: 20,
  rounds: 12,
};

/** The sizes from `--flag value` in `argv`, else the BENCH_* environment variables, else the defaults. */
export function growthBenchOptionsFrom(argv: string[]): Required<Omit<GrowthBenchOptions, 'log'>> {
  const d = GROWTH_BENCH_DEFAULTS;
  return {
    historyRows: numberListOption('rows', 'BENCH_GROWTH_ROWS', d.historyRows, argv),
    payments: numberOption('payments', 'BENCH_GROWTH_PAYMENTS', d.payments, argv),
    warmup: numberOption('warmup', 'BENCH_GROWTH_WARMUP', d.warmup, argv),
    shoppers: numberOption('shoppers', 'BENCH_SHOPPERS', d.shoppers, argv),
    bankLatencyMs: numberOption('bank-latency-ms', 'BENCH_BANK_LATENCY_MS', d.bankLatencyMs, argv),
    rounds: numberOption('rounds', 'BENCH_ROUNDS', d.rounds, argv),
  };
}

/** Options not given come from the BENCH_* environment variables, else the defaults. */
export async function runGrowthBench(opts: GrowthBenchOptions = {}): Promise<GrowthFigures> {
  const o = { ...growthBenchOptionsFrom([]), ...opts };
  assertWhole('rounds', o.rounds, 1);
  assertWhole('shoppers', o.shoppers, 1);
  assertWhole('payments', o.payments, o.rounds);
  assertWhole('warmup', o.warmup, 0);
  assertWhole('bank latency', o.bankLatencyMs, 0);
  const log = opts.log ?? ((line: string) => console.error(line));
  // Every history size gets its own stack, all alive at once: the rounds then alternate between them.
  const stacks: BenchStack[] = [];
  const points: Array<{ historyRows: number; stack: BenchStack; runner: ConfirmRunner; rounds: LoadResult[] }> = [];
  try {
    for (const historyRows of o.historyRows) {
      const runId = `growth${randomBytes(4).toString('hex')}`;
      const stack = await startBenchStack({
        engine: 'sqlite',
        instances: 1,
        bankLatencyMs: o.bankLatencyMs,
        log,
        beforeWallets: async (database) => {
          const seeded = await seedHistory(database.sqliteDataDir!, historyRows);
          log(`bench growth: seeded ${seeded.payments} past payments (${seeded.rows} rows) in ${fixed(seeded.ms / 1000)} s`);
        },
      });
      stacks.push(stack);
      const runner = createConfirmRunner(stack, await registerBenchShoppers(stack, o.shoppers, runId), runId);
      await runner.createIntents(o.warmup + o.payments);
      await runner.pay(o.warmup);
      points.push({ historyRows, stack, runner, rounds: [] });
    }
    const perRound = splitIntoRounds(o.payments, o.rounds);
    for (let round = 0; round < o.rounds; round++) {
      // Every other round in reverse: none of the sizes always runs first (or last) in a round.
      for (const point of round % 2 === 0 ? points : [...points].reverse()) point.rounds.push(await point.runner.pay(perRound[round]));
      log(`bench growth: round ${round + 1}/${o.rounds}: ${points.map((p) => `${p.historyRows} rows ${fixed(p.rounds[round].perS)}/s`).join(', ')}`);
    }
    for (const point of points) if (point.runner.settledLater > 0) log(`bench growth: ${point.historyRows} rows: ${point.runner.settledLater} payments answered processing and settled later`);
    for (const point of points) assertExactlyOnce(await checkExactlyOnce(point.stack, point.runner.records, point.runner.chargesSince));
  } finally {
    for (const stack of stacks) await stack.stop();
  }
  const results = points.map((p) => ({ historyRows: p.historyRows, confirmPerS: combineRounds(p.rounds).perS }));
  const rateAt = (rows: number) => results.find((p) => p.historyRows === rows)?.confirmPerS ?? Number.NaN;
  return { points: results, growth100k: rateAt(100_000) / rateAt(1_000) };
}

export function printGrowthFigures(f: GrowthFigures): void {
  printFigures(
    'Growth (SQLite): full payments/s with rows of history',
    [...f.points.map((p): [string, string] => [`${p.historyRows} rows`, `${fixed(p.confirmPerS)}/s`]), ['100k vs 1k', `${fixed(f.growth100k * 100)} %`]],
    f,
  );
}

if (isMainModule(import.meta.url)) printGrowthFigures(await runGrowthBench(growthBenchOptionsFrom(process.argv.slice(2))));
