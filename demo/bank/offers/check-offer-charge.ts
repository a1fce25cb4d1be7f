/**
 * Whether a charge may apply the offer redemption it names (`offer` in `POST /v1/charges`): the redemption is
 * reserved and not lapsed, for this card, for exactly this gross amount and currency, and the charge is exactly what
 * the offer leaves to pay — `offerEffect(gross, value).charged` plus the bank's card fee on it (its fee schedule), in
 * the gross currency, or the debit of an FX quote converting exactly that. `null` when it may; else why not, naming
 * the redemption (the charge is then booked as a `processing_error` decline: a definite answer, nothing moved).
 */
import type { Transaction } from 'kysely';
import { feeFor, type FeeSchedule } from '../../../server/adapters/fee-schedule.ts';
import type { FxQuoteRow, LedgerSchema } from '../ledger/ledger-schema.ts';

export interface OfferChargeOptions {
  /** How long after the charge cashback is credited. */
  creditDelayMs: number;
  /** The bank's fee schedule, if it has one. */
  fees: FeeSchedule | null;
}

interface ChargeFields {
  token: string;
  amount: number;
  currency: string;
}

export async function checkOfferCharge(
  trx: Transaction<LedgerSchema>,
  charge: ChargeFields,
  offer: { redemption_id: string; gross_amount: number; gross_currency: string },
  fxQuote: FxQuoteRow | undefined,
  now: Date,
  { fees }: OfferChargeOptions,
): Promise<string | null> {
  const id = offer.redemption_id;
  const redemption = await trx.selectFrom('offer_redemptions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!redemption) return `offer redemption ${id} is not reserved at this bank (no such redemption)`;
  if (redemption.status !== 'reserved') return `offer redemption ${id} is not reserved (it is ${redemption.status})`;
  if (Date.parse(redemption.expires_at) <= now.getTime()) return `offer redemption ${id} is not reserved (it lapsed at ${redemption.expires_at})`;
  if (redemption.card_token !== charge.token) return `offer redemption ${id} was reserved for another card`;
  if (redemption.amount !== offer.gross_amount || redemption.currency !== offer.gross_currency) {
    return `offer redemption ${id} was reserved for ${redemption.amount} ${redemption.currency}, received gross ${offer.gross_amount} ${offer.gross_currency}`;
  }
  const crossCurrency = fxQuote !== undefined;
  const fee = fees ? (feeFor(fees, 'card', redemption.currency, redemption.charged, { crossCurrency }) ?? 0) : 0;
  const due = redemption.charged + fee;
  if (fxQuote === undefined) {
    if (charge.amount !== due || charge.currency !== redemption.currency) {
      return `offer redemption ${id}: expected a charge of ${due} ${redemption.currency} (${redemption.charged} after the offer, fee ${fee}), received ${charge.amount} ${charge.currency}`;
    }
    return null;
  }
  if (fxQuote.from_currency !== redemption.currency || fxQuote.amount !== due) {
    return `offer redemption ${id}: expected an FX quote converting ${due} ${redemption.currency} (${redemption.charged} after the offer, fee ${fee}), received one converting ${fxQuote.amount} ${fxQuote.from_currency}`;
  }
  return null;
}
