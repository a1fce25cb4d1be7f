/** What the run prints: the fault tally, the offending payments, and the verdict as the last line. */
import type { WalletCrash } from './chaos-monkey.ts';
import type { LedgerCheck } from './ledger-check.ts';
import type { PaymentRecord } from './payment-driver.ts';

/**
 * For each payment in flight at a wallet kill: restart (READY) → its final
 * status; 0 when it settled before the restart; Infinity when it never did.
 */
export function settleTimes(crashes: WalletCrash[]): number[] {
  return crashes.flatMap((crash) =>
    crash.inFlight.map((record) => {
      if (record.finalAt === undefined || crash.readyAt === undefined) return Number.POSITIVE_INFINITY;
      return Math.max(0, record.finalAt - crash.readyAt);
    }),
  );
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
