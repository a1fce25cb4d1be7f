/** A refund row as the sandbox bank's API shows it. */
import type { RefundRow } from './ledger-schema.ts';

export interface RefundJson {
  id: string;
  charge_id: string;
  amount: number;
  currency: string;
  reference: string;
  status: RefundRow['status'];
  created_at: string;
}

export function refundJson(row: RefundRow): RefundJson {
  return {
    id: row.id,
    charge_id: row.charge_id,
    amount: row.amount,
    currency: row.currency,
    reference: row.reference,
    status: row.status,
    created_at: row.created_at,
  };
}
