/**
 * The standard result codes every adapter maps its bank's answers to — one closed
 * set, whatever the bank speaks (cards, account-to-account payments), as
 * ActiveMerchant's `STANDARD_ERROR_CODE`. Each outcome of a bank call is exactly one:
 * - `approved` / `pending` — a value (pending: accepted, look it up until it settles);
 * - a decline code — a value: the bank's definite refusal, nothing moved;
 * - `bank_unavailable` — never a value: the outcome is unknown (`BankTransportError`),
 *   resolved by a lookup by our reference, never by paying again.
 * A misconfigured adapter (`BankConfigurationError`) has no result code: it is an
 * operator problem, not an outcome.
 */

/** Refusals a card bank answers (they reach merchants as error codes, README "Errors"). */
export const CARD_DECLINE_CODES = [
  'card_declined',
  'insufficient_funds',
  'expired_card',
  'incorrect_cvc',
  'invalid_card',
  'processing_error',
] as const;

/** Refusals of an account-to-account payment with bank consent. */
export const ACCOUNT_PAYMENT_DECLINE_CODES = ['consent_rejected', 'consent_expired', 'insufficient_funds', 'payment_rejected'] as const;

export const BANK_DECLINE_CODES = [...new Set([...CARD_DECLINE_CODES, ...ACCOUNT_PAYMENT_DECLINE_CODES])] as readonly BankDeclineCode[];

export const BANK_RESULT_CODES = ['approved', 'pending', ...BANK_DECLINE_CODES, 'bank_unavailable'] as readonly BankResultCode[];

export type CardDeclineCode = (typeof CARD_DECLINE_CODES)[number];
/** Every definite refusal, of any adapter. */
export type BankDeclineCode = CardDeclineCode | (typeof ACCOUNT_PAYMENT_DECLINE_CODES)[number];
export type BankResultCode = 'approved' | 'pending' | BankDeclineCode | 'bank_unavailable';

export function isCardDeclineCode(code: unknown): code is CardDeclineCode {
  return (CARD_DECLINE_CODES as readonly unknown[]).includes(code);
}

export function isBankDeclineCode(code: unknown): code is BankDeclineCode {
  return (BANK_DECLINE_CODES as readonly unknown[]).includes(code);
}
