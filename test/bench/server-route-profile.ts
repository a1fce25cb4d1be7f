/**
 * What one intent creation, one 404 or one full payment costs the wallet, measured alone: a stack of its own (sandbox
 * bank, wallet on SQLite), a warm-up, then only the timed requests of one route. A payment is what the server bench
 * times (terms with their challenge, a passkey assertion, the confirmation and its bank charge; 16 shoppers, the bank
 * +20 ms per call, or `--bank-latency-ms`), its intents created beforehand. Prints the wallet's CPU per request split
 * into user and system time, what it wrote to storage per request (/proc/<pid>/io), and its SQLite work per request
 * (statements, transactions, commits that reached the disk). With `PAYKEY_WALLET_CPU_PROF=<dir>` the wallet writes a
 * V8 CPU profile when it stops, and this prints where its main thread's time went during the timed requests only
 * (server-profile-summary.ts).
 *
 *   PAYKEY_WALLET_CPU_PROF=/tmp/prof node --import tsx test/bench/server-route-profile.ts [--route create|404|pay]
 *     [--requests 6000] [--concurrency 16] [--bank-latency-ms 20] [--old /path/to/older/worktree] [--stall-probe]
 *
 * For full payments it also prints the latency spread and each tenth's p99. `--stall-probe` sends a 404 to the wallet
 * and to the sandbox bank every 10 ms over the timed part and prints the pauses each saw, those both saw at once, how
 * late this process's own loop ran, and the machine's iowait (stall-probe.ts): what a tail made of pauses came from.
 * Off by default, as its 404s add a little to the wallet's CPU per request.
 *
 * Each route is warmed up first as the server bench warms it (6,000 creates and 404s, 1,000 payments), so what is
 * profiled is the server as it runs once V8 has compiled its paths.
 *
 * `--old` runs an older worktree's server instead of this checkout's (one side at a time: for a same-run comparison
 * of two checkouts use server-create-ab.ts).
 */
import { isMainModule } from '../../demo/shared/is-main-module.ts';
import { oldWorktreeOption } from './ab-sides.ts';
import { percentileOf, runLoad, type LoadResult } from './load-run.ts';
import { cpuTimes, storageWriteBytes } from './process-stats.ts';
import { assertWhole, fixed, numberOption, printFigures } from './server-cli.ts';
import { registerBenchShoppers } from './load-shoppers.ts';
import { createConfirmRunner, createIntent, runNotFound, splitIntoRounds } from './server-confirm-run.ts';
import { readWalletProfile, summariseProfile } from './server-profile-summary.ts';
import { startBenchStack, type BenchStack } from './server-stack.ts';
import { pausesSeenByAll, STALL_THRESHOLD_MS, startStallProbe, type StallReport } from './stall-probe.ts';
import { addSqliteWork, emptySqliteWork, readSqliteCounters, sqliteWorkPer } from './sqlite-work.ts';

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

export type ProfiledRoute = 'create' | '404' | 'pay';

const ROUTE_NAMES: Record<ProfiledRoute, string> = { create: 'intent created', '404': '404', pay: 'full payment' };

