/**
 * Part 3 of `npm run bench`: the wallet server under 16 concurrent shoppers, as in production — its own process on
 * SQLite, the sandbox bank its own process with a fixed latency, every call real HTTP from this process, passkeys
 * from the software authenticator. Reports full payments per second and p50/p99 next to the bare
 * `verifyAuthenticationResponse` and `crypto.verify` rates measured here in the same run, intent creation next to the
 * server's own 404 route, the wallet's peak RSS; fails when any payment was lost or charged twice.
 *
 *   node --import tsx test/bench/server-bench.ts [--payments 2000] [--warmup 200] [--shoppers 16] [--bank-latency-ms 20]
 *     [--not-found 3000] [--verify-ms 3000]      (or BENCH_PAYMENTS, BENCH_WARMUP, BENCH_SHOPPERS, …)
 */
import { randomBytes } from 'node:crypto';
import { isMainModule } from '../../demo/shared/is-main-module.ts';
import type { ServerFigures } from './figures.ts';
import { registerBenchShoppers } from './load-shoppers.ts';
import { peakRssMb } from './process-stats.ts';
import { fixed, numberOption, printFigures } from './server-cli.ts';
import { runConfirmations, runNotFound } from './server-confirm-run.ts';
import { assertExactlyOnce, checkExactlyOnce } from './server-exactly-once.ts';
import { startBenchStack } from './server-stack.ts';
import { measureVerifyRates } from './server-verify-rate.ts';

export interface ServerBenchOptions {
  /** Timed full payments; default 2000. */
  payments?: number;
  /** Payments before the timed ones; default 200. */
  warmup?: number;
  /** Concurrent shoppers (one payment at a time each); default 16. */
  shoppers?: number;
  /** The sandbox bank's fixed latency on every call; default 20 ms. */
  bankLatencyMs?: number;
  /** Timed GETs of a path that does not exist; default 3000 (after 500 untimed). */
  notFoundRequests?: number;
  /** How long each bare verification rate is measured; default 3000 ms. */
  verifyMs?: number;
  log?: (line: string) => void;
}

export const SERVER_BENCH_DEFAULTS: Required<Omit<ServerBenchOptions, 'log'>> = {
  payments: 2000,
  warmup: 200,
  shoppers: 16,
  bankLatencyMs: 20,
  notFoundRequests: 3000,
  verifyMs: 3000,
};

export async function runServerBench(opts: ServerBenchOptions = {}): Promise<ServerFigures> {
  const o = { ...SERVER_BENCH_DEFAULTS, ...opts };
  const log = opts.log ?? ((line: string) => console.error(line));
  const runId = `bench${randomBytes(4).toString('hex')}`;
  const stack = await startBenchStack({ engine: 'sqlite', instances: 1, bankLatencyMs: o.bankLatencyMs, log });
  let run;
  let notFoundPerS: number;
  let rss: number;
  try {
    log(`bench server: wallet ${stack.walletUrls[0]} (pid ${stack.walletPids[0]}) on SQLite, bank ${stack.bank.url} (+${o.bankLatencyMs} ms per call)`);
    const shoppers = await registerBenchShoppers(stack, o.shoppers, runId);
    await runNotFound(stack.walletUrls[0], 500, o.shoppers);
    notFoundPerS = await runNotFound(stack.walletUrls[0], o.notFoundRequests, o.shoppers);
    log(`bench server: ${o.shoppers} shoppers registered; 404 route ${fixed(notFoundPerS)}/s; creating ${o.warmup + o.payments} intents, then paying them`);
    run = await runConfirmations(stack, shoppers, { payments: o.payments, warmup: o.warmup, runId });
    rss = peakRssMb(stack.walletPids[0]);
    log(`bench server: ${fixed(run.confirmPerS)} payments/s, p50 ${fixed(run.p50Ms)} ms, p99 ${fixed(run.p99Ms)} ms; checking the bank's ledger`);
    assertExactlyOnce(await checkExactlyOnce(stack, run.records, run.chargesSince));
  } finally {
    await stack.stop();
  }
  const rates = await measureVerifyRates(o.verifyMs);
  return {
    shoppers: o.shoppers,
    bankLatencyMs: o.bankLatencyMs,
    payments: o.payments,
    confirmPerS: run.confirmPerS,
    p50Ms: run.p50Ms,
    p99Ms: run.p99Ms,
    verifyPerS: rates.verifyPerS,
    cryptoVerifyPerS: rates.cryptoVerifyPerS,
    confirmVsVerify: run.confirmPerS / rates.verifyPerS,
    createPerS: run.createPerS,
    notFoundPerS,
    createVs404: run.createPerS / notFoundPerS,
    peakRssMb: rss,
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
    ],
    f,
  );
}

if (isMainModule(import.meta.url)) {
  const figures = await runServerBench({
    payments: numberOption('payments', 'BENCH_PAYMENTS', SERVER_BENCH_DEFAULTS.payments),
    warmup: numberOption('warmup', 'BENCH_WARMUP', SERVER_BENCH_DEFAULTS.warmup),
    shoppers: numberOption('shoppers', 'BENCH_SHOPPERS', SERVER_BENCH_DEFAULTS.shoppers),
    bankLatencyMs: numberOption('bank-latency-ms', 'BENCH_BANK_LATENCY_MS', SERVER_BENCH_DEFAULTS.bankLatencyMs),
    notFoundRequests: numberOption('not-found', 'BENCH_NOT_FOUND', SERVER_BENCH_DEFAULTS.notFoundRequests),
    verifyMs: numberOption('verify-ms', 'BENCH_VERIFY_MS', SERVER_BENCH_DEFAULTS.verifyMs),
  });
  printServerFigures(figures);
}
