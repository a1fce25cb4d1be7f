/**
 * Formats an amount in integer minor units (1999 USD cents) for a locale without ever turning it into a
 * binary float: the decimal string is built from the integer's digits and handed to `Intl.NumberFormat`
 * as a string, which it formats exactly.
 *
 * The number of minor-unit digits comes from Intl itself (USD 2, JPY 0, KWD 3), so it agrees with how the
 * currency is displayed.
 */
export function formatAmount(minorUnits: number | bigint, currency: string, locale: string): string {
  if (typeof minorUnits === 'number' && !Number.isSafeInteger(minorUnits)) {
    throw new RangeError(`amount must be an integer number of minor units, got ${minorUnits}`);
  }
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
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
