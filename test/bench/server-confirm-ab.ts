/**
 * Full payments on two checkouts in one run (issue 7: payments ≥ 30 % of the bare verification rate): each gets its
 * own stack (sandbox bank with a fixed latency, wallet on SQLite, 16 registered shoppers), and their rounds alternate
 * — create intents, then pay them, on A, then on B, again, which side goes first alternating too — so a change in
 * this shared machine's load hits both alike.
 *
 *   node --import tsx test/bench/server-confirm-ab.ts [--old /path/to/older/worktree] [--payments 1600] [--rounds 8]
 *     [--shoppers 16] [--bank-latency-ms 20]
 *
 * Without `--old` it measures this checkout alone. Prints each round and the totals as JSON: payments/s, p50/p99, and
 * what a payment cost the wallet — CPU (user + system of its process, milliseconds) and its SQLite statements,
 * transactions and commits — counts of work that a busy machine disturbs less than the rates.
 */
import { randomBytes } from 'node:crypto';
import { isMainModule } from '../../demo/shared/is-main-module.ts';
import type { LoadResult } from './load-run.ts';
import { registerBenchShoppers } from './load-shoppers.ts';
import { inRoundOrder, oldWorktreeOption, withAbSides, withWalletCpu } from './ab-sides.ts';
import { assertWhole, fixed, numberOption } from './server-cli.ts';
import { combineRounds, createConfirmRunner, splitIntoRounds, type ConfirmRunner } from './server-confirm-run.ts';
import type { BenchStack } from './server-stack.ts';
import { addSqliteWork, emptySqliteWork, readSqliteCounters, sqliteWorkPer } from './sqlite-work.ts';

interface Side {
  name: string;
  stack: BenchStack;
  runner: ConfirmRunner;
  payments: LoadResult[];
  /** The wallet's CPU seconds spent on the timed payments. */
  payCpuS: number;
  work: ReturnType<typeof emptySqliteWork>;
}

export interface ConfirmAbOptions {
  old?: string;
  payments: number;
  rounds: number;
  shoppers: number;
  bankLatencyMs: number;
}

export async function runConfirmAb(options: ConfirmAbOptions): Promise<void> {
  assertWhole('rounds', options.rounds, 1);
  assertWhole('payments', options.payments, options.rounds);
  const open = async (name: string, stack: BenchStack): Promise<Side> => {
    const runId = `ab${name}${randomBytes(3).toString('hex')}`;
    const shoppers = await registerBenchShoppers(stack, options.shoppers, runId);
    return { name, stack, runner: createConfirmRunner(stack, shoppers, runId), payments: [], payCpuS: 0, work: emptySqliteWork() };
  };
  await withAbSides(options, open, async (sides) => {
    for (const side of sides) {
      // Warm-up: every path the timed part takes.
      await side.runner.createIntents(100);
      await side.runner.pay(100);
    }
    const perRound = splitIntoRounds(options.payments, options.rounds);
    for (let round = 0; round < options.rounds; round++) {
      for (const side of inRoundOrder(sides, round)) {
        await side.runner.createIntents(perRound[round]);
        const url = side.stack.walletUrls[0];
        const before = await readSqliteCounters(url, side.stack.metricsToken);
        const [paid, cpuS] = await withWalletCpu(side, () => side.runner.pay(perRound[round]));
        side.payCpuS += cpuS;
        const after = await readSqliteCounters(url, side.stack.metricsToken);
        if (before && after) addSqliteWork(side.work, before, after);
        side.payments.push(paid);
        console.error(`round ${round + 1} ${side.name}: ${fixed(paid.perS)} payments/s`);
      }
    }
    const totals = Object.fromEntries(
      sides.map((side) => {
        const paid = combineRounds(side.payments);
        const work = side.work.statements > 0 ? sqliteWorkPer(side.work, paid.jobs) : undefined;
        return [
          side.name,
          {
            paymentsPerS: Number(paid.perS.toFixed(1)),
            p50Ms: Number(paid.p50Ms.toFixed(1)),
            p99Ms: Number(paid.p99Ms.toFixed(1)),
            cpuMsPerPayment: Number(((side.payCpuS * 1000) / paid.jobs).toFixed(2)),
            statements: work && Number(work.statements.toFixed(2)),
            transactions: work && Number(work.transactions.toFixed(2)),
            commits: work && Number(work.commits.toFixed(2)),
          },
        ];
      }),
    );
    console.log(JSON.stringify(totals));
  });
}

if (isMainModule(import.meta.url)) {
  await runConfirmAb({
    old: oldWorktreeOption(),
    payments: numberOption('payments', 'BENCH_PAYMENTS', 1600),
    rounds: numberOption('rounds', 'BENCH_ROUNDS', 8),
    shoppers: numberOption('shoppers', 'BENCH_SHOPPERS', 16),
    bankLatencyMs: numberOption('bank-latency-ms', 'BENCH_BANK_LATENCY_MS', 20),
  });
}
