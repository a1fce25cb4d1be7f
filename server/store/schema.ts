/**
 * Typed tables of the wallet database. Times are ISO 8601 UTC strings
 * (`Date#toISOString`, so they also sort as text); bytes are base64url text.
 * Both choices keep every query portable between SQLite and PostgreSQL.
 */
export interface Database {
  merchants: MerchantsTable;
  payment_intents: PaymentIntentsTable;
  idempotency_keys: IdempotencyKeysTable;
  shoppers: ShoppersTable;
  credentials: CredentialsTable;
  webauthn_challenges: WebauthnChallengesTable;
  sessions: SessionsTable;
  cards: CardsTable;
  payment_attempts: PaymentAttemptsTable;
}

export interface MerchantsTable {
  id: string;
  display_name: string;
  /** sha256 hex of the secret key; the key itself is never stored. */
  secret_key_hash: string;
  /** JSON array of exact origins allowed to embed the checkout. */
  allowed_origins: string;
  created_at: string;
  updated_at: string;
}

export type PaymentIntentStatus = 'requires_confirmation' | 'processing' | 'succeeded' | 'failed';

export interface PaymentIntentsTable {
  id: string;
  merchant_id: string;
  amount: number;
  currency: string;
  description: string | null;
  reference: string | null;
  status: PaymentIntentStatus;
  /** sha256 hex of the client secret. */
  client_secret_hash: string;
  last_error_code: string | null;
  last_error_message: string | null;
  created_at: string;
  updated_at: string;
}

export interface IdempotencyKeysTable {
  merchant_id: string;
  idempotency_key: string;
  /** sha256 of method, path and canonical body: the same key with another request is a conflict. */
  request_hash: string;
  response_status: number;
  response_body: string;
  created_at: string;
}

export interface ShoppersTable {
  id: string;
  email: string;
  /** base64url WebAuthn user handle (random, not the id). */
  user_handle: string;
  created_at: string;
}

export interface CredentialsTable {
  /** base64url credential id as the authenticator returns it. */
  id: string;
  shopper_id: string;
  /** base64url COSE public key. */
  public_key: string;
  counter: number;
  /** JSON array of AuthenticatorTransport strings. */
  transports: string;
  created_at: string;
  last_used_at: string | null;
}

export type ChallengePurpose = 'registration' | 'sign_in' | 'payment';

export interface WebauthnChallengesTable {
  id: string;
  /** base64url of the random challenge bytes. */
  challenge: string;
  purpose: ChallengePurpose;
  /** The intent whose frame asked for it: a challenge is only usable from that checkout. */
  intent_id: string;
  /** payment only: hash of what this challenge authorizes (see payment-hash.ts). */
  payment_hash: string | null;
  card_id: string | null;
  shopper_id: string | null;
  /** registration only. */
  email: string | null;
  user_handle: string | null;
  created_at: string;
  expires_at: string;
  consumed_at: string | null;
}

export interface SessionsTable {
  /** sha256 hex of the bearer token. */
  token_hash: string;
  shopper_id: string;
  created_at: string;
  expires_at: string;
}

export interface CardsTable {
  id: string;
  shopper_id: string;
  /** Id of the bank adapter that issued the token. */
  bank: string;
  bank_token: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  created_at: string;
  deleted_at: string | null;
}

export type PaymentAttemptStatus = 'pending' | 'approved' | 'declined';

export interface PaymentAttemptsTable {
  id: string;
  intent_id: string;
  card_id: string;
  attempt_number: number;
  /** Our reference at the bank: `<intent id>_<attempt number>`. */
  reference: string;
  idempotency_key: string;
  status: PaymentAttemptStatus;
  bank_charge_id: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: string;
  updated_at: string;
}
