import type { BankAdapter } from '../adapters/bank-adapter.ts';
import type { OfferLocale, OfferMerchant, OfferQuote } from '../adapters/bank-offers.ts';
import { PaykeyError } from '../errors/paykey-error.ts';
import { askBankForOffers } from '../offers/ask-bank-for-offers.ts';
import { offerAskFor, readOfferSettings } from '../offers/offer-settings.ts';
import type { CardRow } from '../shoppers/cards.ts';
import type { WalletDb } from '../store/database.ts';
import { allowedOrigins, type Merchant } from '../store/merchants.ts';
import type { PaymentIntent } from './payment-intents.ts';

/**
 * The merchant as banks match (and re-validate) offers on it. The origin is the merchant's first allowed origin: the
 * same at the quote and at the redemption, which the bank checks against its quote.
 */
export function offerMerchantOf(merchant: Merchant): OfferMerchant {
  return { id: merchant.id, name: merchant.display_name, mcc: merchant.mcc, origin: allowedOrigins(merchant)[0] ?? '', country: merchant.country };
}

/** The offer texts' language from the frame's `Accept-Language`: Chinese when it prefers any `zh`, else English. */
export function offerLocaleOf(acceptLanguage: string | undefined): OfferLocale {
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('zh') ? 'zh-CN' : 'en';
}

/**
 * The shopper applies offer `offerId` to paying `intent` with `card`: the card's bank is asked again, for this card
 * only, under the card owner's switches, and its current quote of that offer is returned. No such quote now — the
 * offer ended or ran out, the bank did not answer in time, the switches are off, the offer is not this card's — is
 * 409 `offer_unavailable`: nothing is stored, and the frame shows the payment without it.
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
