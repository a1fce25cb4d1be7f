/**
 * Intent creation against the server's own 404 route (issue 7: creation ≥ 50 % of the 404 rate), for comparing two
 * checkouts in one run: each gets its own stack (sandbox bank, wallet on SQLite), and their rounds alternate — 404s,
 * then creates, on A, then on B, again — so a change in this shared machine's load hits both alike.
 *
 *   node --import tsx test/bench/server-create-ab.ts [--old /path/to/older/worktree] [--creates 4000] [--rounds 8]
 *     [--concurrency 16]
 *
 * Without `--old` it measures this checkout alone. Prints each round and the totals as JSON, with the wallet process's
 * CPU time per request (user + system): a count of work that a busy machine disturbs less than the rates.
 */
import { isMainModule } from '../../demo/shared/is-main-module.ts';
import { runLoad, type LoadResult } from './load-run.ts';
import { inRoundOrder, oldWorktreeOption, withAbSides, withWalletCpu } from './ab-sides.ts';
import { assertWhole, fixed, numberOption } from './server-cli.ts';
import { combineRounds, createIntent, runNotFound, splitIntoRounds } from './server-confirm-run.ts';
import type { BenchStack } from './server-stack.ts';

interface Side {
  name: string;
  stack: BenchStack;
  creates: LoadResult[];
  notFound: LoadResult[];
  /** The wallet's CPU seconds spent on the timed creates, and on the timed 404s. */
  createCpuS: number;
  notFoundCpuS: number;
  made: number;
}

/** `count` creates with an Idempotency-Key each (`server-confirm-run.ts`'s `createIntent`). */
function createIntents(side: Side, count: number, concurrency: number): Promise<LoadResult> {
  const first = side.made;
  side.made += count;
  return runLoad(concurrency, count, async (i) => {
    const n = first + i;
    await createIntent(side.stack, side.stack.walletUrls[0], n, `ab-${side.name}-${n}`);
  });
}

export async function runCreateAb(options: { old?: string; creates: number; rounds: number; concurrency: number }): Promise<void> {
  assertWhole('rounds', options.rounds, 1);
  assertWhole('creates', options.creates, options.rounds);
  const open = async (name: string, stack: BenchStack): Promise<Side> => ({ name, stack, creates: [], notFound: [], createCpuS: 0, notFoundCpuS: 0, made: 0 });
  await withAbSides({ old: options.old, bankLatencyMs: 0 }, open, async (sides) => {
    for (const side of sides) {
      await runNotFound(side.stack.walletUrls[0], 300, options.concurrency);
      await createIntents(side, 300, options.concurrency);
    }
    const perRound = splitIntoRounds(options.creates, options.rounds);
    for (let round = 0; round < options.rounds; round++) {
      for (const side of inRoundOrder(sides, round)) {
        const [notFound, notFoundCpuS] = await withWalletCpu(side, () => runNotFound(side.stack.walletUrls[0], perRound[round], options.concurrency));
        const [creates, createCpuS] = await withWalletCpu(side, () => createIntents(side, perRound[round], options.concurrency));
        side.notFound.push(notFound);
        side.creates.push(creates);
        side.notFoundCpuS += notFoundCpuS;
        side.createCpuS += createCpuS;
        console.error(`round ${round + 1} ${side.name}: create ${fixed(creates.perS)}/s, 404 ${fixed(notFound.perS)}/s, create_vs_404 ${fixed(creates.perS / notFound.perS, 3)}`);
      }
    }
    const totals = Object.fromEntries(
      sides.map((side) => {
        const create = combineRounds(side.creates).perS;
        const notFound = combineRounds(side.notFound).perS;
        const ratios = side.creates.map((c, i) => c.perS / side.notFound[i].perS).sort((a, b) => a - b);
        const cpuUs = (seconds: number) => Math.round((seconds * 1e6) / options.creates);
        return [
          side.name,
          {
            createPerS: Math.round(create),
            notFoundPerS: Math.round(notFound),
            createVs404: Number((create / notFound).toFixed(3)),
            roundRatios: [ratios[0], ratios.at(-1)!].map((r) => Number(r.toFixed(3))),
            cpuUsPerCreate: cpuUs(side.createCpuS),
            cpuUsPer404: cpuUs(side.notFoundCpuS),
          },
        ];
      }),
    );
    console.log(JSON.stringify(totals));
  });
}

if (isMainModule(import.meta.url)) {
  await runCreateAb({
    old: oldWorktreeOption(),
    creates: numberOption('creates', 'BENCH_CREATES', 4000),
    rounds: numberOption('rounds', 'BENCH_ROUNDS', 8),
    concurrency: numberOption('concurrency', 'BENCH_SHOPPERS', 16),
  });
}
