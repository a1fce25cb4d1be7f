/**
 * The bank faults of a chaos run, switched on the sandbox bank's admin API
 * (`PUT/DELETE /admin/faults`), and the tally of what fired, read from the
 * bank's own log lines (`sandbox bank: fault <kind> on <METHOD> <path> …`),
 * which survive a bank crash where the in-memory hit counters do not.
 */
import { httpJson, describeResult } from './http-json.ts';

export interface FaultRuleInput {
  route: 'charge' | 'charge_lookup' | 'refund' | 'refund_lookup' | 'token' | 'any';
  kind: 'latency' | 'timeout' | 'error_before' | 'error_after' | 'drop_after' | 'conflict_after' | 'garbled_after' | 'duplicate';
  rate?: number;
  count?: number;
  ms?: number;
}

/** How long a `timeout` fault holds a charge: longer than the wallet's bank timeout, shorter than its unknown-grace. */
export const TIMEOUT_HOLD_MS = 3_000;

/**
 * Each kind at `rate` on charges (rules are tried in order, each with its own
 * roll, so together about 8 × rate of charges meet a fault), plus slow lookups.
 */
export function chaosFaultRules(rate: number): FaultRuleInput[] {
  if (rate === 0) return [];
  return [
    // Latency 200–800 ms: three rules sharing the rate.
    { route: 'charge', kind: 'latency', ms: 200, rate: rate / 3 },
    { route: 'charge', kind: 'latency', ms: 500, rate: rate / 3 },
    { route: 'charge', kind: 'latency', ms: 800, rate: rate / 3 },
    { route: 'charge', kind: 'timeout', ms: TIMEOUT_HOLD_MS, rate },
    { route: 'charge', kind: 'error_before', rate },
    { route: 'charge', kind: 'error_after', rate },
    { route: 'charge', kind: 'drop_after', rate },
    { route: 'charge', kind: 'conflict_after', rate },
    { route: 'charge', kind: 'garbled_after', rate },
    { route: 'charge', kind: 'duplicate', rate },
    { route: 'charge_lookup', kind: 'latency', ms: 700, rate: Math.min(1, rate * 2) },
  ];
}

export async function applyFaults(bank: { url: string; adminKey: string }, rules: FaultRuleInput[]): Promise<void> {
  const result = await httpJson(`${bank.url}/admin/faults`, {
    method: 'PUT',
    body: { faults: rules },
    headers: { authorization: `Bearer ${bank.adminKey}` },
  });
  if (result.status !== 200) throw new Error(`bank refused the fault rules: ${describeResult(result)} ${JSON.stringify(result.body)}`);
}

export async function clearFaults(bank: { url: string; adminKey: string }): Promise<void> {
  const result = await httpJson(`${bank.url}/admin/faults`, { method: 'DELETE', headers: { authorization: `Bearer ${bank.adminKey}` } });
  if (result.status !== 204) throw new Error(`bank did not clear its faults: ${describeResult(result)}`);
}

/** `{ 'charge latency': 12, 'charge_lookup latency': 30, … }` from the bank's stderr. */
export function tallyFaults(bankStderr: string): Map<string, number> {
  const tally = new Map<string, number>();
  for (const match of bankStderr.matchAll(/sandbox bank: fault (\w+) on (GET|HEAD|POST) (\/\S+)/g)) {
    const [, kind, method, pathname] = match;
    const what = pathname.startsWith('/v1/charges') ? 'charge' : pathname.startsWith('/v1/refunds') ? 'refund' : pathname.slice(4);
    const route = method === 'POST' ? what : `${what}_lookup`;
    const key = `${route} ${kind}`;
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  return tally;
}
