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
export type ChargeDeclineCode = 'card_declined' | 'insufficient_funds';

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

export type ChargeRow = ChargesTable;
export type RefundRow = RefundsTable;
export type TokenRow = TokensTable;
export type FxQuoteRow = FxQuotesTable;
