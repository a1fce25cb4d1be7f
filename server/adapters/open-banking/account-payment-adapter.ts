/**
 * The capability "account-to-account payment with bank consent" (pay by bank, UK Open Banking style): the
 * interface every such bank plugs in through, as `BankAdapter` is for cards. One folder per standard
 * (`server/adapters/open-banking/`), one factory per bank returning an `AccountPaymentAdapter`.
 *
 * The flow, in the order the wallet drives it:
 * 1. `createConsent(order)` — the bank records what is to be paid (our `reference` travels as
 *    InstructionIdentification and EndToEndIdentification); nothing moves.
 * 2. `authorizationUrl(...)` — where the shopper approves it, at the bank (a window or a redirect).
 * 3. The bank sends the shopper back to our redirect URI; `completeAuthorization(...)` turns that callback
 *    into an `AccountPaymentAuthorization` (the shopper's grant for this one consent) or a decline.
 * 4. `submitPayment(...)` — money moves, at most once per consent.
 * 5. `lookupPayment(...)` — the payment now (pending → approved), or the answer to a call whose answer was lost.
 *
 * Rules (the same as `bank-adapter.ts`):
 * - Declines are values (`{ status: 'declined', code }`), and only a well-formed, definite refusal is one.
 * - Throw `BankTransportError` whenever the outcome is unknown (timeout, reset, 5xx, an answer that is not
 *   well formed or not signed by the bank, any refusal that is not definite): resolve it by repeating the call
 *   with the same `idempotencyKey` or by `lookupPayment` — never by paying again.
 * - Throw `BankConfigurationError` for a wrong key, client id, URL or an order the bank's rules refuse.
 * - Tokens, keys and account numbers never appear in an error message or a log line.
 * - A return from the bank that cannot be trusted (another `state` or issuer, no code) throws
 *   `AuthorizationCallbackError` (authorization-callback-error.ts): refuse that request, keep the payment as it was.
 * - Refunds: the standard has no refund call. An adapter declares `refunds: 'not_supported'`, and Paykey
 *   answers a refund of such a payment with 422 `refund_not_supported`.
 */
import type { BankBrand, BankLimits, Money } from '../bank-adapter.ts';

export type { BankBrand } from '../bank-adapter.ts';
export { BankConfigurationError, BankTransportError } from '../bank-adapter.ts';

/** What the bank carries; `maxDescriptionLength` is the remittance text, `maxReferenceLength` our reference. */
export interface AccountPaymentLimits extends BankLimits {
  /** The longest `reference` the bank carries (Open Banking: 35, InstructionIdentification's Max35Text). */
  maxReferenceLength: number;
}

/** The account that receives the money (the merchant's). */
export interface AccountPaymentPayee {
  /** e.g. "Paykey Demo Shop Ltd" — shown to the shopper at the bank. */
  name: string;
  /** `UK.OBIE.SortCodeAccountNumber`: sort code + account number, 14 digits. */
  schemeName: 'UK.OBIE.SortCodeAccountNumber';
  identification: string;
}

/** One payment as the wallet orders it. The same order goes to `createConsent` and to `submitPayment`. */
export interface AccountPaymentOrder extends Money {
  /** Our own reference for this attempt (at most `limits.maxReferenceLength`): the bank carries it end to end. */
  reference: string;
  payee: AccountPaymentPayee;
  /** Remittance text shown to both parties, at most `limits.maxDescriptionLength`. */
  description?: string;
  /** When the shopper last authenticated with the wallet (passkey), sent as x-fapi-auth-date; default now. */
  shopperAuthenticatedAt?: Date;
}

export interface ConsentRequest extends AccountPaymentOrder {
  /** Repeating the call with the same key and order returns the same consent. */
  idempotencyKey: string;
}

export interface AccountPaymentConsent {
  consentId: string;
  reference: string;
}

