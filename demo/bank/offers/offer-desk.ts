/**
 * A demo card bank's offers at run time, in memory: the catalogue (its profile's, until a test replaces it), the
 * sandbox controls (`POST /sandbox/offers/controls`) and what the bank was asked (`GET /sandbox/offers/log`).
 * Redemptions and consents are in the ledger; this holds nothing a restart must keep.
 */
import type { OfferLocale, OfferPersonalization } from '../../../server/adapters/bank-offers.ts';
import type { BankOffer } from './bank-offer.ts';

export type OfferControlMode = 'expire_at_apply' | 'out_of_budget' | 'slow' | 'bump_version' | 'none';

export interface OfferControl {
  /** One offer, or every offer when absent. */
  offerId?: string;
  mode: OfferControlMode;
  /** For `slow`: how long quotes are held. */
  delayMs?: number;
}

export interface OfferRequestLogEntry {
  at: string;
  cardTokens: string[];
  personalization: OfferPersonalization;
  merchant: { id: string; name: string; mcc: string; origin: string; country: string };
  amount: number;
  currency: string;
  locale: OfferLocale;
}

export interface OfferConsentLogEntry {
  at: string;
  cardTokens: string[];
  personalization: OfferPersonalization;
}

export interface OfferDesk {
  /** The catalogue as it stands (versions bumped included). */
  offers(): readonly BankOffer[];
  find(offerId: string): BankOffer | undefined;
  replaceCatalog(offers: readonly BankOffer[]): void;
  /** Back to the profile's catalogue, controls cleared. */
  restoreCatalog(): void;
  control(control: OfferControl): void;
  /** The refusal a control forces on the next redemptions of this offer, if any. */
  forcedRefusal(offerId: string): 'offer_expired' | 'offer_budget_exhausted' | null;
  /** How long to hold a quotes answer (`slow`); 0 when not slowed. */
  quoteDelayMs(): number;
  logRequest(entry: OfferRequestLogEntry): void;
  requests(): readonly OfferRequestLogEntry[];
  logConsent(entry: OfferConsentLogEntry): void;
  consents(): readonly OfferConsentLogEntry[];
}

/** The log keeps the latest entries only: a long-running demo must not grow without bound. */
const LOG_LIMIT = 1_000;
const EVERY_OFFER = '*';

export function createOfferDesk(profileOffers: readonly BankOffer[]): OfferDesk {
  let catalog: BankOffer[] = [...profileOffers];
  /** By offer id, or `*` for every offer. */
  let forced = new Map<string, 'expire_at_apply' | 'out_of_budget'>();
  let slowMs = 0;
  const requestLog: OfferRequestLogEntry[] = [];
  const consentLog: OfferConsentLogEntry[] = [];
  const keep = <T>(log: T[], entry: T) => {
    log.push(entry);
    if (log.length > LOG_LIMIT) log.splice(0, log.length - LOG_LIMIT);
  };

  return {
    offers: () => catalog,
    find: (offerId) => catalog.find((offer) => offer.id === offerId),
    replaceCatalog(offers) {
      catalog = [...offers];
    },
    restoreCatalog() {
      catalog = [...profileOffers];
      forced = new Map();
      slowMs = 0;
    },
    control({ offerId, mode, delayMs }) {
      const key = offerId ?? EVERY_OFFER;
      switch (mode) {
        case 'expire_at_apply':
        case 'out_of_budget':
          forced.set(key, mode);
          return;
        case 'slow':
          slowMs = delayMs ?? 0;
          return;
        case 'bump_version':
          catalog = catalog.map((offer) => (offerId === undefined || offer.id === offerId ? { ...offer, version: offer.version + 1 } : offer));
          return;
        case 'none':
          if (offerId === undefined) {
            forced = new Map();
            slowMs = 0;
          } else {
            forced.delete(offerId);
          }
      }
    },
    forcedRefusal(offerId) {
      const mode = forced.get(offerId) ?? forced.get(EVERY_OFFER);
      if (mode === undefined) return null;
      return mode === 'expire_at_apply' ? 'offer_expired' : 'offer_budget_exhausted';
    },
    quoteDelayMs: () => slowMs,
    logRequest: (entry) => keep(requestLog, entry),
    requests: () => requestLog,
    logConsent: (entry) => keep(consentLog, entry),
    consents: () => consentLog,
  };
}
