/** GBP amounts: the standard's decimal strings ("12.50") to the ledger's integer pence. */

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

