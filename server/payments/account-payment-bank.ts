import type { AccountPaymentAdapter, AccountPaymentOrder, AccountPaymentPayee } from '../adapters/open-banking/account-payment-adapter.ts';
import { shortenStatementText } from '../adapters/shorten-statement-text.ts';
import type { AccountPayment } from './account-payments.ts';
import type { GrantSeal } from './grant-seal.ts';
import type { PaymentIntent } from './payment-intents.ts';

/** The pay-by-bank bank this wallet offers (one for now), the merchant's account it pays, and how long a consent may wait. */
export interface AccountPaymentBank {
  adapter: AccountPaymentAdapter;
  /** The account that receives the money. */
  payee: AccountPaymentPayee;
  grantSeal: GrantSeal;
  /** A consent the shopper has not approved by then fails `consent_expired` (nothing was paid). */
  consentTimeoutMs: number;
}

/** The one place an account payment's order is built: the same for the consent and the payment, on every retry. */
export function accountPaymentOrderFor(payment: AccountPayment, intent: PaymentIntent, bank: AccountPaymentBank): AccountPaymentOrder {
  const description = intent.description ? shortenStatementText(intent.description, bank.adapter.limits.maxDescriptionLength) : '';
  return {
    amount: intent.amount,
    currency: intent.currency,
    reference: payment.reference,
    payee: bank.payee,
    ...(description ? { description } : {}),
  };
}
