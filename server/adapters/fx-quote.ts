/**
 * Capability `fx_quote`: a bank's firm rate to convert one currency into another,
 * good until `expiresAt`. No float ever carries money or a rate: the rate is an exact
 * decimal string and the same rate as an integer ratio of minor units, so the
 * converted amount is integer arithmetic (see `convertedAmount`).
 */
export interface FxQuoteRequest {
  /** ISO 4217 code of the payment (what the merchant is paid in), e.g. "USD". */
  from: string;
  /** ISO 4217 code of the card's account (what the shopper is debited in), e.g. "CNY". */
  to: string;
  /** What is to be converted, in minor units of `from`: the payment's amount plus any fee charged to the shopper. */
  amount: number;
}

export interface FxQuote {
  /** The bank's id for this quote; a charge that uses the rate names it. */
  quoteId: string;
  from: string;
  to: string;
  /** Units of `to` per unit of `from`, exact, e.g. "7.1234" (shown as `1 USD = 7.1234 CNY`). */
  rate: string;
  /** The same rate in minor units: `numerator` minor units of `to` per `denominator` minor units of `from` (positive safe integers). */
  ratio: { numerator: number; denominator: number };
  /** Whose rate it is, e.g. "Sandbox Bank treasury" or "ECB reference rate 2026-12-01". */
  source: string;
  /** ISO 8601; after it the quote is void. */
  expiresAt: string;
  /** The request's `amount`, in minor units of `from`. */
  amount: number;
  /** What the card is debited, in minor units of `to`: `convertedAmount(quote, amount)`. A charge naming the quote must be exactly this. */
  debit: number;
}

/** `amount` minor units of `quote.from` in minor units of `quote.to`, rounded half up; exact for any safe-integer amount. */
export function convertedAmount(quote: FxQuote, amount: number): number {
  const { numerator, denominator } = quote.ratio;
  for (const [name, value] of [['amount', amount], ['ratio.numerator', numerator], ['ratio.denominator', denominator]] as const) {
    if (!Number.isSafeInteger(value) || value < (name === 'amount' ? 0 : 1)) {
      throw new TypeError(`convertedAmount: expected ${name} to be a ${name === 'amount' ? 'non-negative' : 'positive'} safe integer, received ${String(value)}`);
    }
  }
  const scaled = BigInt(amount) * BigInt(numerator);
  const whole = (scaled * 2n + BigInt(denominator)) / (2n * BigInt(denominator));
  if (whole > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`convertedAmount: expected a result of at most ${Number.MAX_SAFE_INTEGER} minor units, received ${whole}`);
  }
  return Number(whole);
}
