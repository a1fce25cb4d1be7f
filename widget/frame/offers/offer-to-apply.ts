import type { CardOffers, OfferView, PaymentOptionCost } from '../../shopper-api.ts';

/** Offer kinds the wallet may apply by itself: they only lower what the shopper pays. Instalments are a choice, never pre-selected. */
const automatic = (offer: OfferView) => offer.kind === 'instant_discount' || offer.kind === 'cashback';

/** The cost of paying with `offerId` (null: in full) on this card, if the server listed one. */
export function costOf(card: CardOffers, offerId: string | null): PaymentOptionCost | undefined {
  return card.costs.find((cost) => cost.offerId === offerId);
}

/**
 * The offer the wallet applies by itself to a payment with this card: of its instant discounts and cashbacks (not
 * `unavailable` ones: the bank refused them in this checkout), the one with the lowest `net` in `costs`, if that is
 * below paying in full. Ties keep the bank's order. Null: none (the card pays in full unless the shopper picks one).
 */
export function offerToApply(card: CardOffers, unavailable: readonly string[] = []): string | null {
  const full = costOf(card, null)?.net ?? Infinity;
  let best: { id: string; net: number } | null = null;
  for (const offer of card.offers) {
    if (!automatic(offer) || unavailable.includes(offer.offerId)) continue;
    const cost = costOf(card, offer.offerId);
    if (!cost || cost.net >= full) continue;
    if (!best || cost.net < best.net) best = { id: offer.offerId, net: cost.net };
  }
  return best?.id ?? null;
}
