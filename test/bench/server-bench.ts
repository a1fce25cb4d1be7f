/**
 * Part 3 of `npm run bench`: the wallet server under 16 concurrent shoppers, as in production — its own process on
 * SQLite, the sandbox bank its own process with a fixed latency, every call real HTTP from this process, passkeys
 * from the software authenticator. Reports full payments per second and p50/p99 next to the bare
 * `verifyAuthenticationResponse` and `crypto.verify` rates measured here in the same run, intent creation next to the
 * server's own 404 route, the wallet's peak RSS; fails when any payment was lost or charged twice.
 *
 *   node --import tsx test/bench/server-bench.ts [--payments 2000] [--warmup 1000] [--request-warmup 6000]
 *     [--shoppers 16] [--bank-latency-ms 20] [--creates 8000] [--not-found 8000] [--verify-ms 3000] [--rounds 4]
 *     (or BENCH_PAYMENTS, BENCH_WARMUP, BENCH_REQUEST_WARMUP, BENCH_SHOPPERS, …)
 *
 * Every path is warmed up first, in both processes, until V8 has compiled it as a long-running server has: the 404
 * route and intent creation run several times faster after a few thousand requests than in their first hundreds
 * (14–16k against 3–6k 404s per second on this machine), and creation's share of the 404 rate falls from about half
 * to about a third. The measurements are interleaved in rounds (404s, creates, verifications, payments,
 * crypto.verify; again), so the ratios compare figures taken under the same load on this shared machine.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { isMainModule } from '../../demo/shared/is-main-module.ts';
import type { CpuPerPayment, ServerFigures } from './figures.ts';
import { registerBenchShoppers } from './load-shoppers.ts';
import { cpuSeconds, peakRssMb } from './process-stats.ts';
import { assertWhole, fixed, numberOption, printFigures } from './server-cli.ts';
import type { LoadResult } from './load-run.ts';
import { combineRounds, createConfirmRunner, runNotFound, splitIntoRounds } from './server-confirm-run.ts';
import { assertExactlyOnce, checkExactlyOnce } from './server-exactly-once.ts';
import { startBenchStack } from './server-stack.ts';
import { createVerifyMeter, rateOf, type RateSlice } from './server-verify-rate.ts';
import { addSqliteWork, emptySqliteWork, readSqliteCounters, sqliteWorkPer } from './sqlite-work.ts';

export interface ServerBenchOptions {
  /** Timed full payments; default 2000. */
  payments?: number;
  /** Untimed payments first (their intents created beforehand); default 1000. */
  warmup?: number;
  /** Untimed 404s, and as many intents created, before any of them is timed; default 6000. */
  requestWarmup?: number;
  /** Concurrent shoppers (one payment at a time each); default 16. */
  shoppers?: number;
  /** The sandbox bank's fixed latency on every call; default 20 ms. */
  bankLatencyMs?: number;
  /** Timed intent creations (the payments' intents among them, so at least `payments`); default 8000, or `payments` if more. */
  creates?: number;
  /** Timed GETs of a path that does not exist; default 8000. */
  notFoundRequests?: number;
  /** Time spent on each bare verification rate, in all; default 3000 ms. */
  verifyMs?: number;
  /** Every measurement is split into this many rounds, interleaved, so a change in the machine's load hits all alike; default 4. */
  rounds?: number;
  log?: (line: string) => void;
}

export const SERVER_BENCH_DEFAULTS: Required<Omit<ServerBenchOptions, 'log'>> = {
  payments: 2000,
  warmup: 1000,
  requestWarmup: 6000,
  shoppers: 16,
  bankLatencyMs: 20,
  creates: 8000,
  notFoundRequests: 8000,
  verifyMs: 3000,
  rounds: 4,
};

/** The sizes from `--flag value` in `argv`, else the BENCH_* environment variables, else the defaults. */
export function serverBenchOptionsFrom(argv: string[]): Required<Omit<ServerBenchOptions, 'log'>> {
  const d = SERVER_BENCH_DEFAULTS;
  const payments = numberOption('payments', 'BENCH_PAYMENTS', d.payments, argv);
  return {
    payments,
    warmup: numberOption('warmup', 'BENCH_WARMUP', d.warmup, argv),
    requestWarmup: numberOption('request-warmup', 'BENCH_REQUEST_WARMUP', d.requestWarmup, argv),
    shoppers: numberOption('shoppers', 'BENCH_SHOPPERS', d.shoppers, argv),
    bankLatencyMs: numberOption('bank-latency-ms', 'BENCH_BANK_LATENCY_MS', d.bankLatencyMs, argv),
    // The payments' intents are among the timed creates: never fewer of them unless asked.
    creates: numberOption('creates', 'BENCH_CREATES', Math.max(d.creates, payments), argv),
    notFoundRequests: numberOption('not-found', 'BENCH_NOT_FOUND', d.notFoundRequests, argv),
    verifyMs: numberOption('verify-ms', 'BENCH_VERIFY_MS', d.verifyMs, argv),
    rounds: numberOption('rounds', 'BENCH_ROUNDS', d.rounds, argv),
  };
}

