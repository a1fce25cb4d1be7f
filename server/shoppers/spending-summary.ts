import { minorUnitDigits } from '../payments/money.ts';
import type { WalletDb } from '../store/database.ts';
import type { SpendingSummaryResponse } from '../../widget/shopper-api.ts';
import { categoryOfMcc } from '../../widget/merchant-categories.ts';

/**
 * The shopper's own spending this month (UTC), for the top of their Payments view: computed on request from their own
 * records, nothing stored, nothing sent anywhere.
 *
 * - Counted: the shopper's payments that succeeded this month — a card attempt approved (`cards.shopper_id`) or a
 *   payment by bank approved (`account_payments.shopper_id`), dated by when the shopper confirmed it.
 * - Each counts what the payment was for (the merchant's amount, in its currency), less what was refunded of it
 *   (pending or succeeded refunds, `payment_intents.amount_refunded`). Bank fees, offers and conversions are left out:
 *   it is what was bought, at the price asked.
 * - Per currency, never converted (a month in USD and CNY is two totals); within one, by merchant category
 *   (`categoryOfMcc(merchants.mcc)`), largest first.
 * - `projected`: spent ÷ days elapsed (today included) × days in the month, rounded half up, in integers.
 */
export async function spendingSummary(db: WalletDb, shopperId: string, now: Date): Promise<SpendingSummaryResponse> {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const from = new Date(Date.UTC(year, month, 1)).toISOString();
  const until = new Date(Date.UTC(year, month + 1, 1)).toISOString();
  const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const daysElapsed = now.getUTCDate();

  const byCard = db
    .selectFrom('payment_attempts')
    .innerJoin('cards', 'cards.id', 'payment_attempts.card_id')
    .select(['payment_attempts.intent_id as intent_id'])
    .where('cards.shopper_id', '=', shopperId)
    .where('payment_attempts.status', '=', 'approved')
    .where('payment_attempts.created_at', '>=', from)
    .where('payment_attempts.created_at', '<', until);
  const byBank = db
    .selectFrom('account_payments')
    .select(['intent_id'])
    .where('shopper_id', '=', shopperId)
    .where('status', '=', 'approved')
    .where('created_at', '>=', from)
    .where('created_at', '<', until);
  // `union` (not `all`): an intent has at most one approved attempt, but never count one twice.
  const paid = db.selectFrom(byCard.union(byBank).as('p')).select('p.intent_id');
  const rows = await db
    .selectFrom('payment_intents')
    .innerJoin('merchants', 'merchants.id', 'payment_intents.merchant_id')
    .select(['payment_intents.amount', 'payment_intents.amount_refunded', 'payment_intents.currency', 'merchants.mcc'])
    .where('payment_intents.id', 'in', paid)
    .where('payment_intents.status', '=', 'succeeded')
    .execute();

  const perCurrency = new Map<string, Map<string, number>>();
  for (const row of rows) {
    const spent = Number(row.amount) - Number(row.amount_refunded);
    if (spent <= 0) continue;
    const categories = perCurrency.get(row.currency) ?? new Map<string, number>();
    perCurrency.set(row.currency, categories);
    const category = categoryOfMcc(row.mcc);
    categories.set(category, (categories.get(category) ?? 0) + spent);
  }

  const totals = [...perCurrency.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([currency, categories]) => {
      const byCategory = [...categories.entries()]
        .map(([category, amount]) => ({ category, amount }))
        .sort((a, b) => b.amount - a.amount || (a.category < b.category ? -1 : 1));
      const spent = byCategory.reduce((sum, c) => sum + c.amount, 0);
      return { currency, currencyDigits: digitsOf(currency), spent, projected: projectLinear(spent, daysElapsed, daysInMonth), byCategory };
    });
  return { month: `${year}-${String(month + 1).padStart(2, '0')}`, method: 'linear_daily_average', daysElapsed, daysInMonth, totals };
}

/** round(spent / daysElapsed × daysInMonth), half up, exactly (BigInt: no float ever touches money). */
export function projectLinear(spent: number, daysElapsed: number, daysInMonth: number): number {
  if (!Number.isSafeInteger(spent) || spent < 0) throw new RangeError(`projectLinear: expected a non-negative safe integer, received ${String(spent)}`);
  if (!Number.isInteger(daysElapsed) || daysElapsed < 1 || daysElapsed > daysInMonth) {
    throw new RangeError(`projectLinear: expected days elapsed from 1 to ${daysInMonth}, received ${String(daysElapsed)}`);
  }
  const numerator = BigInt(spent) * BigInt(daysInMonth) * 2n + BigInt(daysElapsed);
  return Number(numerator / (2n * BigInt(daysElapsed)));
}

function digitsOf(currency: string): number {
  const digits = minorUnitDigits(currency);
  if (digits === undefined) throw new Error(`spending summary: ${JSON.stringify(currency)} is not in the ISO 4217 table of money.ts`);
  return digits;
}
