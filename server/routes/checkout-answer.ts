import type { CheckoutAnswer } from '../../widget/shopper-api.ts';
import type { BrandLookup } from '../banks/bank-brands.ts';
import type { AccountPaymentBank } from '../payments/account-payment-bank.ts';
import { payByBankOffer } from '../payments/pay-by-bank-offer.ts';
import type { PaymentIntent } from '../payments/payment-intents.ts';
import type { Merchant } from '../store/merchants.ts';
import { toCheckoutView } from './shopper-views.ts';

/** The payment as its first screen shows it: what `POST /api/frame/checkout` answers, and what the frame page holds sealed. */
export type CheckoutAnswerOf = (intent: PaymentIntent, merchant: Merchant) => Promise<CheckoutAnswer>;

/** The checkout of an intent whose client secret was proven (the route) or to whose secret it is sealed (the frame page). */
export function checkoutAnswerOf(deps: { accountPayments?: AccountPaymentBank; bankBrand: BrandLookup }): CheckoutAnswerOf {
  return async (intent, merchant) => ({
    ...toCheckoutView(intent, merchant),
    payByBank: await payByBankOffer(deps.accountPayments, intent, deps.bankBrand),
  });
}
