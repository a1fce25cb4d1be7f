/** A charge row as the sandbox bank's API shows it. */
import type { ChargeRow } from './ledger-schema.ts';

export interface ChargeJson {
  id: string;
  reference: string;
  token: string;
  amount: number;
  currency: string;
  status: ChargeRow['status'];
  decline_code: ChargeRow['decline_code'];
  decline_message: string | null;
  /** The statement text the charge carries. */
  description: string | null;
  /** The FX quote the charge used, if any. */
  fx_quote_id: string | null;
  /** The offer redemption the charge was asked to apply, if any (capability `offers`). */
  offer_redemption_id: string | null;
  created_at: string;
}

export function chargeJson(row: ChargeRow): ChargeJson {
  return {
    id: row.id,
    reference: row.reference,
    token: row.token,
    amount: row.amount,
    currency: row.currency,
    status: row.status,
    decline_code: row.decline_code,
    decline_message: row.decline_message,
    description: row.description,
    fx_quote_id: row.fx_quote_id,
    offer_redemption_id: row.offer_redemption_id,
    created_at: row.created_at,
  };
}