export async function runRouteProfile(options: { route: ProfiledRoute; requests: number; concurrency: number; bankLatencyMs: number; old?: string; stallProbe?: boolean }): Promise<void> {
  assertWhole('requests', options.requests, 1);
  const stack = await startBenchStack({ engine: 'sqlite', instances: 1, bankLatencyMs: options.route === 'pay' ? options.bankLatencyMs : 0, serverRoot: options.old });
  const pid = stack.walletPids[0];
  let stopped = false;
  try {
    let made = 0;
    const creates = (count: number): Promise<LoadResult> =>
      runLoad(options.concurrency, count, async () => {
        const n = made++;
        await createIntent(stack, stack.walletUrls[0], n, `profile-${n}`);
      });
    let timed = (count: number) => (options.route === 'create' ? creates(count) : runNotFound(stack.walletUrls[0], count, options.concurrency));
    // Warmed up as the server bench is, as a server that has been up a while runs (server-bench.ts).
    await creates(6000);
    await runNotFound(stack.walletUrls[0], 6000, options.concurrency);
    if (options.route === 'pay') {
      const runner = createConfirmRunner(stack, await registerBenchShoppers(stack, options.concurrency, `profile${pid}`), `profile${pid}`);
      await runner.createIntents(1000 + options.requests);
      await runner.pay(1000);
      timed = (count) => runner.pay(count);
    }

    const sqliteBefore = await readSqliteCounters(stack.walletUrls[0], stack.metricsToken);
    const probe = options.stallProbe ? startStallProbe([{ name: 'wallet', url: stack.walletUrls[0] }, { name: 'sandbox bank', url: stack.bank.url }]) : undefined;
    const cpuBefore = cpuTimes(pid);
    const writtenBefore = storageWriteBytes(pid);
    const fromUs = monotonicUs();
    const result = await timed(options.requests);
    const toUs = monotonicUs();
    const cpuAfter = cpuTimes(pid);
    const written = storageWriteBytes(pid) - writtenBefore;
    const stalls = await probe?.stop();
    const sqliteAfter = await readSqliteCounters(stack.walletUrls[0], stack.metricsToken);

    const perRequestUs = (seconds: number) => (seconds * 1e6) / options.requests;
    const user = perRequestUs(cpuAfter.user - cpuBefore.user);
    const system = perRequestUs(cpuAfter.system - cpuBefore.system);
    let sqlite: ReturnType<typeof sqliteWorkPer> | undefined;
    if (sqliteBefore && sqliteAfter) {
      const work = emptySqliteWork();
      addSqliteWork(work, sqliteBefore, sqliteAfter);
      sqlite = sqliteWorkPer(work, options.requests);
    }
    printFigures(
      `wallet cost per ${ROUTE_NAMES[options.route]} (${options.requests} at ${options.concurrency} concurrent${options.old ? `, server of ${options.old}` : ''})`,
      [
        ['rate', `${fixed(result.perS)}/s`],
        ...(options.route === 'pay' ? latencyFigures(result.latencies) : []),
        ['CPU (user + system)', `${fixed(user + system, 0)} µs (${fixed(user, 0)} + ${fixed(system, 0)})`],
        ['written to storage', `${fixed(written / 1024 / options.requests)} KiB per request (write_bytes)`],
        ...(stalls ? stallFigures(stalls) : []),
        ...(sqlite ? ([['SQLite per request', `${fixed(sqlite.statements, 2)} statements, ${fixed(sqlite.transactions, 2)} transactions, ${fixed(sqlite.commits, 3)} commits`]] as Array<[string, string]>) : []),
      ],
      { route: options.route, perS: Number(result.perS.toFixed(1)), cpuUs: Math.round(user + system), userUs: Math.round(user), systemUs: Math.round(system), writtenKiB: Number((written / 1024 / options.requests).toFixed(1)), sqlite, stalls },
    );

    const profileDir = process.env.PAYKEY_WALLET_CPU_PROF;
    if (profileDir) {
      // The profile is written when the wallet exits.
      await stack.stop();
      stopped = true;
      const places = summariseProfile(readWalletProfile(profileDir, pid), { fromUs, toUs }, options.requests);
      const total = places.reduce((sum, [, us]) => sum + us, 0);
      console.log(`\nthe wallet's main thread per request during the timed part (sampled wall time, ${fixed(total, 0)} µs in all):`);
      for (const [name, us] of places.slice(0, 30)) console.log(`  ${fixed(us).padStart(8)} µs  ${name}`);
    }
  } finally {
    if (!stopped) await stack.stop();
  }
}

/**
 * A full payment's latency spread, and its p99 in each tenth of the timed part (payments in the order they ended): a
 * tail that comes from queueing reads about the same in every tenth; one that comes from pauses (a housekeeping pass,
 * a long garbage collection, a checkpoint) stands out in the tenths they fell in.
 */
function latencyFigures(latencies: number[]): Array<[string, string]> {
  const tenths = splitIntoRounds(latencies.length, 10);
  let start = 0;
  const perTenth = tenths.map((size) => percentileOf(latencies.slice(start, (start += size)), 99));
  return [
    ['p50 / p90 / p95 / p99 / max', [50, 90, 95, 99, 100].map((p) => fixed(percentileOf(latencies, p))).join(' / ') + ' ms'],
    ['p99 in each tenth', `${perTenth.map((ms) => fixed(ms, 0)).join(' ')} ms`],
  ];
}

/** What `startStallProbe` saw over the timed part: pauses per server, the ones all servers saw at once, iowait. */
function stallFigures(report: StallReport): Array<[string, string]> {
  const longest = (pauses: Array<{ ms: number }>) => (pauses.length ? `, longest ${fixed(Math.max(...pauses.map((p) => p.ms)), 0)} ms` : '');
  const shared = pausesSeenByAll(report);
  return [
    [`404 probes over ${STALL_THRESHOLD_MS} ms`, report.servers.map((s) => `${s.name} ${s.slow.length} of ${s.probes}${longest(s.slow)}`).join('; ')],
    ['… seen by both at once', `${shared.length}${longest(shared)} (at ${shared.map((p) => `${fixed(p.atMs / 1000, 1)} s`).join(', ') || '—'})`],
    ['load generator loop late', `at most ${fixed(report.ownLoopLagMaxMs, 0)} ms`],
    ['machine iowait', `${fixed(report.iowaitShare * 100)} % of CPU time`],
  ];
}

if (isMainModule(import.meta.url)) {
  const routeAt = process.argv.indexOf('--route');
  const route = routeAt >= 0 ? process.argv[routeAt + 1] : 'create';
  if (route !== 'create' && route !== '404' && route !== 'pay') throw new Error(`bench: expected --route create, 404 or pay, received ${JSON.stringify(route)}`);
  await runRouteProfile({
    route,
    requests: numberOption('requests', 'BENCH_REQUESTS', 6000),
    concurrency: numberOption('concurrency', 'BENCH_SHOPPERS', 16),
    bankLatencyMs: numberOption('bank-latency-ms', 'BENCH_BANK_LATENCY_MS', 20),
    old: oldWorktreeOption(),
    stallProbe: process.argv.includes('--stall-probe'),
  });
}
