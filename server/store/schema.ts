import type { Generated } from 'kysely';
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
  account_payments: AccountPaymentsTable;
  refunds: RefundsTable;
  bank_jobs: BankJobsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  wallet_settings: WalletSettingsTable;
  rate_limit_windows: RateLimitWindowsTable;
  payment_quotes: PaymentQuotesTable;
}

export interface WalletSettingsTable {
  name: string;
  value: string;
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
  /** ISO 18245 merchant category code, four digits; banks match offers on it (widget/merchant-categories.ts). */
  mcc: Generated<string>;
  /** ISO 3166-1 alpha-2. */
  country: Generated<string>;
}

export type { PaymentStatus as PaymentIntentStatus } from '../../widget/shopper-api.ts';
import type { PaymentStatus as PaymentIntentStatus } from '../../widget/shopper-api.ts';

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
  /** Refunds pending or succeeded, in minor units; never more than `amount` (a database guard). */
  amount_refunded: Generated<number>;
  /** Failed passkey verifications of a confirmation; at MAX_FAILED_AUTHENTICATIONS the payment is locked. */
  failed_authentications: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface IdempotencyKeysTable {
  merchant_id: string;
  idempotency_key: string;
  /** sha256 of method, path and canonical body: the same key with another request is a conflict. */
  request_hash: string;
  /** `in_flight` from the moment the request starts until its response is stored (`done`). */
  state: 'in_flight' | 'done';
  response_status: number | null;
  /** The first response, secrets removed. */
  response_body: string | null;
  created_at: string;
  /** An `in_flight` claim past this time belongs to a request that died; the next request takes it over. */
  locked_until: string | null;
  /** The server process that claimed it (a restarted process drops its previous life's claims at once). */
  claimed_by: string | null;
  /** Only the claiming request knows it: its response is stored only while the claim is still its own. */
  claim_token: string | null;
}

export interface ShoppersTable {
  id: string;
  /**
   * A label the shopper typed, not an identity: an account is found by its passkey (discoverable credential),
   * and several accounts may carry the same unverified email.
   */
  email: string;
  /** When the shopper proved they own `email` (not built yet); at most one account holds a verified email. */
  email_verified_at: string | null;
  /** base64url WebAuthn user handle (random, not the id). */
  user_handle: string;
  created_at: string;
  /** "Offers for everyone with this card": 1 (the default) or 0. */
  offers_general: Generated<number>;
  /** "Offers chosen from my spending at my bank": 0 (the default) until the shopper turns it on; the bank records the consent. */
  offers_personalized: Generated<number>;
  /** When the shopper last changed either switch; null: never. */
  offers_updated_at: Generated<string | null>;
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
  /** payment with a card only: the quote (fee, rate, debit) the shopper saw and signs (`payment_quotes`). */
  quote_id: string | null;
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
  /** ISO 4217 code of the card's account (a Lotus Bank card: "CNY"); null: charged in the payment's currency. */
  currency: string | null;
  /** 1: the shopper chose to keep it; 0: a one-time card, never listed, released once its payment is final. */
  saved: Generated<number>;
  /** sha256 hex of the session token that added a one-time card (sign-out releases them); null for saved cards. */
  session_hash: string | null;
  /** When the bank confirmed the token released; null while it is live (or its release is still to be retried). */
  released_at: string | null;
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
  /** When it was first sent to the bank; null while it has not been. */
  sent_at: string | null;
  created_at: string;
  updated_at: string;
  /** What the shopper signed (`payment_quotes`); null for attempts made before quotes existed. */
  quote_id: Generated<string | null>;
  /** Fee charged to the shopper, minor units of the intent's currency (0: none). */
  fee_amount: Generated<number>;
  /** What the card is charged: the quote's debit (amount + fee, converted when `fx_rate` is set); null before quotes: the intent's amount. */
  debit_amount: Generated<number | null>;
  debit_currency: Generated<string | null>;
  /** The quoted exchange rate ("7.1234" card-currency units per payment-currency unit) and whose it is; null without a conversion. */
  fx_rate: Generated<string | null>;
  fx_source: Generated<string | null>;
  /** The bank's redemption of the quote's offer (`redeemOffer`), when one was applied. */
  offer_redemption_id: Generated<string | null>;
  /** When the bank confirmed the redemption revoked (a failed payment, a refund under the offer's policy). */
  offer_revoked_at: Generated<string | null>;
  /** Cashback offers: when the bank reported the cashback credited. */
  offer_cashback_credited_at: Generated<string | null>;
}

/**
 * The terms a card's bank quoted for paying one intent with one card, shown to the shopper and signed (the challenge
 * names the quote): the fee, the exchange rate when the card's currency differs, and the debit. Void after `expires_at`.
 */
