import type { BankBrandView } from '../../widget/shopper-api.ts';
import { limitBreach } from '../adapters/limit-breach.ts';
import type { AccountPaymentBank } from './account-payment-bank.ts';
import type { PaymentIntent } from './payment-intents.ts';

/** The pay-by-bank choice the confirm screen offers for this intent: the bank's brand, or null (none configured, or it cannot carry it). */
export async function payByBankOffer(bank: AccountPaymentBank | undefined, intent: PaymentIntent): Promise<BankBrandView | null> {
  if (!bank || limitBreach(bank.adapter.limits, { amount: intent.amount, currency: intent.currency })) return null;
  return { id: bank.adapter.id, ...(await bank.adapter.brand()) };
}
