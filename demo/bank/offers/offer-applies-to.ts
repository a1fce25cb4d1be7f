/** Whether an offer is for this merchant (its category, country and id lists; an empty or absent list matches any). */
import type { OfferMerchant } from '../../../server/adapters/bank-offers.ts';
import type { OfferMatch } from './bank-offer.ts';

export function offerAppliesTo(match: OfferMatch, merchant: Pick<OfferMerchant, 'id' | 'mcc' | 'country'>): boolean {
  const allows = (list: readonly string[] | undefined, value: string) => list === undefined || list.length === 0 || list.includes(value);
  return allows(match.mccs, merchant.mcc) && allows(match.countries, merchant.country) && allows(match.merchantIds, merchant.id);
}
