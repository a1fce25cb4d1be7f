import { offerEffect, type OfferEffect, type OfferValue } from '../adapters/bank-offers.ts';
import type { PaymentOptionCost } from '../../widget/shopper-api.ts';

/**
 * What each way of paying `amount` with one card costs, in minor units of the payment's currency: paying in full
 * first, then one option per offer, in the offers' order. `feeOn(charged)` is the card's bank fee on what is charged
 * (the fee schedule applied to `charged`, a foreign-transaction fee included when the card's currency differs).
 * `net = charged + fee − comesBackLater`; `estimate` when part of it (cashback) is expected, not yet certain.
 */
export function paymentOptionCosts(
  amount: number,
  offers: readonly { offerId: string; value: OfferValue }[],
  feeOn: (charged: number) => number,
): PaymentOptionCost[] {
  const option = (offerId: string | null, effect: OfferEffect): PaymentOptionCost => {
    const fee = feeOn(effect.charged);
    return {
      offerId,
      charged: effect.charged,
      dueNow: effect.dueNow,
      fee,
      comesBackLater: effect.comesBackLater,
      net: effect.charged + fee - effect.comesBackLater,
      estimate: effect.comesBackLater > 0,
    };
  };
  const inFull: OfferEffect = { charged: amount, dueNow: amount, comesBackLater: 0, planFees: 0 };
  return [option(null, inFull), ...offers.map((offer) => option(offer.offerId, offerEffect(amount, offer.value)))];
}
