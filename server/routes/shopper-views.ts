import type { BankBrandView, CheckoutAnswer, ConfirmResponse, SavedCard } from '../../widget/shopper-api.ts';
import type { BankAdapter } from '../adapters/bank-adapter.ts';
import type { BrandLookup } from '../banks/bank-brands.ts';
import { minorUnitDigits } from '../payments/money.ts';
import { lastErrorOf, type PaymentIntent } from '../payments/payment-intents.ts';
import type { CardRow } from '../shoppers/cards.ts';
import type { Merchant } from '../store/merchants.ts';

/** Domain values → the shopper API's wire shapes (widget/shopper-api.ts). Only routes call these. */

export async function toSavedCard(row: CardRow, adapter: BankAdapter, bankBrand: BrandLookup): Promise<SavedCard> {
  // An unreachable bank must not fail the shopper's card list: its cards show under its id until it answers.
  const brand = await bankBrand(adapter).catch(() => bankBrand.standIn(adapter.id));
  return {
    id: row.id,
    bank: row.bank,
    bankName: brand.name,
    bankToken: row.bank_token,
    brand: row.brand,
    last4: row.last4,
    expMonth: row.exp_month,
    expYear: row.exp_year,
    currency: row.currency,
  };
}

/** A confirmation's answer: `processing` at worst once the attempt started. */
export function toConfirmResponse(intent: PaymentIntent): ConfirmResponse {
  const status = intent.status === 'requires_confirmation' ? 'processing' : intent.status;
  return { paymentIntentId: intent.id, status, lastError: lastErrorOf(intent) };
}

/**
 * The brand of every card bank (`GET /brands`): a card's screens show its bank's. A bank that cannot be reached right
 * now is shown in the operator's look under its id, not cached.
 */
export function cardBankBrands(banks: readonly BankAdapter[], bankBrand: BrandLookup): Promise<BankBrandView[]> {
  return Promise.all(banks.map((adapter) => bankBrand(adapter).catch(() => bankBrand.standIn(adapter.id))));
}

/** The payment as its first screen shows it (the brands: `GET /brands`). */
export function toCheckoutView(intent: PaymentIntent, merchant: Merchant): CheckoutAnswer {
  return {
    paymentIntentId: intent.id,
    amount: intent.amount,
    currency: intent.currency,
    currencyDigits: minorUnitDigits(intent.currency) ?? 2,
    description: intent.description,
    payee: merchant.display_name,
    status: intent.status,
    lastError: lastErrorOf(intent),
  };
}
