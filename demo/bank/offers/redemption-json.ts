/**
 * A redemption as the card bank API shows it (`{ redemption }` answers, and the sandbox log). Cashback is credited
 * `cashback_due_at` (the charge plus the bank's credit delay), computed on read: `credited_at` once that time has
 * passed and the redemption is still applied.
 */
import type { OfferValue } from '../../../server/adapters/bank-offers.ts';
import type { OfferRedemptionRow } from '../ledger/ledger-schema.ts';
import { CASHBACK_MARGIN_MS, cashbackExpectedBy } from './offer-value-for.ts';
import { offerValueToWire, type OfferValueWire } from './offer-value-json.ts';

export interface RedemptionJson {
  id: string;
  reference: string;
  offer_id: string;
  version: number;
  card_token: string;
  status: OfferRedemptionRow['status'];
  amount: number;
  currency: string;
  charged: number;
  value: OfferValueWire;
  charge_id: string | null;
  cashback: { amount: number; expected_by: string; credited_at: string | null } | null;
  revocations: number;
  revoked_at: string | null;
  expires_at: string;
  created_at: string;
}

export function redemptionJson(row: OfferRedemptionRow, revocations: number, now: Date, creditDelayMs: number): RedemptionJson {
  return {
    id: row.id,
    reference: row.reference,
    offer_id: row.offer_id,
    version: row.version,
    card_token: row.card_token,
    status: row.status,
    amount: row.amount,
    currency: row.currency,
    charged: row.charged,
    value: offerValueToWire(JSON.parse(row.value_json) as OfferValue),
    charge_id: row.charge_id,
    cashback: row.cashback === null ? null : cashbackOf(row, row.cashback, now, creditDelayMs),
    revocations,
    revoked_at: row.revoked_at,
    expires_at: row.expires_at,
    created_at: row.created_at,
  };
}

function cashbackOf(row: OfferRedemptionRow, amount: number, now: Date, creditDelayMs: number): NonNullable<RedemptionJson['cashback']> {
  if (row.cashback_due_at === null) {
    // Not charged yet: expected as if charged now.
    return { amount, expected_by: cashbackExpectedBy({ chargedAt: now, creditDelayMs }), credited_at: null };
  }
  const due = Date.parse(row.cashback_due_at);
  const expectedBy = new Date(Math.ceil((due + CASHBACK_MARGIN_MS) / 1_000) * 1_000).toISOString();
  const credited = row.status === 'applied' && due <= now.getTime();
  return { amount, expected_by: expectedBy, credited_at: credited ? row.cashback_due_at : null };
}
