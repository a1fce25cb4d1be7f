import type { BankBrandView } from '../../widget/shopper-api.ts';
import { limitBreach } from '../adapters/limit-breach.ts';
import type { BrandedBank } from '../banks/bank-brands.ts';
import type { AccountPaymentBank } from './account-payment-bank.ts';
import type { PaymentIntent } from './payment-intents.ts';

/**
 * The pay-by-bank choice the confirm screen offers for this intent: the bank's brand, checked like every bank's
 * (`brandOf`, the brand cache), or null (none configured, or it cannot carry it).
 */
export async function payByBankOffer(
  bank: AccountPaymentBank | undefined,
  intent: PaymentIntent,
  brandOf: (bank: BrandedBank) => Promise<BankBrandView>,
): Promise<BankBrandView | null> {
  if (!bank || limitBreach(bank.adapter.limits, { amount: intent.amount, currency: intent.currency })) return null;
  return brandOf(bank.adapter);
}
