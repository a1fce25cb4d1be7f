/**
 * Meridian's ledger tables (Kysely types): accounts with balances, payment consents, domestic payments,
 * the shopper's pending authorisations at /authorize, and access tokens (kept as SHA-256 hashes).
 */
export interface MeridianLedgerSchema {
  accounts: AccountsTable;
  consents: ConsentsTable;
  payments: PaymentsTable;
  authorizations: AuthorizationsTable;
  access_tokens: AccessTokensTable;
}

export interface AccountsTable {
  /** Sort code + account number (UK.OBIE.SortCodeAccountNumber). */
  identification: string;
  name: string;
  holder: 'shopper' | 'merchant';
  currency: string;
  /** Integer minor units. */
  balance: number;
}

/** OBInternalConsentStatus1Code values Meridian uses. */
export type ConsentStatus = 'AWAU' | 'AUTH' | 'RJCT' | 'COND';

export interface ConsentsTable {
  consent_id: string;
  client_id: string;
  idempotency_key: string;
  /** SHA-256 of the canonical JSON request body: a replay must match it. */
  request_hash: string;
  status: ConsentStatus;
  /** JSON OBStatusReason[] or null. */
  status_reason: string | null;
  /** The request's Data, as JSON, minus nothing: echoed back in every answer. */
  data: string;
  /** The request's Risk, as JSON. */
  risk: string;
  amount: number;
  currency: string;
  creditor_identification: string;
  creditor_name: string;
  /** Fixed by the request's DebtorAccount, or chosen by the shopper at /authorize. */
  debtor_identification: string | null;
  created_at: string;
  status_updated_at: string;
}

/** ExternalPaymentTransactionStatus values Meridian uses. */
export type PaymentStatus = 'ACSP' | 'ACSC' | 'RJCT';

export interface PaymentsTable {
  payment_id: string;
  consent_id: string;
  client_id: string;
  idempotency_key: string;
  request_hash: string;
  status: PaymentStatus;
  status_reason: string | null;
  /** The request's Data.Initiation, as JSON. */
  initiation: string;
  amount: number;
  currency: string;
  debtor_identification: string;
  creditor_identification: string;
  /** When a pending (ACSP) payment settles (ACSC); null once settled or when it never waits. */
  settle_at: string | null;
  created_at: string;
  status_updated_at: string;
}

export interface AuthorizationsTable {
  authorization_id: string;
  client_id: string;
  consent_id: string;
  redirect_uri: string;
  state: string;
  nonce: string | null;
  /** Set once the shopper approves; exchanged once at /token. */
  code_hash: string | null;
  code_expires_at: string | null;
  code_used: number;
  created_at: string;
}

export interface AccessTokensTable {
  token_hash: string;
  client_id: string;
  /** Set for tokens from the authorization_code grant: they may submit that consent's payment. */
  consent_id: string | null;
  expires_at: string;
}
