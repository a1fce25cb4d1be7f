/**
 * The sandbox bank's ledger tables (Kysely types). Cards are kept as a token plus
 * brand, last4 and expiry: never the full number, never the CVC, never the name.
 */
import type { SandboxBehaviour } from '../cards/sandbox-behaviour.ts';

export interface LedgerSchema {
  tokens: TokensTable;
  charges: ChargesTable;
  refunds: RefundsTable;
  fx_quotes: FxQuotesTable;
  offer_redemptions: OfferRedemptionsTable;
  offer_revocations: OfferRevocationsTable;
  offer_consents: OfferConsentsTable;
}

export interface TokensTable {
  token: string;
  /** The `Idempotency-Key` the token was created under; repeating it returns this token. */
  idempotency_key: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  /** What charges on this card do, decided once from the test-card number at tokenization. */
  behaviour: SandboxBehaviour;
  /** The currency of the account the card draws on (the bank's `cardCurrency`); null: charged in any currency. */
  currency: string | null;
  /** Set once the token is released (`DELETE /v1/tokens/:token`): later charges on it are declined. */
  released_at: string | null;
  created_at: string;
}

export type ChargeStatus = 'approved' | 'declined';
/** `processing_error`: a charge naming an offer redemption that cannot be applied (not reserved, another card or amount). */
export type ChargeDeclineCode = 'card_declined' | 'insufficient_funds' | 'processing_error';

export interface ChargesTable {
  id: string;
  /** The caller's reference: unique, the key charges are idempotent by. */
  reference: string;
  idempotency_key: string;
  token: string;
  /** Integer minor units. */
  amount: number;
  currency: string;
  status: ChargeStatus;
  decline_code: ChargeDeclineCode | null;
  decline_message: string | null;
  description: string | null;
  /** The FX quote this charge used (its amount and currency are the quote's debit). */
  fx_quote_id: string | null;
  /** The offer redemption this charge applies (capability `offers`), if any. */
  offer_redemption_id: string | null;
  created_at: string;
}

/** A firm quote to convert `amount` minor units of `from_currency` into `debit` minor units of `to_currency`. */
export interface FxQuotesTable {
  id: string;
  from_currency: string;
  to_currency: string;
  /** Units of `to` per unit of `from`, exact decimal. */
  rate: string;
  /** The rate in minor units: `numerator` of `to` per `denominator` of `from`. */
  numerator: number;
  denominator: number;
  amount: number;
  debit: number;
  source: string;
  expires_at: string;
  created_at: string;
}

export interface RefundsTable {
  id: string;
  reference: string;
  idempotency_key: string;
  charge_id: string;
  amount: number;
  currency: string;
  status: 'succeeded';
  created_at: string;
}

/** An offer reserved for one quote under the caller's reference; applied by one charge; revoked at most once. */
export interface OfferRedemptionsTable {
  id: string;
  reference: string;
  idempotency_key: string;
  quote_id: string;
  offer_id: string;
  version: number;
  terms_hash: string;
  card_token: string;
  merchant_id: string;
  /** The payment's gross amount, and its currency (the offer's). */
  amount: number;
  currency: string;
  kind: 'instant_discount' | 'cashback' | 'instalments';
  /** The `OfferValue` redeemed, as JSON. */
  value_json: string;
  /** `offerEffect(amount, value).charged`: what the card is charged for the payment, before fee and conversion. */
  charged: number;
  /** Cashback offers: the amount credited later. */
  cashback: number | null;
  status: 'reserved' | 'applied' | 'revoked';
  charge_id: string | null;
  applied_at: string | null;
  /** Cashback offers, once applied: when it is credited (unless revoked first). */
  cashback_due_at: string | null;
  revoked_at: string | null;
  revoke_reason: string | null;
  /** A reserved redemption no charge applied by then lapses (gives its budget back, cannot be charged). */
  expires_at: string;
  created_at: string;
}

/** One revoke request per distinct Idempotency-Key (the first revokes; later ones change nothing but are counted). */
export interface OfferRevocationsTable {
  redemption_id: string;
  idempotency_key: string;
  reason: string;
  created_at: string;
}

/** What a card holder said about personalised offers, per card token; the latest `at` holds. */
export interface OfferConsentsTable {
  card_token: string;
  personalization: 'none' | 'bank_profile';
  at: string;
  recorded_at: string;
}

export type ChargeRow = ChargesTable;
export type OfferRedemptionRow = OfferRedemptionsTable;
export type RefundRow = RefundsTable;
export type TokenRow = TokensTable;
export type FxQuoteRow = FxQuotesTable;
