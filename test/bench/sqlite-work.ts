/**
 * The wallet's SQLite counters from its `/metrics` (server/metrics/metrics.ts), read before and after a measured
 * stretch: what the payments in between cost the database, per payment. Only counters (statements, group members,
 * commits) — work, which the load on a shared machine does not change, unlike a rate.
 */
import type { SqliteWorkPerPayment } from './figures.ts';

const COUNTERS = {
  statements: 'paykey_sqlite_statements',
  transactions: 'paykey_sqlite_grouped_transactions',
  commits: 'paykey_sqlite_commits',
} as const;

export type SqliteCounters = Record<keyof typeof COUNTERS, number>;

/** The counters now, or undefined when the instance does not expose them (PostgreSQL, or no metrics token). */
export async function readSqliteCounters(walletUrl: string, metricsToken: string): Promise<SqliteCounters | undefined> {
  const res = await fetch(`${walletUrl}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
  if (res.status !== 200) throw new Error(`bench: expected GET /metrics to answer 200, received ${res.status} ${await res.text()}`);
  const text = await res.text();
  const counters: Partial<SqliteCounters> = {};
  for (const [key, name] of Object.entries(COUNTERS) as Array<[keyof SqliteCounters, string]>) {
    const line = new RegExp(`^${name} ([0-9.e+]+)$`, 'm').exec(text);
    if (!line) return undefined;
    counters[key] = Number(line[1]);
  }
  return counters as SqliteCounters;
}

/** Adds what one stretch between `before` and `after` cost to `total`. */
export function addSqliteWork(total: SqliteCounters, before: SqliteCounters, after: SqliteCounters): void {
  for (const key of Object.keys(COUNTERS) as Array<keyof SqliteCounters>) total[key] += after[key] - before[key];
}

export function emptySqliteWork(): SqliteCounters {
  return { statements: 0, transactions: 0, commits: 0 };
}

/** The totals over `count` payments (or requests), per payment (or request). */
export function sqliteWorkPer(total: SqliteCounters, count: number): SqliteWorkPerPayment {
  if (!(count > 0)) throw new RangeError(`bench: expected a positive number of payments or requests, received ${count}`);
  return {
    statements: total.statements / count,
    transactions: total.transactions / count,
    commits: total.commits / count,
    transactionsPerCommit: total.commits === 0 ? 0 : total.transactions / total.commits,
  };
}
