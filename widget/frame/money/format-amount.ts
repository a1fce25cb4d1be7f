/**
 * Formats an amount in integer minor units (1999 USD cents) for a locale without ever turning it into a
 * binary float: the decimal string is built from the integer's digits and handed to `Intl.NumberFormat`
 * as a string, which it formats exactly.
 *
 * `digits` is the currency's ISO 4217 minor unit as the server charges it (USD 2, JPY 0, KWD 3, HUF 2),
 * sent with the checkout: Intl's display digits differ for 17 currencies (HUF, IQD, COP…), and the shopper
 * must see exactly the amount that is charged.
 */
export function formatAmount(minorUnits: number | bigint, currency: string, locale: string, digits: number): string {
  if (typeof minorUnits === 'number' && !Number.isSafeInteger(minorUnits)) {
    throw new RangeError(`amount must be an integer number of minor units, got ${minorUnits}`);
  }
  if (!Number.isInteger(digits) || digits < 0 || digits > 4) throw new RangeError(`expected 0 to 4 minor-unit digits, got ${digits}`);
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
  return format.format(minorUnitsToDecimal(minorUnits, digits) as Intl.StringNumericLiteral);
}

/** `1999, 2` → `"19.99"`; `5, 3` → `"0.005"`; `-150, 2` → `"-1.50"`. */
export function minorUnitsToDecimal(minorUnits: number | bigint, digits: number): string {
  const negative = minorUnits < 0;
  let s = String(minorUnits).replace('-', '');
  if (digits > 0) {
    s = s.padStart(digits + 1, '0');
    s = `${s.slice(0, -digits)}.${s.slice(-digits)}`;
  }
  return negative ? `-${s}` : s;
}
