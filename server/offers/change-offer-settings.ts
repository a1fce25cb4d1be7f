import { BankTransportError, type BankAdapter } from '../adapters/bank-adapter.ts';
import type { OfferPersonalization } from '../adapters/bank-offers.ts';
import type { BankDirectory } from '../adapters/registry.ts';
import { PaykeyError } from '../errors/paykey-error.ts';
import type { Logger } from '../http/logger.ts';
import { listCards } from '../shoppers/cards.ts';
import type { WalletDb } from '../store/database.ts';
import type { OfferSettings } from '../../widget/shopper-api.ts';
import { readOfferSettings } from './offer-settings.ts';

export interface ChangeOfferSettingsDeps {
  db: WalletDb;
  banks: Pick<BankDirectory, 'has' | 'get'>;
  now: () => Date;
  logger: Logger;
  /** How long the answer waits for banks to hear that personalisation was turned off (they go on hearing it after). */
  withdrawalWaitMs?: number;
}

/** The answer waits this long at most for the banks to hear a withdrawal; Paykey has already stopped asking by then. */
export const WITHDRAWAL_WAIT_MS = 2_000;

/**
 * Sets the shopper's two offer switches (`PUT /api/frame/offer-settings`) and returns them as stored.
 * - Turning "Offers chosen from my spending at my bank" **on**: every bank (with capability `offers`) holding the
 *   shopper's saved cards records the consent for those cards first (`personalization: 'bank_profile'`) — it is the
 *   bank's lawful basis for using their data. A bank that cannot → 502 `bank_unavailable` and nothing is stored (the
 *   banks that did record it are told `none` again, best effort).
 * - Turning it **off**: stored first (Paykey stops asking for personalised offers at once), then the banks are told
 *   (`none`); a bank that cannot be told is logged (its id, never an offer or a token), not shown as an error.
 * - "Offers for everyone with this card" involves no bank.
 */
export async function changeOfferSettings(deps: ChangeOfferSettingsDeps, shopperId: string, next: OfferSettings): Promise<OfferSettings> {
  const current = await readOfferSettings(deps.db, shopperId);
  const at = deps.now().toISOString();
  if (next.personalized && !current.personalized) {
    const holders = await banksHoldingCards(deps, shopperId);
    const results = await Promise.allSettled(holders.map(({ bank, cardTokens }) => bank.recordOfferConsent!({ cardTokens, personalization: 'bank_profile', at })));
    const failed = holders.filter((_, index) => results[index].status === 'rejected');
    if (failed.length > 0) {
      const recorded = holders.filter((_, index) => results[index].status === 'fulfilled');
      void tellBanks(deps, recorded, 'none', at);
      throw new PaykeyError(
        'bank_unavailable',
        `${failed.map(({ bank }) => bank.id).join(', ')} could not record your consent to offers chosen from your spending; nothing was changed, try again`,
      );
    }
  }
  await deps.db
    .updateTable('shoppers')
    .set({ offers_general: next.general ? 1 : 0, offers_personalized: next.personalized ? 1 : 0, offers_updated_at: at })
    .where('id', '=', shopperId)
    .execute();
  if (!next.personalized && current.personalized) {
    const holders = await banksHoldingCards(deps, shopperId);
    await waitAtMost(tellBanks(deps, holders, 'none', at), deps.withdrawalWaitMs ?? WITHDRAWAL_WAIT_MS);
  }
  return readOfferSettings(deps.db, shopperId);
}

interface CardHolder {
  bank: BankAdapter;
  cardTokens: string[];
}

/** The configured banks with capability `offers` holding the shopper's saved cards, each with only its own tokens. */
async function banksHoldingCards(deps: ChangeOfferSettingsDeps, shopperId: string): Promise<CardHolder[]> {
  const holders = new Map<string, CardHolder>();
  for (const card of await listCards(deps.db, shopperId)) {
    if (!deps.banks.has(card.bank)) continue;
    const bank = deps.banks.get(card.bank);
    if (!bank.recordOfferConsent) continue;
    const holder = holders.get(bank.id) ?? { bank, cardTokens: [] };
    if (!holder.cardTokens.includes(card.bank_token)) holder.cardTokens.push(card.bank_token);
    holders.set(bank.id, holder);
  }
  return [...holders.values()];
}

/** Records `personalization` at each bank; never rejects: a bank that cannot be told is logged by id only. */
async function tellBanks(deps: ChangeOfferSettingsDeps, holders: readonly CardHolder[], personalization: OfferPersonalization, at: string): Promise<void> {
  await Promise.all(
    holders.map(({ bank, cardTokens }) =>
      bank.recordOfferConsent!({ cardTokens, personalization, at }).catch((error: unknown) => {
        deps.logger.warn('offer_consent_not_recorded', { bank: bank.id, personalization, failure: error instanceof BankTransportError ? 'bank_unreachable' : 'bank_error' });
      }),
    ),
  );
}

async function waitAtMost(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/**
 * A card saved while "Offers chosen from my spending at my bank" is on: its bank records the consent for it too (the
 * consent is per card at the bank), so the new card gets the shopper's personalised offers without another toggle.
 * Best effort, waiting at most `withdrawalWaitMs`: a bank that cannot record it is logged by id, and that card simply
 * gets offers for everyone until the shopper switches again.
 */
export async function extendConsentToCard(
  deps: ChangeOfferSettingsDeps,
  shopperId: string,
  card: { bank: string; bank_token: string; saved: number },
): Promise<void> {
  if (card.saved !== 1 || !deps.banks.has(card.bank)) return;
  const bank = deps.banks.get(card.bank);
  if (!bank.recordOfferConsent || !(await readOfferSettings(deps.db, shopperId)).personalized) return;
  const at = deps.now().toISOString();
  await waitAtMost(tellBanks(deps, [{ bank, cardTokens: [card.bank_token] }], 'bank_profile', at), deps.withdrawalWaitMs ?? WITHDRAWAL_WAIT_MS);
}
