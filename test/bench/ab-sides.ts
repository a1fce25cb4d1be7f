/**
 * The skeleton of a same-run A/B on this shared machine (`server-confirm-ab.ts`, `server-create-ab.ts`): this checkout
 * ("new") and, with `--old`, an older worktree's server ("old"), each on a bench stack of its own (sandbox bank, wallet
 * on SQLite), their rounds alternating so a change in the machine's load hits both alike.
 */
import { cpuSeconds } from './process-stats.ts';
import { startBenchStack, type BenchStack } from './server-stack.ts';

export interface AbSide {
  name: string;
  stack: BenchStack;
}

/** Starts a stack per side, makes each side with `open`, runs `measure` on them, and stops every stack whatever happens. */
export async function withAbSides<S extends AbSide>(
  options: { old?: string; bankLatencyMs: number },
  open: (name: string, stack: BenchStack) => Promise<S>,
  measure: (sides: S[]) => Promise<void>,
): Promise<void> {
  const log = (line: string) => console.error(line);
  const stacks: BenchStack[] = [];
  try {
    const sides: S[] = [];
    for (const [name, serverRoot] of [['new', undefined], ...(options.old ? [['old', options.old]] : [])] as Array<[string, string | undefined]>) {
      const stack = await startBenchStack({ engine: 'sqlite', instances: 1, bankLatencyMs: options.bankLatencyMs, serverRoot, log });
      stacks.push(stack);
      sides.push(await open(name, stack));
    }
    await measure(sides);
  } finally {
    for (const stack of stacks) await stack.stop();
  }
}

/** The sides in a round's order: which goes first alternates too. */
export const inRoundOrder = <S>(sides: S[], round: number): S[] => (round % 2 === 0 ? sides : [...sides].reverse());

/** `run`, and the side's wallet process's CPU seconds meanwhile (user + system). */
export async function withWalletCpu<T>(side: AbSide, run: () => Promise<T>): Promise<[T, number]> {
  const before = cpuSeconds(side.stack.walletPids[0]);
  const result = await run();
  return [result, cpuSeconds(side.stack.walletPids[0]) - before];
}

/** `--old /path/to/older/worktree` from the command line, if given. */
export function oldWorktreeOption(argv = process.argv): string | undefined {
  const at = argv.indexOf('--old');
  return at >= 0 ? argv[at + 1] : undefined;
}
