import type { BankAdapter } from '../adapters/bank-adapter.ts';
import type { OfferLocale, OfferQuote } from '../adapters/bank-offers.ts';
import { PaykeyError } from '../errors/paykey-error.ts';
import { askBankForOffers } from '../offers/ask-bank-for-offers.ts';
import { offerMerchantOf } from '../offers/offer-merchant.ts';
import { offerAskFor, readOfferSettings } from '../offers/offer-settings.ts';
import type { CardRow } from '../shoppers/cards.ts';
import type { WalletDb } from '../store/database.ts';
import type { Merchant } from '../store/merchants.ts';
import type { PaymentIntent } from './payment-intents.ts';

/**
 * The shopper applies offer `offerId` to paying `intent` with `card`: the card's bank is asked again, for this card
 * only, under the card owner's switches, and its current quote of that offer is returned. No such quote now — the
 * offer ended or ran out, the bank did not answer in time, the switches are off, the offer is not this card's — is
 * 409 `offer_unavailable`: nothing is stored, and the frame shows the payment without it.
 * The merchant is as `offerMerchantOf` gives it without a top origin (its first allowed origin): the same at the
 * redemption (redeem-offer.ts), which the bank checks against this quote.
 */
export async function currentOfferQuote(
  deps: { db: WalletDb; now: () => Date },
  input: { intent: PaymentIntent; card: CardRow; bank: BankAdapter; merchant: Merchant; offerId: string; locale: OfferLocale },
): Promise<OfferQuote> {
  const { intent, card, bank } = input;
  const ask = offerAskFor(await readOfferSettings(deps.db, card.shopper_id));
  const quotes = ask.ask
    ? await askBankForOffers(
        bank,
        {
          merchant: offerMerchantOf(input.merchant),
          amount: intent.amount,
          currency: intent.currency,
          cardTokens: [card.bank_token],
          personalization: ask.personalization,
          locale: input.locale,
        },
        deps.now(),
      )
    : null;
  const quote = quotes?.find(
    (q) => q.offerId === input.offerId && q.cardToken === card.bank_token && (!ask.ask || !ask.onlyPersonalized || q.personalized),
  );
  if (!quote) {
    throw new PaykeyError(
      'offer_unavailable',
      'This offer is no longer available for this card and payment: nothing was stored or charged; review the payment without it',
    );
  }
  return quote;
}
