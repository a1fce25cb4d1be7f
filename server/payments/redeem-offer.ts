import type { BankAdapter } from '../adapters/bank-adapter.ts';
import type { OfferRefusalReason } from '../adapters/bank-offers.ts';
import { PaykeyError } from '../errors/paykey-error.ts';
import type { CardRow } from '../shoppers/cards.ts';
import type { Merchant } from '../store/merchants.ts';
import { offerMerchantOf } from '../offers/offer-merchant.ts';
import type { PaymentIntent } from './payment-intents.ts';
import { offerValueOf, type PaymentQuote } from './payment-quotes.ts';

/** Why the bank refused, in words for the shopper (the bank's own message may carry offer details: not repeated). */
const REFUSALS: Record<OfferRefusalReason, string> = {
  offer_expired: 'the offer has ended',
  offer_budget_exhausted: "the offer's budget has run out",
  offer_changed: 'the bank changed the offer',
  offer_not_applicable: 'the offer does not apply to this payment',
};

/**
 * After the shopper's passkey confirmed a payment whose quote carries an offer, before any attempt: the bank
 * re-validates exactly what was signed (quote, version, terms hash, value, card, gross amount, merchant) and reserves
 * it under `reference` (the challenge id: one per confirmation, so a retried request finds the same redemption).
 * Returns the redemption id. A refusal is 409 `offer_unavailable` saying why — no attempt, no charge, the intent
 * unchanged: the frame shows the amount without the offer and the shopper confirms again. An unknown outcome
 * (`BankTransportError`) is left to propagate as 502 `bank_unavailable`: nothing is charged, and a redemption the bank
 * may have made lapses there unused after its expiry.
 */
export async function redeemOffer(
  bank: BankAdapter,
  input: { intent: PaymentIntent; merchant: Merchant; card: CardRow; quote: PaymentQuote; reference: string },
): Promise<string> {
  const { quote } = input;
  const value = offerValueOf(quote);
  if (!bank.redeemOffer || value === null || quote.offer_id === null) {
    throw new PaykeyError('offer_unavailable', 'This offer is no longer available: its bank no longer takes offers. Nothing was charged; review the new amount and confirm again');
  }
  const result = await bank.redeemOffer({
    quoteId: quote.offer_bank_quote_id ?? '',
    offerId: quote.offer_id,
    version: Number(quote.offer_version),
    termsHash: quote.offer_terms_hash ?? '',
    cardToken: input.card.bank_token,
    amount: input.intent.amount,
    currency: input.intent.currency,
    value,
    merchant: offerMerchantOf(input.merchant),
    reference: input.reference,
    idempotencyKey: `redeem_${input.reference}`,
  });
  if (result.status === 'refused') {
    const why = REFUSALS[result.reason] ?? 'the bank refused it';
    throw new PaykeyError('offer_unavailable', `This offer is no longer available: ${why}. Nothing was charged; review the new amount and confirm again`);
  }
  return result.redemptionId;
}
