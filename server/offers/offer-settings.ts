import type { OfferPersonalization } from '../adapters/bank-offers.ts';
import type { WalletDb } from '../store/database.ts';
import type { OfferSettings } from '../../widget/shopper-api.ts';

/** The shopper's two offer switches (on the `shoppers` row; defaults: general on, personalised off). */
export async function readOfferSettings(db: WalletDb, shopperId: string): Promise<OfferSettings> {
  const row = await db
    .selectFrom('shoppers')
    .select(['offers_general', 'offers_personalized'])
    .where('id', '=', shopperId)
    .executeTakeFirst();
  return { general: Number(row?.offers_general ?? 1) === 1, personalized: Number(row?.offers_personalized ?? 0) === 1 };
}

/**
 * What to ask banks for under these switches: nothing when both are off; `bank_profile` only when the shopper turned
 * personalised offers on; and with "offers for everyone" off, only the personalised ones are kept.
 */
export function offerAskFor(settings: OfferSettings): { ask: false } | { ask: true; personalization: OfferPersonalization; onlyPersonalized: boolean } {
  if (!settings.general && !settings.personalized) return { ask: false };
  return { ask: true, personalization: settings.personalized ? 'bank_profile' : 'none', onlyPersonalized: !settings.general };
}
