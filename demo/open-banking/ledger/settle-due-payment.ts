/**
 * Moves a pending payment (ACSP) to settled (ACSC): when its settle_at has passed (checked on every look-up),
 * or at once (the admin call). The money moved when the payment was accepted; settling changes the status only.
 */
import type { PaymentsTable } from './ledger-schema.ts';
import type { MeridianLedger } from './open-meridian-ledger.ts';

export async function settleDuePayment(ledger: MeridianLedger, row: PaymentsTable, now: Date, force = false): Promise<PaymentsTable> {
  if (row.status !== 'ACSP') return row;
  if (!force && (row.settle_at === null || row.settle_at > now.toISOString())) return row;
  const settledAt = force || row.settle_at === null ? now.toISOString() : row.settle_at;
  const settled: PaymentsTable = {
    ...row,
    status: 'ACSC',
    status_reason: null,
    settle_at: null,
    status_updated_at: settledAt,
  };
  await ledger
    .updateTable('payments')
    .set({ status: 'ACSC', status_reason: null, settle_at: null, status_updated_at: settledAt })
    .where('payment_id', '=', row.payment_id)
    .where('status', '=', 'ACSP')
    .execute();
  return settled;
}
