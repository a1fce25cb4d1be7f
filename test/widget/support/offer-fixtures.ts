/**
 * Wire fixtures of bank offers, as `/api/frame/offers` and `/api/frame/quotes` answer them: a ¥250.00 CNY payment, a
 * Lotus Bank card (`lotus-tea-20`: ¥20 off, bank-funded; `lotus-3x`: 3 interest-free instalments) and a Sandbox Bank
 * card (`sandbox-cashback-5`: 5 % back, an estimate), with the costs the server computes for each way to pay.
 */
import type { AppliedOffer, CardOffers, CheckoutView, OfferView, OffersResponse, PaymentOptionCost, PaymentTerms } from '../../../widget/shopper-api.ts';
import { ApiFailure, type SeenRequest } from './fake-wallet-backend.ts';
import { checkoutView, lotusCard, savedCard } from './fixtures.ts';

/** A ¥250.00 payment to Demo Shop. */
export const cnyCheckout = (amount = 25000): CheckoutView => ({ ...checkoutView, amount, currency: 'CNY', currencyDigits: 2 });

export const lotus4444 = lotusCard('card_l', '4444');
/** A Sandbox Bank card charged in the payment's currency. */
export const sandbox4242 = savedCard('card_s', 'visa', '4242', 12, 2034);

/** A bank quote's validity (how long it holds), not the offer's end: the demo offers have none (`endsAt: null`). */
const inAnHour = () => new Date(Date.now() + 60 * 60_000).toISOString();

export const lotusTea = (amount = 25000, overrides: Partial<OfferView> = {}): OfferView => ({
  offerId: 'lotus-tea-20',
  version: 1,
  cardId: lotus4444.id,
  bank: 'lotus',
  kind: 'instant_discount',
  personalized: false,
  fundedBy: 'bank',
  title: 'Lotus Bank: ¥20 off',
  terms: '¥20 off any payment of ¥200 or more.',
  value: { kind: 'instant_discount', discount: 2000 },
  effect: { charged: amount - 2000, dueNow: amount - 2000, comesBackLater: 0, planFees: 0 },
  refundPolicy: 'revoke_on_any_refund',
  expiresAt: inAnHour(),
  endsAt: null,
  ...overrides,
});

export const lotus3x = (amount: number): OfferView => ({
  offerId: 'lotus-3x',
  version: 1,
  cardId: lotus4444.id,
  bank: 'lotus',
  kind: 'instalments',
  personalized: false,
  fundedBy: 'bank',
  title: 'Lotus Bank: 3 interest-free instalments',
  terms: 'Pay in 3 monthly instalments, 0% APR, no fees, on payments of ¥1,000 or more.',
  value: { kind: 'instalments', count: 3, firstInstalment: amount / 3, perInstalment: amount / 3, totalFees: 0, aprBasisPoints: 0 },
  effect: { charged: amount, dueNow: amount / 3, comesBackLater: 0, planFees: 0 },
  refundPolicy: 'revoke_on_full_refund',
  expiresAt: inAnHour(),
  endsAt: null,
});

export const sandboxCashback = (amount = 25000, overrides: Partial<OfferView> = {}): OfferView => ({
  offerId: 'sandbox-cashback-5',
  version: 1,
  cardId: sandbox4242.id,
  bank: 'sandbox',
  kind: 'cashback',
  personalized: false,
  fundedBy: 'bank',
  title: 'Sandbox Bank: 5% cashback',
  terms: '5% back, up to $10, a minute after you pay.',
  value: { kind: 'cashback', cashback: amount / 20, expectedBy: '2026-12-03T10:00:00Z' },
  effect: { charged: amount, dueNow: amount, comesBackLater: amount / 20, planFees: 0 },
  refundPolicy: 'revoke_on_any_refund',
  expiresAt: inAnHour(),
  endsAt: null,
  ...overrides,
});

/** What one way to pay costs: `net` = charged + fee − comesBackLater. */
export const cost = (offerId: string | null, charged: number, fee = 0, comesBackLater = 0, dueNow = charged): PaymentOptionCost => ({
  offerId, charged, dueNow, fee, comesBackLater, net: charged + fee - comesBackLater, estimate: comesBackLater > 0,
});

/** A card's offers with the costs of paying in full and of each offer. */
export function cardOffers(cardId: string, amount: number, offers: OfferView[], fee = 0, crossCurrency = false): CardOffers {
  return {
    cardId,
    answered: true,
    offers,
    costs: [cost(null, amount, fee), ...offers.map((o) => cost(o.offerId, o.effect.charged, fee, o.effect.comesBackLater, o.effect.dueNow))],
    crossCurrency,
  };
}

export const offersResponse = (cards: CardOffers[], settings = { general: true, personalized: false }): OffersResponse => ({ cards, settings });

/**
 * `/quotes` as the server answers it: the card's terms on `checkout`, with the offer named by `offer_id` applied (from
 * `offers`), else in full. `refuse` names offers the bank refuses now (409 `offer_unavailable`).
 */
export function quotesOn(checkout: CheckoutView, offers: () => OfferView[], refuse: () => readonly string[] = () => []) {
  let n = 0;
  return (request: SeenRequest): { terms: PaymentTerms } | ApiFailure => {
    const cardId = String(request.body?.card_id);
    const offerId = request.body?.offer_id as string | undefined;
    const offer = offerId ? offers().find((o) => o.offerId === offerId && o.cardId === cardId) : undefined;
    if (offerId && (!offer || refuse().includes(offerId))) return new ApiFailure(409, 'offer_unavailable', 'This offer is no longer available.');
    const charged = offer ? offer.effect.charged : checkout.amount;
    return {
      terms: {
        quoteId: `quo_${++n}`,
        cardId,
        amount: checkout.amount,
        currency: checkout.currency,
        fee: 0,
        fx: null,
        debit: { amount: charged, currency: checkout.currency, currencyDigits: checkout.currencyDigits },
        expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
        offer: offer ? appliedOf(offer) : null,
      },
    };
  };
}

function appliedOf({ cardId: _c, bank: _b, ...offer }: OfferView): AppliedOffer {
  return { ...offer, termsHash: 'ab'.repeat(32) };
}
