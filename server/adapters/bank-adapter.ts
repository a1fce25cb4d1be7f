/**
 * The one interface every partner bank plugs in through. One file per bank in
 * `server/adapters/`, each exporting a factory that returns a `BankAdapter`.
 *
 * Rules every adapter follows:
 * - Declines are values (`{ status: 'declined', code }`), never exceptions.
 * - Exceptions only for misconfiguration and broken transport: throw
 *   `BankTransportError` when the outcome of a call is unknown (timeout,
 *   connection reset, 5xx, an answer that is not well formed, any refusal
 *   that is not a definite decline) so the caller resolves it with
 *   `lookupCharge` / `lookupRefund`. Only a well-formed, definite decline is a
 *   `declined` value: a middlebox turning the bank's 201 into a 409 must never
 *   look like a decline, or the shopper pays again and is charged twice.
 * - Every money-moving call carries our own `reference` and `idempotencyKey`;
 *   repeating a call with the same pair must never move money twice.
 * - Card numbers and CVCs are only ever passed through to the bank: never
 *   logged, never stored, never returned.
 * - `limits` declares what the bank carries (currencies, amount range, statement
 *   text length) — exactly what the bank accepts, proven by the conformance
 *   suite. Paykey never sends a charge outside them.
 * - Results carry the standard codes of `bank-result-code.ts`, shared by every adapter.
 * - Capabilities beyond cards and refunds are optional members (`quoteFx`,
 *   `feeSchedule`, the five of `offers`); `capabilitiesOf` (bank-capabilities.ts) reports what a bank supports.
 */
import type { BankLimits } from './bank-limits.ts';
import type { BankDeclineCode, CardDeclineCode } from './bank-result-code.ts';
import type { FeeSchedule } from './fee-schedule.ts';
import type { FxQuote, FxQuoteRequest } from './fx-quote.ts';
import type { BankOffers } from './bank-offers.ts';

export type { AmountRange, BankLimits } from './bank-limits.ts';
export type { BankDeclineCode, BankResultCode, CardDeclineCode } from './bank-result-code.ts';

/** Money: an integer in minor units plus an ISO 4217 code. */
export interface Money {
  amount: number;
  currency: string;
}

export interface CardDetails {
  /** Digits only, 12–19 long. */
  number: string;
  expMonth: number;
  /** Four-digit year. */
  expYear: number;
  cvc: string;
  name: string;
}

export interface TokenizedCard {
  /** The bank's token for this card; the only card reference we keep. */
  token: string;
  brand: CardBrand;
  last4: string;
  expMonth: number;
  expYear: number;
  /**
   * ISO 4217 code of the account the card draws on (a Lotus Bank card: "CNY"), or `null` for a card charged in
   * whatever currency the payment is in. A payment in another currency than the card's needs an FX quote
   * (`quoteFx`), and the charge is then the quoted debit in the card's currency.
   */
  currency: string | null;
}

export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'discover' | 'jcb' | 'unionpay' | 'unknown';

export interface ChargeRequest extends Money {
  token: string;
  /** Our own reference for this attempt; the bank dedups by it. */
  reference: string;
  idempotencyKey: string;
  /** Statement text, at most `limits.maxDescriptionLength` long (Paykey shortens the merchant's description to it). */
  description?: string;
  /**
   * Set when the payment's currency differs from the card's: the bank's quote this charge uses. `amount` and
   * `currency` are then exactly the quote's `debit` in the card's currency (fee included), never recomputed.
   */
  fxQuoteId?: string;
  /**
   * Set when the shopper applied one of this bank's offers (capability `offers`, bank-offers.ts): the redemption the
   * bank reserved for it (`redeemOffer`) and the payment's gross amount. `amount`/`currency` are then exactly what
   * the shopper signed: the gross amount less an instant discount (or the instalment plan's total), plus any fee,
   * converted when `fxQuoteId` is set. The bank applies exactly that redemption, once.
   */
  offer?: { redemptionId: string; grossAmount: number; grossCurrency: string };
}

export type ChargeResult =
  | { status: 'approved'; bankChargeId: string; reference: string }
  | { status: 'declined'; bankChargeId: string | null; reference: string; code: BankDeclineCode; message: string };

export interface RefundRequest extends Money {
  bankChargeId: string;
  reference: string;
  idempotencyKey: string;
}

export type RefundResult =
  | { status: 'succeeded'; bankRefundId: string; reference: string }
  | { status: 'failed'; bankRefundId: string | null; reference: string; code: BankDeclineCode; message: string };

export type TokenizeResult =
  | { status: 'tokenized'; card: TokenizedCard }
  | { status: 'rejected'; code: CardDeclineCode; message: string };

/** A charge as the bank's ledger lists it (reconciliation compares these with our records). */
export interface BankChargeRecord extends Money {
  bankChargeId: string;
  reference: string;
  status: 'approved' | 'declined';
  createdAt: string;
}

/** A refund as the bank's ledger lists it. */
export interface BankRefundRecord extends Money {
  bankRefundId: string;
  bankChargeId: string;
  reference: string;
  createdAt: string;
}

