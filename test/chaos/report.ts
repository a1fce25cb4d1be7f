/** What the run prints: the fault tally, the offending payments, and the verdict as the last line. */
import type { WalletCrash } from './chaos-monkey.ts';
import type { LedgerCheck } from './ledger-check.ts';
import type { PaymentRecord } from './payment-driver.ts';

export interface SettleSample {
  record: PaymentRecord;
  /** The last kill that found the payment in flight. */
  crash: WalletCrash;
  ms: number;
}

/**
 * One sample per payment in flight at a wallet kill: from the restart (READY)
 * after the last kill that found it in flight to its final status; 0 when it
 * settled before that restart; Infinity when it never settled (or the
 * instance never came back).
 */
export function settleSamples(crashes: WalletCrash[]): SettleSample[] {
  const lastCrash = new Map<PaymentRecord, WalletCrash>();
  for (const crash of [...crashes].sort((a, b) => a.killedAt - b.killedAt)) for (const record of crash.inFlight) lastCrash.set(record, crash);
  return [...lastCrash].map(([record, crash]) => ({
    record,
    crash,
    ms: record.finalAt === undefined || crash.readyAt === undefined ? Number.POSITIVE_INFINITY : Math.max(0, record.finalAt - crash.readyAt),
  }));
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function formatFaultTally(tally: Map<string, number>): string {
  if (tally.size === 0) return 'faults: none fired';
  return `faults: ${[...tally.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k.replace(' ', ':')}=${n}`).join(' ')}`;
}

export interface Verdict {
  payments: number;
  succeeded: number;
  failed: number;
  doubleCharges: number;
  lost: number;
  mismatches: number;
  unsettled: number;
  crashes: number;
  settleP99Ms: number;
  maxSettleP99Ms: number;
}

export function passed(v: Verdict): boolean {
  return v.doubleCharges === 0 && v.lost === 0 && v.mismatches === 0 && v.unsettled === 0 && v.settleP99Ms <= v.maxSettleP99Ms;
}

export function formatVerdictLine(v: Verdict): string {
  const p99 = Number.isFinite(v.settleP99Ms) ? String(Math.round(v.settleP99Ms)) : 'unsettled';
  return `payments=${v.payments} succeeded=${v.succeeded} failed=${v.failed} double_charges=${v.doubleCharges} lost=${v.lost} mismatches=${v.mismatches} crashes=${v.crashes} settle_p99_ms=${p99}`;
}

/** `failed: card_declined=120 processing_error=3`: why the failed intents failed. */
export function formatFailureCodes(codes: Map<string, string>): string {
  const counts = new Map<string, number>();
  for (const code of codes.values()) counts.set(code, (counts.get(code) ?? 0) + 1);
  return `failed: ${[...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([code, n]) => `${code}=${n}`).join(' ') || 'none'}`;
}

/** The payments caught by a kill that took longest to settle after the restart. */
export function formatSlowestSettles(crashes: WalletCrash[], limit = 5): string[] {
  return settleSamples(crashes)
    .sort((a, b) => b.ms - a.ms)
    .slice(0, limit)
    .flatMap(({ crash, record, ms }) => [
      `--- slow settle: payment ${record.n} ${record.intentId ?? '(no intent)'} ${Number.isFinite(ms) ? `${ms} ms` : 'never'} after wallet ${crash.instance} restarted ` +
        `(killed at +${crash.killedAt - record.startedAt} ms, ready at +${(crash.readyAt ?? Number.NaN) - record.startedAt} ms)`,
      ...record.notes.map((note) => `  shopper ${note}`),
    ]);
}

/** Why the run failed, and the first few offending intents with their attempts and bank charges. */
export function formatFailures(v: Verdict, check: LedgerCheck, records: PaymentRecord[], limit = 5): string[] {
  const lines: string[] = [];
  const sections: Array<[string, { intentId: string; what: string }[]]> = [
    ['double charges', check.doubleCharges],
    ['lost', check.lost],
    ['mismatches', check.mismatches],
    ['unsettled', check.unsettled],
  ];
  for (const [name, findings] of sections) {
    if (findings.length === 0) continue;
    lines.push(`${name}: ${findings.length}`);
    for (const f of findings.slice(0, limit)) lines.push(`  ${f.intentId}: ${f.what}`);
    if (findings.length > limit) lines.push(`  … and ${findings.length - limit} more`);
  }
  if (v.settleP99Ms > v.maxSettleP99Ms) {
    lines.push(`settle_p99_ms ${Number.isFinite(v.settleP99Ms) ? Math.round(v.settleP99Ms) : 'unsettled'} is above ${v.maxSettleP99Ms}`);
  }

  const offenders = [...new Set(sections.flatMap(([, findings]) => findings.map((f) => f.intentId)))].slice(0, limit);
  const byIntent = new Map(records.map((r) => [r.intentId ?? `(payment ${r.n}: no intent)`, r]));
  for (const id of offenders) {
    const record = byIntent.get(id);
    lines.push(`--- ${id}${record ? ` (payment ${record.n}, ${record.amount} ${record.currency}, ${record.shopper})` : ''}: now ${check.statuses.get(id) ?? '?'}`);
    for (const a of check.attempts.get(id) ?? []) {
      lines.push(`  attempt ${a.reference}: ${a.status}${a.error_code ? ` ${a.error_code}` : ''} bank_charge_id=${a.bank_charge_id ?? '-'} created ${a.created_at} updated ${a.updated_at}`);
    }
    for (const c of check.charges.get(id) ?? []) {
      lines.push(`  bank ${c.id} ${c.reference}: ${c.status}${c.decline_code ? ` ${c.decline_code}` : ''} ${c.amount} ${c.currency} at ${c.created_at}`);
    }
    for (const note of record?.notes ?? []) lines.push(`  shopper ${note}`);
  }
  return lines;
}
