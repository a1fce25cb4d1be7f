/**
 * After a run: every payment charged exactly once. The chaos run's ledger check, unchanged — the bank's own ledger
 * (listing since the run began, and each of our references by name) against the merchant API and a read-only
 * connection to the wallet database.
 */
import { httpJson } from '../chaos/http-json.ts';
import { checkLedger } from '../chaos/ledger-check.ts';
import type { PaymentRecord } from '../chaos/payment-driver.ts';
import type { WalletCluster } from '../chaos/wallet-cluster.ts';
import type { BenchStack } from './server-stack.ts';

export interface ExactlyOnce {
  payments: number;
  lost: number;
  doubled: number;
  /** Mismatches, unsettled payments and statuses other than succeeded, one line each (first 10). */
  problems: string[];
}

export async function checkExactlyOnce(stack: BenchStack, records: PaymentRecord[], since: string): Promise<ExactlyOnce> {
  const cluster: WalletCluster = {
    instances: stack.wallets,
    publicOrigin: stack.publicOrigin,
    merchantOrigin: stack.merchantOrigin,
    secretKey: stack.secretKey,
    request: async (pathname, request) => ({ ...(await httpJson(`${stack.walletUrls[0]}${pathname}`, request)), instance: 0 }),
    stop: async () => {},
  };
  const reader = stack.database.openReader();
  try {
    const check = await checkLedger({ records, wallet: cluster, bank: stack.bank, db: reader, since });
    const notSucceeded = [...check.statuses].filter(([, status]) => status !== 'succeeded');
    const problems = [
      ...[...check.mismatches, ...check.unsettled].map((f) => `${f.intentId}: ${f.what}`),
      ...notSucceeded.map(([id, status]) => `${id}: ${status}, expected succeeded`),
      ...check.lost.map((f) => `lost ${f.intentId}: ${f.what}`),
      ...check.doubleCharges.map((f) => `doubled ${f.intentId}: ${f.what}`),
    ];
    const charged = [...check.charges.values()].reduce((sum, list) => sum + list.filter((c) => c.status === 'approved').length, 0);
    if (charged !== records.length) problems.push(`the bank approved ${charged} charges since the run began, expected one per payment (${records.length})`);
    return { payments: records.length, lost: check.lost.length, doubled: check.doubleCharges.length, problems: problems.slice(0, 10) };
  } finally {
    await reader.destroy();
  }
}

/** Fails loudly: a benchmark that lost or doubled a payment has measured the wrong thing. */
export function assertExactlyOnce(result: ExactlyOnce): void {
  if (result.lost === 0 && result.doubled === 0 && result.problems.length === 0) return;
  throw new Error(
    `bench: expected each of ${result.payments} payments charged exactly once, received lost=${result.lost} doubled=${result.doubled}:\n  ${result.problems.join('\n  ')}`,
  );
}