/** Text per locale: `en` always, `zh-CN` when the bank has it (the frame falls back to `en`). */
export interface LocalizedText {
  en: string;
  'zh-CN'?: string;
}

/**
 * A bank's colours, each a CSS colour (`#rrggbb` or `#rgb`, opaque). Pairs that must meet WCAG 2.2 AA, checked when the
 * brand is loaded (`checkBankBrand`, a brand failing one is refused, naming the pair): `text`/`background` and
 * `onPrimary`/`primary` 4.5:1 (text); `accent`/`background` (the focus ring) and `border`/`background` 3:1.
 */
export interface BankColors {
  /** Buttons and the bank's highlights. */
  primary: string;
  /** Text on `primary`. */
  onPrimary: string;
  /** The focus ring. */
  accent: string;
  /** The surface of the bank's screens. */
  background: string;
  /** Body text on `background`. */
  text: string;
  /** Borders of fields and cards on `background`. */
  border: string;
}

/** How a bank looks to shoppers: served by the bank, fetched through its adapter, applied as `--paykey-*` properties. */
export interface BankBrand {
  /** Shown to shoppers, e.g. { en: "Lotus Bank", "zh-CN": "莲花银行" }. */
  name: LocalizedText;
  /** A `data:image/svg+xml` URL so the wallet frame can show it under its CSP. */
  logo: string;
  colors: BankColors;
  /** Corner radius of buttons, fields and cards: a CSS length in px, 0 to 24 ("8px"). */
  radius: string;
  /** A CSS font-family list ending in a generic family ("'Noto Sans SC', system-ui, sans-serif"). */
  fontStack: string;
  /** Where a shopper reaches the bank; at least one of them. */
  support: { phone?: string; email?: string; url?: string };
}

export interface BankAdapter {
  /** Stable id stored with each card, e.g. "sandbox". */
  readonly id: string;
  /**
   * What this bank carries; intents and cards outside it are refused before any charge (see bank-limits.ts).
   * `createBankRegistry` refuses an adapter whose limits are not well formed.
   */
  readonly limits: BankLimits;
  /**
   * The leading digits (BIN prefixes, 1 to 8 digits) of the card numbers this bank issues: the wallet routes a new
   * card to the bank with the longest matching prefix, and refuses a number no bank declares (`card_not_supported`).
   */
  readonly bins: readonly string[];
  brand(): Promise<BankBrand>;
  tokenizeCard(card: CardDetails, idempotencyKey: string): Promise<TokenizeResult>;
  /**
   * Releases a token at the bank: the shopper removed the card, or paid once without saving it. Idempotent (a token
   * released already, or unknown to the bank, is not an error); throws `BankTransportError` when the outcome is unknown.
   */
  releaseToken(token: string): Promise<void>;
  charge(request: ChargeRequest): Promise<ChargeResult>;
  /** Looks a charge up by our reference; `null` when the bank never saw it. */
  lookupCharge(reference: string): Promise<ChargeResult | null>;
  refund(request: RefundRequest): Promise<RefundResult>;
  /** Looks a refund up by our reference; `null` when the bank never saw it. */
  lookupRefund(reference: string): Promise<RefundResult | null>;
  /** Every charge the bank booked at or after `since`, oldest first. */
  listCharges(since: Date): AsyncIterable<BankChargeRecord>;
  /** Every refund the bank booked at or after `since`, oldest first. */
  listRefunds(since: Date): AsyncIterable<BankRefundRecord>;
  /** Optional capability `fx_quote`: a firm conversion rate for a while (see fx-quote.ts). */
  quoteFx?(request: FxQuoteRequest): Promise<FxQuote>;
  /** Optional capability `fee_schedule`: what the bank charges per payment (see fee-schedule.ts). */
  feeSchedule?(): Promise<FeeSchedule>;
  /** Optional capability `offers` (all five or none): the bank's offers at the moment of payment (see bank-offers.ts). */
  offersFor?: BankOffers['offersFor'];
  redeemOffer?: BankOffers['redeemOffer'];
  revokeOffer?: BankOffers['revokeOffer'];
  offerRedemption?: BankOffers['offerRedemption'];
  recordOfferConsent?: BankOffers['recordOfferConsent'];
}

/** The outcome of a bank call is unknown: resolve it with `lookupCharge`, never by paying again. */
export class BankTransportError extends Error {
  /** The standard result code of an unknown outcome. */
  readonly code = 'bank_unavailable';
  /** Set when the bank (or something on the way) refused without a definite decline: what it said, scrubbed. */
  readonly refusal?: { code: BankDeclineCode; message: string };

  constructor(message: string, options?: { cause?: unknown; refusal?: { code: BankDeclineCode; message: string } }) {
    super(message, options);
    this.name = 'BankTransportError';
    if (options?.refusal) this.refusal = options.refusal;
  }
}

/** The adapter is set up wrong (bad key, bad URL): an operator problem, not a shopper one. */
export class BankConfigurationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BankConfigurationError';
  }
}
