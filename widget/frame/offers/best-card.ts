import type { CardOffers, OfferView, PaymentOptionCost } from '../../shopper-api.ts';

/** The cheapest way to pay this payment with one card, and why. */
export interface BestOption {
  cardId: string;
  /** The option: paying in full (`offerId` null) or with an instant discount or cashback. */
  cost: PaymentOptionCost;
  /** The offer it applies, if any. */
  offer: OfferView | null;
}

/** A card the wallet suggests instead of the chosen one. */
export interface BestCardSuggestion extends BestOption {
  /** How much less it costs than the chosen card's best option, in minor units of the payment's currency (≥ 1). */
  saves: number;
}

/**
 * The option with the lowest `net` on one card: `net = charged + fee − comesBackLater`, in minor units of the
 * payment's currency (the server's `PaymentOptionCost`; `fee` includes a card's foreign-transaction markup).
 * Candidates are paying in full and every instant discount or cashback the card's bank offers; instalment plans are
 * not candidates (spreading a payment is the shopper's choice, not a saving), nor offers in `unavailable`.
 * Ties keep the first option (paying in full is listed first).
 */
export function bestOptionOf(card: CardOffers, unavailable: readonly string[] = []): BestOption | null {
  let best: BestOption | null = null;
  for (const cost of card.costs) {
    const offer = cost.offerId === null ? null : card.offers.find((o) => o.offerId === cost.offerId);
    if (offer === undefined || offer?.kind === 'instalments' || (offer && unavailable.includes(offer.offerId))) continue;
    if (!best || cost.net < best.cost.net) best = { cardId: card.cardId, cost, offer };
  }
  return best;
}

/**
 * The best card for this payment (the formula the README documents):
 * 1. for each of the shopper's cards with `costs`, its best option (`bestOptionOf`: lowest `net`);
 * 2. the card whose best option has the lowest `net`; a tie keeps the chosen card (then the earlier card);
 * 3. suggested only when that is another card than `chosenId` and it saves at least 1 minor unit against the chosen
 *    card's own best option. Nothing is suggested when the chosen card has no costs (pay by bank, or not listed).
 * The suggestion is a chip the shopper may press: the chosen card never changes by itself.
 */
export function bestCard(
  cards: readonly CardOffers[],
  chosenId: string | undefined,
  unavailable: Readonly<Record<string, readonly string[]>> = {},
): BestCardSuggestion | null {
  const chosenCard = cards.find((card) => card.cardId === chosenId);
  const chosen = chosenCard && bestOptionOf(chosenCard, unavailable[chosenCard.cardId]);
  if (!chosen) return null;
  let best = chosen;
  for (const card of cards) {
    const option = bestOptionOf(card, unavailable[card.cardId]);
    if (option && option.cost.net < best.cost.net) best = option;
  }
  const saves = chosen.cost.net - best.cost.net;
  return best.cardId !== chosenId && saves >= 1 ? { ...best, saves } : null;
}
