/**
 * Whether the merchant's banks (the configured adapters) can carry a payment,
 * by their declared limits (see server/adapters/bank-limits.ts). Checked when
 * an intent is created — at least one bank must carry it, else 422 naming the
 * limit and the banks — and when a card is chosen: that card's bank must carry
 * it, else 409 `card_unavailable` before any attempt or bank call. So no
 * payment ever fails for a reason that was known before it was charged.
 * (Statement text is not refused: each bank gets the description shortened to
 * its own limit, see shorten-statement-text.ts.)
 */
import type { BankAdapter, Money } from '../adapters/bank-adapter.ts';
import { limitBreach, type LimitBreach } from '../adapters/limit-breach.ts';
import { PaykeyError } from '../errors/paykey-error.ts';

type Bank = Pick<BankAdapter, 'id' | 'limits'>;

/** Passes when at least one of `banks` carries `money`; otherwise 422 `currency_not_supported`, `amount_too_small` or `amount_too_large`. */
export function assertPayableByBanks(banks: readonly Bank[], money: Money): void {
  const refusals: Array<{ bank: string; breach: LimitBreach }> = [];
  for (const bank of banks) {
    const breach = limitBreach(bank.limits, money);
    if (!breach) return;
    refusals.push({ bank: bank.id, breach });
  }
  if (refusals.length === 0) throw new TypeError('assertPayableByBanks: expected at least one bank, received none');

  const inCurrency = refusals.filter((refusal) => refusal.breach.code !== 'currency_not_supported');
  if (inCurrency.length === 0) {
    const carried = refusals.map(({ bank, breach }) => {
      const codes = breach.code === 'currency_not_supported' ? breach.currencies : [];
      return refusals.length === 1 ? currencyList(codes) : `bank "${bank}": ${currencyList(codes)}`;
    });
    throw new PaykeyError(
      'currency_not_supported',
      `currency: expected a currency ${whose(refusals)} carries (${carried.join('; ')}); received ${money.currency}`,
    );
  }

  const tooSmall = inCurrency.flatMap(({ bank, breach }) => (breach.code === 'amount_too_small' ? [{ bank, min: breach.min }] : []));
  if (tooSmall.length === inCurrency.length) {
    const least = tooSmall.reduce((a, b) => (b.min < a.min ? b : a));
    throw new PaykeyError(
      'amount_too_small',
      `amount: expected at least ${least.min} (minor units of ${money.currency}, the least bank "${least.bank}" carries); received ${money.amount}`,
    );
  }
  const tooLarge = inCurrency.flatMap(({ bank, breach }) => (breach.code === 'amount_too_large' ? [{ bank, max: breach.max }] : []));
  const most = tooLarge.reduce((a, b) => (b.max > a.max ? b : a));
  throw new PaykeyError(
    'amount_too_large',
    `amount: expected at most ${most.max} (minor units of ${money.currency}, the most bank "${most.bank}" carries); received ${money.amount}`,
  );
}

/** A card's bank must carry the payment before anything is attempted: 409 `card_unavailable` naming the limit. */
export function assertBankCarries(bank: Bank, money: Money): void {
  const breach = limitBreach(bank.limits, money);
  if (!breach) return;
  const expected =
    breach.code === 'currency_not_supported'
      ? `a currency it carries (${currencyList(breach.currencies)}), received ${money.currency}`
      : breach.code === 'amount_too_small'
        ? `at least ${breach.min} ${money.currency} minor units, received ${money.amount}`
        : `at most ${breach.max} ${money.currency} minor units, received ${money.amount}`;
  throw new PaykeyError('card_unavailable', `This card's bank ("${bank.id}") cannot carry this payment: expected ${expected}. Choose another card`);
}

function whose(refusals: ReadonlyArray<{ bank: string }>): string {
  if (refusals.length === 1) return `your bank "${refusals[0].bank}"`;
  return `one of your banks (${refusals.map(({ bank }) => `"${bank}"`).join(', ')})`;
}

/** Up to 12 codes, then how many in all. */
function currencyList(codes: readonly string[]): string {
  return codes.length <= 12 ? codes.join(', ') : `${codes.slice(0, 12).join(', ')}, … (${codes.length} in all)`;
}
