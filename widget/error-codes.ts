/**
 * The one closed set of error codes Paykey produces, shared by the server, the wallet frame and the loader.
 * Codes are public contract (the merchant API's `{ error: { code, message } }`, the frame's `error` message, the
 * loader's `paykey-error` event); messages are for humans. README "Errors" lists exactly these codes (a test checks).
 *
 * The server imports this module at run time (the status table); the loader only its types; the frame its types
 * and `isServerErrorCode`, so that a code the server never sends is not passed on as if it were one.
 */

/** The statuses an error answer may have. */
export type ErrorStatus = 400 | 401 | 402 | 403 | 404 | 409 | 413 | 415 | 421 | 422 | 423 | 429 | 500 | 502 | 503;

/**
 * Every code the server sends (merchant API, shopper API, widget assets) and its HTTP status — the only place a code
 * meets a status. A code with several statuses lists them, the one domain code uses first.
 */
export const SERVER_ERROR_STATUS = {
  invalid_request: [422, 400],
  challenge_invalid: 400,
  challenge_expired: 400,
  invalid_passkey_response: 400,
  authentication_required: 401,
  invalid_api_key: 401,
  invalid_client_secret: 401,
  session_invalid: 401,
  session_expired: 401,
  unknown_credential: 401,
  passkey_verification_failed: 401,
  // A card the bank refused to save or charge (the adapter's decline code, passed on as is).
  card_declined: 402,
  insufficient_funds: 402,
  expired_card: 402,
  incorrect_cvc: 402,
  invalid_card: 402,
  processing_error: 402,
  // Pay by bank: the shopper refused at their bank (or the bank refused the consent), the consent or the shopper's
  // approval ran out before it was used, or the bank rejected the payment for another stated reason.
  consent_rejected: 402,
  consent_expired: 402,
  payment_rejected: 402,
  // The shopper closed their bank's window (or pressed Cancel) before approving: recorded on the intent, nothing paid.
  consent_window_closed: 402,
  credential_mismatch: 403,
  origin_not_allowed: 403,
  resource_missing: 404,
  credential_exists: 409,
  card_unavailable: 409,
  card_limit_reached: 409,
  payment_changed: 409,
  // The quote the shopper saw (fee, exchange rate) ran out before they confirmed: the frame fetches a new one.
  quote_expired: 409,
  // The bank offer the shopper signed can no longer be applied (it ended, ran out of budget or changed): nothing was
  // charged; the frame shows the new amount and asks for a new confirmation — never a silent full-price charge.
  offer_unavailable: 409,
  payment_intent_canceled: 409,
  payment_intent_unexpected_state: 409,
  idempotency_key_in_use: 409,
  request_too_large: 413,
  unsupported_media_type: 415,
  misdirected_request: 421,
  invalid_amount: 422,
  invalid_currency: 422,
  invalid_url: 422,
  invalid_card_details: 422,
  idempotency_key_reused: 422,
  amount_too_large: 422,
  amount_too_small: 422,
  currency_not_supported: 422,
  // No partner bank's BIN table covers this card number.
  card_not_supported: 422,
  // A refund of a payment made by bank (Open Banking has no refund call): the merchant refunds it outside Paykey.
  refund_not_supported: 422,
  authentication_locked: 423,
  rate_limited: 429,
  internal_error: 500,
  bank_unavailable: 502,
  widget_not_built: 503,
} as const satisfies Record<string, ErrorStatus | readonly [ErrorStatus, ...ErrorStatus[]]>;

export type ServerErrorCode = keyof typeof SERVER_ERROR_STATUS;

/** The status(es) the server may answer `code` with. */
export type StatusOf<C extends ServerErrorCode> = Extract<Statuses<(typeof SERVER_ERROR_STATUS)[C]>, ErrorStatus>;
type Statuses<V> = V extends readonly (infer S)[] ? S : V;

/** Codes only the wallet frame or the loader raise, never the server (so they have no status). */
export const FRAME_ERROR_CODES = [
  /** Loader: the wallet page did not load (an origin the merchant did not register, a timeout). */
  'frame_unavailable',
  /** Frame: Pay was pressed while the frame was hidden, transparent or covered (Chromium's IntersectionObserver v2). */
  'frame_obscured',
  /** Frame: the client secret names another payment than the frame's URL. */
  'intent_mismatch',
  /** Frame: the wallet API could not be reached. */
  'network_error',
  /** Frame: the wallet API answered something Paykey does not send (no JSON, an unknown code). */
  'bad_response',
] as const;

export type FrameErrorCode = (typeof FRAME_ERROR_CODES)[number];

/** Every code a merchant may see: from the API, in `paykey-error`. */
export type ErrorCode = ServerErrorCode | FrameErrorCode;

/** Narrows a code read off the wire to one the server sends. */
export function isServerErrorCode(code: unknown): code is ServerErrorCode {
  return typeof code === 'string' && Object.hasOwn(SERVER_ERROR_STATUS, code);
}

/** The status a server code is sent with by default (its first, for a code with several). */
export function statusOf(code: ServerErrorCode): ErrorStatus {
  const status: ErrorStatus | readonly ErrorStatus[] = SERVER_ERROR_STATUS[code];
  return typeof status === 'number' ? status : status[0];
}