export interface AuthorizationUrlRequest {
  consentId: string;
  /** Opaque, unguessable, bound to the shopper's session; returned on the callback and checked there. */
  state: string;
  /** Where the bank sends the shopper back; one of the redirect URIs registered with the bank (default: the adapter's). */
  redirectUri?: string;
}

/** The query of the bank's redirect back to us, as received. */
export interface AuthorizationCallback {
  code?: string;
  state?: string;
  iss?: string;
  error?: string;
  error_description?: string;
}

export interface CompleteAuthorizationRequest {
  consentId: string;
  /** The `state` given to `authorizationUrl`; a callback with another is refused. */
  expectedState: string;
  callback: AuthorizationCallback;
  redirectUri?: string;
}

/**
 * The shopper's grant to pay one consent. Secret: its token is hidden from `JSON.stringify`, `String()` and
 * `util.inspect`; read it with `accessToken()` only to send it to the bank or to store it encrypted.
 */
export interface AccountPaymentAuthorization {
  readonly consentId: string;
  /** When the grant stops working (after it, a payment on the consent can no longer be submitted or replayed). */
  readonly expiresAt: Date;
  accessToken(): string;
}

export type AuthorizationResult =
  | { status: 'authorized'; authorization: AccountPaymentAuthorization }
  | { status: 'declined'; consentId: string; code: AccountPaymentDeclineCode; message: string };

export interface PaymentSubmission extends AccountPaymentOrder {
  consentId: string;
  authorization: AccountPaymentAuthorization;
  /** The payment's own key (not the consent's): the same key and order return the same payment. */
  idempotencyKey: string;
}

/** Definite outcomes that are not approvals. */
export type AccountPaymentDeclineCode =
  /** The shopper refused at the bank, or the bank refused the consent. */
  | 'consent_rejected'
  /** The consent or the shopper's grant can no longer be used: ask the shopper to approve a new one. */
  | 'consent_expired'
  | 'insufficient_funds'
  /** The bank rejected the payment for another stated reason. */
  | 'payment_rejected';

export type AccountPaymentResult =
  | { status: 'approved'; bankPaymentId: string; consentId: string; reference: string }
  /** Accepted, not settled yet: look it up until it is approved or declined. */
  | { status: 'pending'; bankPaymentId: string; consentId: string; reference: string }
  | { status: 'declined'; bankPaymentId: string | null; consentId: string; reference: string; code: AccountPaymentDeclineCode; message: string };

export type ConsentState = 'awaiting_authorization' | 'authorized' | 'rejected' | 'consumed';

export interface PaymentLookup {
  reference: string;
  consentId: string;
  /** When known (from a pending result), the payment is read directly. */
  bankPaymentId?: string;
  /**
   * The submission whose answer was lost: when the consent shows it was paid, the call is replayed with its key
   * (the bank answers the payment as it is now; it never pays twice). Needs a live `authorization`.
   */
  submission?: PaymentSubmission;
}

export interface AccountPaymentAdapter {
  /** Stable id stored with each payment, e.g. "meridian". */
  readonly id: string;
  readonly limits: AccountPaymentLimits;
  /** The standard has no refund call: such payments are refunded outside Paykey (422 `refund_not_supported`). */
  readonly refunds: 'not_supported';
  brand(): Promise<BankBrand>;
  createConsent(request: ConsentRequest): Promise<AccountPaymentConsent>;
  /** The bank page where the shopper approves `consentId` (a signed request object in the URL). */
  authorizationUrl(request: AuthorizationUrlRequest): Promise<string>;
  /** The callback's code exchanged for the shopper's grant; `access_denied` is a `consent_rejected` decline. */
  completeAuthorization(request: CompleteAuthorizationRequest): Promise<AuthorizationResult>;
  /** The consent now, as the bank keeps it. */
  consentState(consentId: string): Promise<ConsentState>;
  submitPayment(request: PaymentSubmission): Promise<AccountPaymentResult>;
  /** The payment on this consent; `null` when the bank holds none (the consent was never paid: safe to submit). */
  lookupPayment(query: PaymentLookup): Promise<AccountPaymentResult | null>;
}