/** Options not given come from the BENCH_* environment variables (so `BENCH_PAYMENTS=300 npm run bench` works), else the defaults. */
export async function runServerBench(opts: ServerBenchOptions = {}): Promise<ServerFigures> {
  const o = { ...serverBenchOptionsFrom([]), ...opts };
  assertWhole('rounds', o.rounds, 1);
  assertWhole('shoppers', o.shoppers, 1);
  assertWhole('payments', o.payments, o.rounds);
  assertWhole('not-found requests', o.notFoundRequests, o.rounds);
  assertWhole('creates', o.creates, o.payments);
  assertWhole('warmup', o.warmup, 0);
  assertWhole('request warmup', o.requestWarmup, 0);
  assertWhole('bank latency', o.bankLatencyMs, 0);
  const log = opts.log ?? ((line: string) => console.error(line));
  const runId = `bench${randomBytes(4).toString('hex')}`;
  const meter = await createVerifyMeter();
  const stack = await startBenchStack({ engine: 'sqlite', instances: 1, bankLatencyMs: o.bankLatencyMs, log });
  try {
    const walletUrl = stack.walletUrls[0];
    log(`bench server: wallet ${walletUrl} (pid ${stack.walletPids[0]}) on SQLite, bank ${stack.bank.url} (+${o.bankLatencyMs} ms per call)`);
    const shoppers = await registerBenchShoppers(stack, o.shoppers, runId);
    const runner = createConfirmRunner(stack, shoppers, runId);

    // Warm-up: every path the timed part takes, in both processes, long enough for V8 to compile it as it would in a
    // server that has been up a while (the file's comment).
    await runNotFound(walletUrl, o.requestWarmup, o.shoppers);
    await runner.createIntents(Math.max(o.requestWarmup, o.warmup));
    await runner.pay(o.warmup);
    await meter.verify(1000);
    await meter.cryptoVerify(1000);

    const notFound: LoadResult[] = [];
    const creates: LoadResult[] = [];
    const payments: LoadResult[] = [];
    const verifies: RateSlice[] = [];
    const cryptoVerifies: RateSlice[] = [];
    // Statements, transactions and fsyncs of the timed payments only (the outbox's polling in between included).
    const sqliteWork = emptySqliteWork();
    // CPU seconds of the timed payments only, per process.
    const cpuS = { wallet: 0, bank: 0, loadGenerator: 0 };
    const notFoundRounds = splitIntoRounds(o.notFoundRequests, o.rounds);
    const createRounds = splitIntoRounds(o.creates, o.rounds);
    const paymentRounds = splitIntoRounds(o.payments, o.rounds);
    for (let round = 0; round < o.rounds; round++) {
      notFound.push(await runNotFound(walletUrl, notFoundRounds[round], o.shoppers));
      creates.push(await runner.createIntents(createRounds[round]));
      verifies.push(await meter.verify(o.verifyMs / o.rounds));
      const before = await readSqliteCounters(walletUrl, stack.metricsToken);
      const cpuBefore = { wallet: cpuSeconds(stack.walletPids[0]), bank: cpuSeconds(stack.bankPid), self: process.cpuUsage() };
      payments.push(await runner.pay(paymentRounds[round]));
      const self = process.cpuUsage(cpuBefore.self);
      cpuS.wallet += cpuSeconds(stack.walletPids[0]) - cpuBefore.wallet;
      cpuS.bank += cpuSeconds(stack.bankPid) - cpuBefore.bank;
      cpuS.loadGenerator += (self.user + self.system) / 1e6;
      const after = await readSqliteCounters(walletUrl, stack.metricsToken);
      if (before && after) addSqliteWork(sqliteWork, before, after);
      cryptoVerifies.push(await meter.cryptoVerify(o.verifyMs / o.rounds));
      log(`bench server: round ${round + 1}/${o.rounds}: ${fixed(payments[round].perS)} payments/s, ${fixed(verifies[round].calls / (verifies[round].elapsedMs / 1000))} verifications/s`);
    }
    const rss = peakRssMb(stack.walletPids[0]);
    log(`bench server: checking ${runner.records.length} payments against the bank's ledger (${runner.settledLater} answered processing and settled later)`);
    assertExactlyOnce(await checkExactlyOnce(stack, runner.records, runner.chargesSince));

    const paid = combineRounds(payments);
    const verifyPerS = rateOf(verifies);
    const createPerS = combineRounds(creates).perS;
    const notFoundPerS = combineRounds(notFound).perS;
    return {
      shoppers: o.shoppers,
      bankLatencyMs: o.bankLatencyMs,
      payments: paid.jobs,
      confirmPerS: paid.perS,
      p50Ms: paid.p50Ms,
      p99Ms: paid.p99Ms,
      verifyPerS,
      cryptoVerifyPerS: rateOf(cryptoVerifies),
      confirmVsVerify: paid.perS / verifyPerS,
      createPerS,
      notFoundPerS,
      createVs404: createPerS / notFoundPerS,
      peakRssMb: rss,
      sqlitePerPayment: sqliteWork.statements > 0 ? sqliteWorkPer(sqliteWork, paid.jobs) : undefined,
      cpuPerPayment: cpuPerPayment(cpuS, paid.jobs, availableParallelism()),
    };
  } finally {
    await stack.stop();
  }
}

