/** GBP amounts between the standard's decimal strings ("12.50") and the ledger's integer pence. */

/** Minor units of an OBActiveCurrencyAndAmount_SimpleType string, or an explanation of why it is not one for GBP. */
export function parseGbpAmount(amount: string): { minor: number } | { problem: string } {
  const match = /^(\d{1,13})(?:\.(\d{1,5}))?$/.exec(amount);
  if (!match) return { problem: `expected a decimal amount such as "12.50", received ${JSON.stringify(amount)}` };
  const [, whole, fraction = ''] = match;
  if (fraction.replace(/0+$/, '').length > 2) {
    return { problem: `expected at most 2 decimal places for GBP, received ${JSON.stringify(amount)}` };
  }
  const minor = Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
  if (!Number.isSafeInteger(minor) || minor <= 0) {
    return { problem: `expected an amount above 0.00, received ${JSON.stringify(amount)}` };
  }
  return { minor };
}

/** 1250 → "12.50" */
export function formatMinor(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
