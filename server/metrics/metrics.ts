import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SqliteDriverStats } from '../store/sqlite-wallet-driver.ts';

/** What the payment engine reports; the Prometheus side stays in this file. */
export interface Metrics {
  /** One call to a bank: `operation` charge|lookup_charge|refund|lookup_refund|…, `outcome` ok|declined|unknown|misconfigured. */
  bankCall(operation: string, outcome: string, seconds: number): void;
  /** An attempt reached its final status after `seconds` in processing. */
  paymentSettled(status: 'succeeded' | 'failed', seconds: number): void;
  /** An attempt had no answer from the bank for too long and went to review. */
  paymentNeedsReview(): void;
  /** One pass of a background worker (`bank_outbox`, `webhooks`, `ledger_check`). */
  workerPass(worker: string): void;
  /** Differences found between our records and a bank's. */
  ledgerMismatches(count: number): void;
}

export interface MetricsSources {
  intentsByStatus(): Promise<Array<{ status: string; count: number }>>;
  bankBacklog(): Promise<number>;
  webhookBacklog(): Promise<number>;
  /** The embedded SQLite driver's counters (grouped commits, reused statements); undefined on PostgreSQL. */
  sqliteStats?(): SqliteDriverStats | undefined;
}

/** A registry per server (tests run several in one process), with gauges read from the database at scrape time. */
export function createMetrics(sources: MetricsSources): { metrics: Metrics; registry: Registry } {
  const registry = new Registry();
  const bankCalls = new Histogram({
    name: 'paykey_bank_call_duration_seconds',
    help: 'Calls to partner banks by operation and outcome.',
    labelNames: ['operation', 'outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const processing = new Histogram({
    name: 'paykey_payment_processing_seconds',
    help: 'Time a payment attempt spent in processing before the bank settled it.',
    labelNames: ['status'],
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600, 86400],
    registers: [registry],
  });
  const reviews = new Counter({
    name: 'paykey_payments_requires_review_total',
    help: 'Payments moved to requires_review because the bank gave no answer in time (each one an alert).',
    registers: [registry],
  });
  const passes = new Counter({
    name: 'paykey_worker_passes_total',
    help: 'Passes of the background workers (bank outbox, webhooks, ledger check).',
    labelNames: ['worker'],
    registers: [registry],
  });
  const mismatches = new Counter({
    name: 'paykey_ledger_mismatches_total',
    help: "Differences found between our records and a bank's ledger.",
    registers: [registry],
  });
  new Gauge({
    name: 'paykey_payment_intents',
    help: 'Payment intents by status.',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const { status, count } of await sources.intentsByStatus()) this.set({ status }, count);
    },
  });
  new Gauge({
    name: 'paykey_bank_outbox_backlog',
    help: 'Charges and refunds waiting for a definite answer from a bank.',
    registers: [registry],
    async collect() {
      this.set(await sources.bankBacklog());
    },
  });
  new Gauge({
    name: 'paykey_webhook_backlog',
    help: 'Webhook deliveries not yet delivered (or given up).',
    registers: [registry],
    async collect() {
      this.set(await sources.webhookBacklog());
    },
  });
  if (sources.sqliteStats) registerSqliteGauges(registry, sources.sqliteStats);
  return {
    registry,
    metrics: {
      bankCall: (operation, outcome, seconds) => bankCalls.observe({ operation, outcome }, seconds),
      paymentSettled: (status, seconds) => processing.observe({ status }, seconds),
      paymentNeedsReview: () => reviews.inc(),
      workerPass: (worker) => passes.inc({ worker }),
      ledgerMismatches: (count) => mismatches.inc(count),
    },
  };
}

/**
 * Whether SQLite's commits are grouped (issue 7): each group COMMIT is one fsync, so members per commit is how many
 * transactions one disk wait carried; a failed group refused all its members. Counters since the process started.
 */
function registerSqliteGauges(registry: Registry, stats: () => SqliteDriverStats | undefined): void {
  const gauges: Array<[string, string, (s: SqliteDriverStats) => number]> = [
    ['paykey_sqlite_group_commits', 'Real SQLite COMMITs of groups that wrote (one fsync each), since start.', (s) => s.groupCommits],
    ['paykey_sqlite_grouped_transactions', 'Transactions and single writes made durable by those COMMITs, since start.', (s) => s.groupedMembers],
    ['paykey_sqlite_failed_groups', 'Groups whose COMMIT failed or that SQLite rolled back; every member was refused.', (s) => s.failedGroups],
    ['paykey_sqlite_statement_cache_hits', 'SQL statements run from a kept prepared statement, since start.', (s) => s.statementCacheHits],
    ['paykey_sqlite_statement_cache_misses', 'SQL statements that had to be prepared, since start.', (s) => s.statementCacheMisses],
    ['paykey_sqlite_statements', 'SQL statements run on the wallet\'s SQLite connections (transaction control not counted), since start.', (s) => s.statements],
    ['paykey_sqlite_commits', 'Commits that reached the disk (one fsync each; a write SQLite committed on its own counts), since start.', (s) => s.commits],
  ];
  for (const [name, help, read] of gauges) {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const current = stats();
        if (current) this.set(read(current));
      },
    });
  }
}
