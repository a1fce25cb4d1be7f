/**
 * The chaos run's command line:
 *   npm run chaos -- --payments 2000 --crash-every 100 [--db postgres] [--instances 2] [--seed N] [--concurrency 8]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ChaosOptions {
  payments: number;
  /** Kill a random wallet instance once per this many started payments; 0 = never. */
  crashEvery: number;
  db: 'sqlite' | 'postgres';
  instances: number;
  seed: number;
  concurrency: number;
  /** How many shoppers (each with its own passkey); at least `concurrency`, as a shopper pays one payment at a time. */
  shoppers: number;
  /** SIGKILL + restart the sandbox bank this many times during the run. */
  bankCrashes: number;
  /** The rate (0..1) of each fault rule. */
  faultRate: number;
  /** After the last payment started (faults off): how long every intent may take to settle. */
  settleDeadlineMs: number;
  /** One payment gives up after this long (it then counts as unsettled). */
  paymentTimeoutMs: number;
  /** The run fails when settle_p99_ms is above this. */
  maxSettleP99Ms: number;
  /** Where `server/main.ts` is run from (another checkout, e.g. an export of the last commit); default this repo. */
  serverRoot: string;
  /** Keep the run directory (server logs, databases) instead of deleting it. */
  keep: boolean;
}

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export const USAGE = `usage: npm run chaos -- [options]
  --payments N           payments to drive (default 200)
  --crash-every N        SIGKILL a random wallet instance once per N started payments; 0 = never (default 100)
  --db sqlite|postgres   wallet database (default sqlite); postgres uses DATABASE_URL, else an embedded server
  --instances N          wallet server processes sharing the database (default 1; SQLite allows only 1)
  --seed N               random seed (default: random, printed)
  --concurrency N        payments in flight at a time (default 8)
  --shoppers N           shoppers in the pool (default 2 × concurrency)
  --bank-crashes N       SIGKILL + restart the bank N times (default 2; 0 = never)
  --fault-rate R         rate of each bank fault rule, 0..1 (default 0.04)
  --settle-deadline-ms N time every intent gets to settle once faults are off (default 120000)
  --payment-timeout-ms N one payment gives up after this long (default 180000)
  --max-settle-p99-ms N  fail when settle_p99_ms is above this (default 10000)
  --server-root DIR      run server/main.ts from DIR instead of this checkout
  --keep                 keep the run directory (logs, databases)`;

export class UsageError extends Error {}

export function parseChaosArgs(argv: string[]): ChaosOptions {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') continue;
    if (arg === '--help' || arg === '-h') throw new UsageError(USAGE);
    if (arg === '--keep') {
      flags.add('keep');
      continue;
    }
    const match = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}\n${USAGE}`);
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${match[1]}: expected a value, received none`);
    values.set(match[1], value);
  }
  const known = new Set([
    'payments', 'crash-every', 'db', 'instances', 'seed', 'concurrency', 'shoppers', 'bank-crashes', 'fault-rate',
    'settle-deadline-ms', 'payment-timeout-ms', 'max-settle-p99-ms', 'server-root',
  ]);
  for (const name of values.keys()) if (!known.has(name)) throw new UsageError(`unknown option --${name}\n${USAGE}`);

  const int = (name: string, fallback: number, min: number): number => {
    const text = values.get(name);
    if (text === undefined) return fallback;
    if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`--${name}: expected an integer ≥ ${min}, received ${JSON.stringify(text)}`);
    return Number(text);
  };
  const db = values.get('db') ?? 'sqlite';
  if (db !== 'sqlite' && db !== 'postgres') throw new UsageError(`--db: expected sqlite or postgres, received ${JSON.stringify(db)}`);
  const instances = int('instances', 1, 1);
  if (db === 'sqlite' && instances > 1) {
    throw new UsageError(`--instances ${instances}: SQLite is one process's database; run several instances with --db postgres`);
  }
  const faultRateText = values.get('fault-rate') ?? '0.04';
  const faultRate = Number(faultRateText);
  if (!(faultRate >= 0 && faultRate <= 1)) throw new UsageError(`--fault-rate: expected a number 0..1, received ${JSON.stringify(faultRateText)}`);
  const concurrency = int('concurrency', 8, 1);
  const shoppers = int('shoppers', concurrency * 2, 1);
  if (shoppers < concurrency) throw new UsageError(`--shoppers ${shoppers}: expected at least --concurrency (${concurrency}); a shopper pays one payment at a time`);

  return {
    payments: int('payments', 200, 1),
    crashEvery: int('crash-every', 100, 0),
    db,
    instances,
    seed: int('seed', Math.floor(Math.random() * 2 ** 31), 0),
    concurrency,
    shoppers,
    bankCrashes: int('bank-crashes', 2, 0),
    faultRate,
    settleDeadlineMs: int('settle-deadline-ms', 120_000, 1),
    paymentTimeoutMs: int('payment-timeout-ms', 180_000, 1),
    maxSettleP99Ms: int('max-settle-p99-ms', 10_000, 0),
    serverRoot: path.resolve(values.get('server-root') ?? repoRoot),
    keep: flags.has('keep'),
  };
}
