/**
 * What the bank gives back for a refund of a charge whose debit differs from the payment's amount (a fee charged
 * to the shopper, a conversion into the card's currency): the charge's own ratio `debit / amount`, cumulative-exact.
 * The refunds of one charge together give back `round_half_up(debit × refunded / amount)` — so a full refund, in
 * one piece or many, returns exactly the debit, fee included — each taking what the total after it adds to what the
 * other live refunds (pending or succeeded) already give back.
 */
export function refundDebit(charge: { amount: number; debit: number }, refunds: { after: number; otherDebits: number }): number {
  for (const [name, value] of [
    ['amount', charge.amount],
    ['debit', charge.debit],
    ['after', refunds.after],
    ['otherDebits', refunds.otherDebits],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < (name === 'amount' ? 1 : 0)) {
      throw new TypeError(`refundDebit: expected ${name} to be a ${name === 'amount' ? 'positive' : 'non-negative'} safe integer, received ${String(value)}`);
    }
  }
  if (refunds.after > charge.amount) throw new RangeError(`refundDebit: expected at most ${charge.amount} refunded in all, received ${refunds.after}`);
  return Number(proportion(charge.debit, refunds.after, charge.amount)) - refunds.otherDebits;
}

/** round_half_up(value × part / whole), exact in integers. */
function proportion(value: number, part: number, whole: number): bigint {
  return (BigInt(value) * BigInt(part) * 2n + BigInt(whole)) / (2n * BigInt(whole));
}
