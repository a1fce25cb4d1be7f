/**
 * `npm run chaos -- --payments 2000 --crash-every 100 [--db postgres] [--instances 2] [--seed N] [--concurrency 8]`
 *
 * Proves "a shopper is charged once — never twice, never lost — whatever the
 * network, the bank or our own process does": drives real payments through
 * real wallet server processes while the bank misbehaves and processes are
 * SIGKILLed, then checks every intent against the bank's ledger. The last line
 * of stdout is the verdict; the exit code is 0 only when it holds.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBankProcess } from './bank-process.ts';
import { createChaosMonkey } from './chaos-monkey.ts';
import { createCleanup, type Cleanup } from './cleanup.ts';
import { parseChaosArgs, UsageError, type ChaosOptions } from './cli-args.ts';
import { applyFaults, chaosFaultRules, clearFaults, tallyFaults } from './fault-plan.ts';
import { checkLedger } from './ledger-check.ts';
import { drivePayment, type PaymentRecord } from './payment-driver.ts';
import { createRandom } from './random.ts';
import { formatFailureCodes, formatFailures, formatFaultTally, formatSlowestSettles, formatVerdictLine, passed, percentile, settleSamples, type Verdict } from './report.ts';
import { registerShoppers } from './shopper-pool.ts';
import { startWalletCluster } from './wallet-cluster.ts';
import { prepareWalletDatabase } from './wallet-database.ts';

const say = (line: string) => console.log(line);
const log = (line: string) => console.error(line);
const CURRENCIES = ['USD', 'USD', 'USD', 'EUR', 'GBP', 'JPY'];

async function runChaos(options: ChaosOptions, cleanup: Cleanup): Promise<number> {
  const random = createRandom(options.seed);
  const runId = `chaos${randomBytes(4).toString('hex')}`;
  const runDir = mkdtempSync(path.join(tmpdir(), 'paykey-chaos-'));
  cleanup.add('run directory', () => (options.keep ? log(`chaos: kept ${runDir}`) : rmSync(runDir, { recursive: true, force: true })));
  const t0 = Date.now();
  say(`chaos: seed=${options.seed} payments=${options.payments} crash-every=${options.crashEvery} db=${options.db} instances=${options.instances} concurrency=${options.concurrency} bank-crashes=${options.bankCrashes} fault-rate=${options.faultRate}`);

  // 1. The database, the bank, the wallet processes.
  const database = await prepareWalletDatabase(options.db, runDir);
  cleanup.add('wallet database', () => database.drop());
  const bank = await startBankProcess(path.join(runDir, 'bank'));
  cleanup.add('bank', () => bank.stop());
  const wallet = await startWalletCluster({
    instances: options.instances,
    serverRoot: options.serverRoot,
    runDir,
    bank,
    databaseEnv: database.env,
    sqliteDataDir: database.sqliteDataDir,
    secretKey: `sk_test_${randomBytes(18).toString('base64url')}`,
    merchantOrigin: 'https://shop.chaos.example',
    random: random.fork(),
    log,
  });
  cleanup.add('wallet servers', () => wallet.stop());
  if (!(await database.hasWalletTables())) {
    throw new Error('the wallet server created no tables in PostgreSQL: it ignores DATABASE_URL (this server predates PostgreSQL support)');
  }
  log(`chaos: bank ${bank.url}, wallets ${wallet.instances.map((i) => i.url).join(' ')} on ${database.describe} (${Date.now() - t0} ms)`);

  // 2. Shoppers, before any fault.
  const shoppers = await registerShoppers(wallet, options.shoppers, runId, random.fork());

  // 3. Faults on, crashes scheduled, payments driven.
  const since = new Date(Date.now() - 5_000).toISOString();
  const rules = chaosFaultRules(options.faultRate);
  let faultsOn = true;
  await applyFaults(bank, rules);
  const records: PaymentRecord[] = [];
  const inFlight = new Set<PaymentRecord>();
  const monkey = createChaosMonkey({
    payments: options.payments,
    crashEvery: options.crashEvery,
    bankCrashes: options.bankCrashes,
    wallet,
    bank,
    random: random.fork(),
    inFlight: () => [...inFlight],
    afterBankRestart: async () => {
      if (faultsOn) await applyFaults(bank, rules);
    },
    log,
  });
  let hardDeadline = Number.POSITIVE_INFINITY;
  const ctx = { wallet, keyPrefix: runId, paymentTimeoutMs: options.paymentTimeoutMs, hardDeadline: () => hardDeadline };
  const paymentRandom = random.fork();
  const driveStart = Date.now();
  let allStarted!: () => void;
  const allStartedPromise = new Promise<void>((resolve) => (allStarted = resolve));

  const runOne = async (n: number) => {
    const shopper = await shoppers.acquire();
    const currency = paymentRandom.pick(CURRENCIES);
    const record: PaymentRecord = {
      n,
      amount: currency === 'JPY' ? paymentRandom.int(100, 50_000) : paymentRandom.int(50, 99_999),
      currency,
      shopper: shopper.email,
      startedAt: Date.now(),
      confirmsSent: 0,
      notes: [],
    };
    records.push(record);
    inFlight.add(record);
    monkey.onPaymentStarted(n);
    if (n === options.payments - 1) allStarted();
    try {
      await drivePayment(ctx, record, shopper);
    } catch (error) {
      record.gaveUp = `driver error: ${(error as Error).message}`;
    } finally {
      inFlight.delete(record);
      shoppers.release(shopper);
    }
  };
  let next = 0;
  const workers = Array.from({ length: options.concurrency }, async () => {
    while (next < options.payments) await runOne(next++);
  });
  const progress = setInterval(() => {
    const done = records.filter((r) => r.final || r.gaveUp).length;
    log(`chaos: +${Math.round((Date.now() - driveStart) / 1000)}s started=${records.length} done=${done} in_flight=${inFlight.size} crashes=${monkey.walletCrashes.length} bank_crashes=${bank.crashes}`);
  }, 10_000);
  cleanup.add('progress', () => clearInterval(progress));

  // 4. Once every payment has started: no more crashes or faults; the rest must settle before the deadline.
  await allStartedPromise;
  await monkey.stop();
  await clearFaults(bank);
  faultsOn = false;
  hardDeadline = Date.now() + options.settleDeadlineMs;
  await Promise.all(workers);
  clearInterval(progress);
  const driveMs = Date.now() - driveStart;

  // 5. The verdict.
  const reader = database.openReader();
  cleanup.add('database reader', () => reader.destroy());
  const check = await checkLedger({ records, wallet, bank, db: reader, since });
  const statuses = [...check.statuses.values()];
  const verdict: Verdict = {
    payments: options.payments,
    succeeded: statuses.filter((s) => s === 'succeeded').length,
    failed: statuses.filter((s) => s === 'failed').length,
    doubleCharges: check.doubleCharges.length,
    lost: check.lost.length,
    mismatches: check.mismatches.length,
    unsettled: check.unsettled.length,
    crashes: monkey.walletCrashes.length,
    settleP99Ms: percentile(settleSamples(monkey.walletCrashes).map((s) => s.ms), 99),
    maxSettleP99Ms: options.maxSettleP99Ms,
  };
  const unexpectedExits = wallet.instances.reduce((sum, i) => sum + i.unexpectedExits, 0);
  say(formatFaultTally(tallyFaults(bank.stderr())));
  say(
    `run: drive ${Math.round(driveMs / 1000)}s, total ${Math.round((Date.now() - t0) / 1000)}s; bank_crashes=${bank.crashes} ` +
      `caught_by_kills=${settleSamples(monkey.walletCrashes).length} unsettled=${verdict.unsettled} ` +
      `confirmations=${records.reduce((s, r) => s + r.confirmsSent, 0)}` +
      (unexpectedExits > 0 ? ` WALLET_EXITED_BY_ITSELF=${unexpectedExits}` : ''),
  );
  say(formatFailureCodes(check.failureCodes));
  const ok = passed(verdict);
  if (!ok) for (const line of formatFailures(verdict, check, records)) say(line);
  if (verdict.settleP99Ms > verdict.maxSettleP99Ms) for (const line of formatSlowestSettles(monkey.walletCrashes)) say(line);
  say(formatVerdictLine(verdict));
  return ok ? 0 : 1;
}

let exitCode: number;
const cleanup = createCleanup(log);
try {
  exitCode = await runChaos(parseChaosArgs(process.argv.slice(2)), cleanup);
} catch (error) {
  if (error instanceof UsageError) {
    log(error.message);
    exitCode = 2;
  } else {
    log(`chaos: the run could not complete: ${(error as Error).stack ?? String(error)}`);
    exitCode = 2;
  }
} finally {
  await cleanup.run();
}
process.exit(exitCode!);