export interface PaymentQuotesTable {
  /** Ours: `quo_…`. */
  id: string;
  intent_id: string;
  card_id: string;
  /** The card's bank adapter id. */
  bank: string;
  /** The bank's FX quote id (a charge naming it must be exactly the debit); null without a conversion. */
  bank_quote_id: string | null;
  /** The intent's amount and currency when quoted. */
  amount: number;
  currency: string;
  /** Minor units of `currency`, charged to the shopper. */
  fee_amount: number;
  fx_rate: string | null;
  fx_source: string | null;
  debit_amount: number;
  debit_currency: string;
  expires_at: string;
  created_at: string;
  /**
   * The bank offer the shopper applied (all null without one): the bank's quote id, the offer's id, version and terms
   * hash, kind, funder, whether personalised (0/1), title and terms as shown, its value (JSON `OfferValue`), refund
   * policy, and what the card is charged for it before fee and conversion (`offerEffect(...).charged`).
   */
  offer_bank_quote_id: Generated<string | null>;
  offer_id: Generated<string | null>;
  offer_version: Generated<number | null>;
  offer_terms_hash: Generated<string | null>;
  offer_kind: Generated<'instant_discount' | 'cashback' | 'instalments' | null>;
  offer_funded_by: Generated<'bank' | 'merchant' | 'shared' | null>;
  offer_personalized: Generated<number | null>;
  offer_title: Generated<string | null>;
  offer_terms: Generated<string | null>;
  offer_value: Generated<string | null>;
  offer_refund_policy: Generated<'revoke_on_any_refund' | 'revoke_on_full_refund' | null>;
  offer_charged: Generated<number | null>;
}

/** Pay by bank: one attempt to pay from the shopper's bank account, after they approve a consent at their bank. */
export interface AccountPaymentsTable {
  id: string;
  intent_id: string;
  /** The wallet account whose passkey confirmed it. */
  shopper_id: string;
  /** The account-payment adapter's id, e.g. "meridian". */
  bank: string;
  attempt_number: number;
  /** Our reference at the bank: `<intent id>_b<attempt number>` (at most 35 characters). */
  reference: string;
  consent_idempotency_key: string;
  payment_idempotency_key: string;
  /** The bank's consent, once it answered. */
  consent_id: string | null;
  /** sha256 hex of the OAuth `state` the shopper carries to the bank and back; the state is never stored. */
  state_hash: string;
  status: PaymentAttemptStatus;
  bank_payment_id: string | null;
  error_code: string | null;
  error_message: string | null;
  /** The shopper's grant, sealed (AES-256-GCM), until the payment is settled; never in clear. */
  sealed_grant: string | null;
  /** When the payment was first submitted (after the shopper's approval); null while it was not. */
  sent_at: string | null;
  /** Not approved by then: the attempt fails `consent_expired` (nothing was paid). */
  consent_expires_at: string;
  created_at: string;
  updated_at: string;
}

export type RefundStatus = 'pending' | 'succeeded' | 'failed';

export interface RefundsTable {
  id: string;
  intent_id: string;
  merchant_id: string;
  amount: number;
  currency: string;
  status: RefundStatus;
  /** Our reference at the bank (the refund id). */
  reference: string;
  idempotency_key: string;
  bank_refund_id: string | null;
  failure_code: string | null;
  failure_message: string | null;
  sent_at: string | null;
  created_at: string;
  updated_at: string;
  /**
   * What the bank gives back, in the card's currency, for a refund of a charge whose debit differs from its amount
   * (a fee, a conversion): the charge's own ratio, cumulative-exact. Null: `amount` in `currency`.
   */
  debit_amount: Generated<number | null>;
  debit_currency: Generated<string | null>;
}

/** Columns every leased work queue has (bank outbox, webhook deliveries). */
export interface LeasedJobColumns {
  id: string;
  tries: Generated<number>;
  /** Not before this time. */
  next_run_at: string;
  /** The worker holding the lease, until `locked_until`. */
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  /** Set once the job needs no more runs. */
  done_at: string | null;
}

export interface BankJobsTable extends LeasedJobColumns {
  kind: 'charge' | 'refund' | 'account_payment' | 'release_token' | 'revoke_offer';
  /** The payment attempt, refund or account payment to settle with the bank; the card whose token to release; the attempt whose offer redemption to revoke. */
  subject_id: string;
}

export interface WebhookEndpointsTable {
  id: string;
  merchant_id: string;
  url: string;
  secret: string;
  /** JSON array of event types. */
  events: string;
  created_at: string;
  deleted_at: string | null;
}

export interface WebhookEventsTable {
  id: string;
  merchant_id: string;
  type: string;
  /** The exact JSON body sent to every endpoint. */
  payload: string;
  created_at: string;
}

export interface WebhookDeliveriesTable extends LeasedJobColumns {
  event_id: string;
  endpoint_id: string;
  status: 'pending' | 'delivered' | 'failed';
  last_status_code: number | null;
}

/**
 * One limited bucket (`<action>.<key kind>:<key>`): hits in the window starting at `window_start` and in the
 * window before it (a sliding-window estimate, see rate-limits/rate-limit-store.ts).
 */
export interface RateLimitWindowsTable {
  bucket: string;
  window_start: string;
  hits: number;
  previous_hits: number;
  /** Two windows after `window_start`: from then on the row counts nothing, and housekeeping deletes it. */
  expires_at: string;
}