/** CPU seconds spent over `payments` payments, per payment in ms, and the rate they allow on `cores` cores. */
export function cpuPerPayment(cpuS: { wallet: number; bank: number; loadGenerator: number }, payments: number, cores: number): CpuPerPayment {
  if (!(payments > 0)) throw new RangeError(`bench: expected a positive number of payments, received ${payments}`);
  const perPayment = (seconds: number) => (seconds * 1000) / payments;
  const totalMs = perPayment(cpuS.wallet + cpuS.bank + cpuS.loadGenerator);
  if (!(totalMs > 0)) throw new RangeError(`bench: expected the payments to have used some CPU, measured ${totalMs} ms each`);
  return {
    walletMs: perPayment(cpuS.wallet),
    bankMs: perPayment(cpuS.bank),
    loadGeneratorMs: perPayment(cpuS.loadGenerator),
    cores,
    ceilingPerS: (cores * 1000) / totalMs,
  };
}

export function printServerFigures(f: ServerFigures): void {
  printFigures(
    `Server (SQLite, ${f.shoppers} shoppers, bank +${f.bankLatencyMs} ms per call, ${f.payments} timed payments)`,
    [
      ['full payments/s', fixed(f.confirmPerS)],
      ['p50 / p99 of a payment', `${fixed(f.p50Ms)} / ${fixed(f.p99Ms)} ms`],
      ['bare verifyAuthenticationResponse/s', fixed(f.verifyPerS)],
      ['bare ES256 crypto.verify/s', fixed(f.cryptoVerifyPerS)],
      ['payments vs verify', `${fixed(f.confirmVsVerify * 100)} %`],
      ['intents created/s', fixed(f.createPerS)],
      ['404 route/s', fixed(f.notFoundPerS)],
      ['create vs 404', `${fixed(f.createVs404 * 100)} %`],
      ['wallet peak RSS', `${fixed(f.peakRssMb)} MiB`],
      [
        'CPU per payment: wallet / bank / load generator',
        `${fixed(f.cpuPerPayment.walletMs, 2)} / ${fixed(f.cpuPerPayment.bankMs, 2)} / ${fixed(f.cpuPerPayment.loadGeneratorMs, 2)} ms`,
      ],
      [`most payments/s these allow on ${f.cpuPerPayment.cores} cores`, `${fixed(f.cpuPerPayment.ceilingPerS)} (${fixed((f.cpuPerPayment.ceilingPerS / f.verifyPerS) * 100)} % of bare verify)`],
      ...(f.sqlitePerPayment
        ? ([
            ['SQLite statements / payment', fixed(f.sqlitePerPayment.statements)],
            ['SQLite transactions / payment', fixed(f.sqlitePerPayment.transactions)],
            ['SQLite commits (fsyncs) / payment', `${fixed(f.sqlitePerPayment.commits)} (${fixed(f.sqlitePerPayment.transactionsPerCommit)} transactions per commit)`],
          ] as Array<[string, string]>)
        : []),
    ],
    f,
  );
}

if (isMainModule(import.meta.url)) printServerFigures(await runServerBench(serverBenchOptionsFrom(process.argv.slice(2))));
