/**
 * The verdict: our records against the bank's ledger, read independently of
 * the server's code — the bank over its API (by each of our references, and
 * its whole listing since the run began), ours over the merchant API and a
 * read-only connection to the wallet database.
 */
import type { Kysely } from 'kysely';
import { describeResult, httpJson } from './http-json.ts';
import { getIntent } from './merchant-client.ts';
import type { PaymentRecord } from './payment-driver.ts';
import type { WalletCluster } from './wallet-cluster.ts';
import type { WalletView } from './wallet-database.ts';

export interface BankCharge {
  id: string;
  reference: string;
  amount: number;
  currency: string;
  status: 'approved' | 'declined';
  decline_code: string | null;
  created_at: string;
}

export type Attempt = WalletView['payment_attempts'];

export interface Finding {
  intentId: string;
  what: string;
  /** The payment (driver record) when no intent id was had. */
  payment?: number;
}

export interface LedgerCheck {
  /** Final status per intent, as the merchant API shows it. */
  statuses: Map<string, string>;
  /** `last_error.code` of each failed intent. */
  failureCodes: Map<string, string>;
  doubleCharges: Finding[];
  lost: Finding[];
  mismatches: Finding[];
  /** Still `processing`/`requires_review`, or a payment the driver could not finish. */
  unsettled: Finding[];
  attempts: Map<string, Attempt[]>;
  charges: Map<string, BankCharge[]>;
}

export interface LedgerCheckInput {
  records: PaymentRecord[];
  wallet: WalletCluster;
  bank: { url: string; apiKey: string };
  db: Kysely<WalletView>;
  /** Listing start: a little before the run's first charge. */
  since: string;
}

export async function checkLedger({ records, wallet, bank, db, since }: LedgerCheckInput): Promise<LedgerCheck> {
  const ours = records.filter((r) => r.intentId);
  const intentIds = new Set(ours.map((r) => r.intentId!));

  // Ours: the merchant API's view, and the database rows.
  const statuses = new Map<string, string>();
  const failureCodes = new Map<string, string>();
  await forEachLimit(ours, 16, async (r) => {
    const intent = await getIntent(wallet, r.intentId!);
    statuses.set(intent.id, intent.status);
    if (intent.status === 'failed') failureCodes.set(intent.id, intent.last_error?.code ?? 'none');
  });
  const intentRows = new Map((await db.selectFrom('payment_intents').selectAll().execute()).map((row) => [row.id, row]));
  const attempts = groupBy(
    (await db.selectFrom('payment_attempts').selectAll().orderBy('attempt_number').execute()).filter((a) => intentIds.has(a.intent_id)),
    (a) => a.intent_id,
  );
  const ourReferences = new Set([...attempts.values()].flat().map((a) => a.reference));

  // The bank's: every charge since the run began, and each of our references asked for by name.
  const listed = await listCharges(bank, since);
  const byReference = new Map<string, BankCharge | undefined>();
  await forEachLimit([...ourReferences], 16, async (reference) => {
    const result = await httpJson(`${bank.url}/v1/charges?reference=${encodeURIComponent(reference)}`, {
      headers: { authorization: `Bearer ${bank.apiKey}` },
    });
    if (result.status !== 200) throw new Error(`bank lookup of ${reference}: ${describeResult(result)}`);
    byReference.set(reference, result.body.data[0]);
  });
  const charges = groupBy(listed, (c) => intentIdOf(c.reference));

  const doubleCharges: Finding[] = [];
  const lost: Finding[] = [];
  const mismatches: Finding[] = [];
  const unsettled: Finding[] = [];

  for (const charge of listed) {
    if (!ourReferences.has(charge.reference)) {
      mismatches.push({ intentId: intentIdOf(charge.reference), what: `bank charge ${charge.id} (${charge.status}) has reference ${charge.reference}, which we never issued` });
    }
  }

  for (const record of records) {
    if (!record.intentId) {
      unsettled.push({ intentId: `(payment ${record.n}: no intent)`, payment: record.n, what: record.gaveUp ?? 'no intent was created' });
      continue;
    }
    const id = record.intentId;
    const status = statuses.get(id)!;
    const row = intentRows.get(id);
    const approved = (charges.get(id) ?? []).filter((c) => c.status === 'approved');

    if (status === 'processing' || status === 'requires_review') unsettled.push({ intentId: id, what: `still ${status}` });
    else if (!record.final) unsettled.push({ intentId: id, what: `the shopper could not finish: ${record.gaveUp ?? 'unknown'} (status ${status})` });

    if (approved.length > 1) doubleCharges.push({ intentId: id, what: `${approved.length} approved bank charges: ${approved.map((c) => c.id).join(', ')}` });
    if (approved.length > 0 && status !== 'succeeded') lost.push({ intentId: id, what: `the bank charged it (${approved[0].id}) but we show ${status}` });
    if (approved.length === 0 && status === 'succeeded') lost.push({ intentId: id, what: 'we show succeeded but the bank has no approved charge' });
    if (!row) mismatches.push({ intentId: id, what: 'the API shows it, the database has no such intent' });
    else if (row.status !== status) mismatches.push({ intentId: id, what: `the database says ${row.status}, the API ${status}` });

    for (const attempt of attempts.get(id) ?? []) {
      const charge = byReference.get(attempt.reference);
      const listedCharge = (charges.get(id) ?? []).find((c) => c.reference === attempt.reference);
      if (charge?.id !== listedCharge?.id) {
        mismatches.push({ intentId: id, what: `${attempt.reference}: the bank's lookup (${charge?.id ?? 'none'}) and listing (${listedCharge?.id ?? 'none'}) disagree` });
      }
      for (const problem of compareAttempt(attempt, charge, row ?? { amount: record.amount, currency: record.currency })) {
        mismatches.push({ intentId: id, what: `${attempt.reference}: ${problem}` });
      }
    }
  }
  return { statuses, failureCodes, doubleCharges, lost, mismatches, unsettled, attempts, charges };
}

