import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Every error code the domain (payments, shoppers, passkeys, webhooks) can
 * raise, and the HTTP status each becomes — mapped here and in the one
 * `onError` only. Codes are part of the public contract (the merchant API's
 * errors, the widget's `paykey-error` event); messages are for humans.
 */
const STATUS_OF = {
  resource_missing: 404,
  invalid_client_secret: 401,
  session_invalid: 401,
  session_expired: 401,
  unknown_credential: 401,
  passkey_verification_failed: 401,
  challenge_invalid: 400,
  challenge_expired: 400,
  invalid_passkey_response: 400,
  credential_mismatch: 403,
  origin_not_allowed: 403,
  credential_exists: 409,
  email_taken: 409,
  card_unavailable: 409,
  payment_changed: 409,
  payment_intent_canceled: 409,
  payment_intent_unexpected_state: 409,
  idempotency_key_in_use: 409,
  card_limit_reached: 409,
  authentication_locked: 423,
  rate_limited: 429,
  idempotency_key_reused: 422,
  amount_too_large: 422,
  amount_too_small: 422,
  currency_not_supported: 422,
  description_too_long: 422,
  invalid_url: 422,
  invalid_request: 422,
  // A card the bank refused to save (a value from the adapter, passed on as is).
  card_declined: 402,
  insufficient_funds: 402,
  expired_card: 402,
  incorrect_cvc: 402,
  invalid_card: 402,
  processing_error: 402,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof STATUS_OF;

/** A domain error: a code from the closed set and a message for humans; no HTTP in sight. */
export class PaykeyError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PaykeyError';
    this.code = code;
  }

  get status(): ContentfulStatusCode {
    return STATUS_OF[this.code];
  }

  toJSON(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}
