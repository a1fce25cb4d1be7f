/** Minor units ↔ the standard's decimal amount strings (OBActiveCurrencyAndAmount_SimpleType) for GBP. */

/** 1250 → "12.50". */
export function formatMinorUnits(amount: number): string {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new RangeError(`expected a positive integer amount in minor units, received ${String(amount)}`);
  }
  const pence = String(amount).padStart(3, '0');
  return `${pence.slice(0, -2)}.${pence.slice(-2)}`;
}

/** "12.50" → 1250; `null` when it is not a GBP amount with at most two decimals. */
export function parseMinorUnits(text: string): number | null {
  const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return null;
  const minor = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(minor) ? minor : null;
}