function compareAttempt(attempt: Attempt, charge: BankCharge | undefined, intent: { amount: number; currency: string }): string[] {
  if (!charge) return attempt.status === 'pending' ? ['still pending; the bank never saw it'] : [`we recorded ${attempt.status}, the bank has no charge`];
  const problems: string[] = [];
  if (attempt.status !== charge.status) problems.push(`we recorded ${attempt.status}, the bank ${charge.status} (${charge.id})`);
  if (attempt.status !== 'pending' && attempt.bank_charge_id !== charge.id) {
    problems.push(`we recorded bank charge ${attempt.bank_charge_id ?? 'none'}, the bank has ${charge.id}`);
  }
  if (Number(charge.amount) !== Number(intent.amount) || charge.currency !== intent.currency) {
    problems.push(`the bank charged ${charge.amount} ${charge.currency} for an intent of ${intent.amount} ${intent.currency}`);
  }
  return problems;
}

/** `<intent id>_<attempt number>` → the intent id. */
export function intentIdOf(reference: string): string {
  const cut = reference.lastIndexOf('_');
  return cut > 0 ? reference.slice(0, cut) : reference;
}

async function listCharges(bank: { url: string; apiKey: string }, since: string): Promise<BankCharge[]> {
  const all: BankCharge[] = [];
  let after: string | undefined;
  for (;;) {
    const query = new URLSearchParams({ created_since: since, limit: '500', ...(after ? { starting_after: after } : {}) });
    const result = await httpJson(`${bank.url}/v1/charges?${query}`, { headers: { authorization: `Bearer ${bank.apiKey}` } });
    if (result.status !== 200) throw new Error(`bank listing: ${describeResult(result)} ${JSON.stringify(result.body)}`);
    all.push(...result.body.data);
    if (!result.body.has_more || result.body.data.length === 0) return all;
    after = result.body.data.at(-1).id;
  }
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

async function forEachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}
