import { convertedAmount, type FxQuote, type FxQuoteRequest } from '../adapters/fx-quote.ts';
import { minorUnitDigits } from './money.ts';

/**
 * What is wrong with a bank's FX quote for `request`, or `null` when it is consistent: the currencies and amount
 * asked for, a positive safe-integer ratio equal to the decimal rate (given both currencies' minor units), a debit
 * that is exactly `convertedAmount(quote, amount)`, and an expiry still ahead. A quote that is not consistent is
 * never shown to a shopper: the caller treats it as no answer.
 */
export function fxQuoteProblem(quote: FxQuote, request: FxQuoteRequest, now: Date): string | null {
  if (quote.from !== request.from || quote.to !== request.to) {
    return `expected a quote from ${request.from} to ${request.to}, received ${String(quote.from)} to ${String(quote.to)}`;
  }
  if (quote.amount !== request.amount) return `expected the quote's amount to be ${request.amount}, received ${String(quote.amount)}`;
  if (typeof quote.quoteId !== 'string' || quote.quoteId.length === 0 || quote.quoteId.length > 200) {
    return 'expected a quote id of 1 to 200 characters';
  }
  if (typeof quote.source !== 'string' || quote.source.trim().length === 0 || quote.source.length > 200) {
    return 'expected a rate source of 1 to 200 characters';
  }
  const { numerator, denominator } = quote.ratio ?? {};
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || numerator < 1 || denominator < 1) {
    return `expected a ratio of positive safe integers, received ${String(numerator)}/${String(denominator)}`;
  }
  const rate = /^(\d{1,12})(?:\.(\d{1,12}))?$/.exec(typeof quote.rate === 'string' ? quote.rate : '');
  if (!rate || /^0+(?:\.0+)?$/.test(quote.rate)) return `expected a positive decimal rate such as "7.1234", received ${JSON.stringify(quote.rate)}`;
  const fromDigits = minorUnitDigits(quote.from);
  const toDigits = minorUnitDigits(quote.to);
  if (fromDigits === undefined || toDigits === undefined) return `expected ISO 4217 currencies, received ${quote.from} and ${quote.to}`;
  // rate = R / 10^k units of `to` per unit of `from`, so R × 10^toDigits minor units per 10^k × 10^fromDigits.
  const fraction = rate[2] ?? '';
  const scaledRate = BigInt(rate[1] + fraction);
  const ratioFromRate = { numerator: scaledRate * 10n ** BigInt(toDigits), denominator: 10n ** BigInt(fraction.length + fromDigits) };
  if (BigInt(numerator) * ratioFromRate.denominator !== BigInt(denominator) * ratioFromRate.numerator) {
    return `expected the ratio ${numerator}/${denominator} to be the rate ${quote.rate} ${quote.to} per ${quote.from} in minor units`;
  }
  let expected: number;
  try {
    expected = convertedAmount(quote, request.amount);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (quote.debit !== expected) return `expected the debit to be ${expected} ${quote.to} minor units (${request.amount} × ${quote.rate}), received ${String(quote.debit)}`;
  const expiresAt = Date.parse(quote.expiresAt);
  if (!Number.isFinite(expiresAt)) return `expected an ISO 8601 expiry, received ${JSON.stringify(quote.expiresAt)}`;
  if (expiresAt <= now.getTime()) return `the quote expired at ${quote.expiresAt}, before it reached us`;
  return null;
}
