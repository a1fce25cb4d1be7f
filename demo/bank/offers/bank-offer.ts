/**
 * One offer in a demo card bank's catalogue (its profile's `offers`, or what `POST /sandbox/offers/catalog` put
 * there): who it is for (`match`, `personalized`), what it is worth (`rule`), who pays for it, what a refund does to
 * it, its title and terms in both languages, how many redemptions its budget has and when it ends. Amounts are integer minor
 * units of `rule.currency`; the offer applies only to payments in that currency.
 */
import { createHash } from 'node:crypto';
import type { OfferFunder, OfferKind, OfferRefundPolicy } from '../../../server/adapters/bank-offers.ts';

/** What the offer is worth on a payment of at least `minAmount` in `currency`. */
export type OfferRule =
  /** A fixed amount off (`discount` < `minAmount`, so it never reaches the whole payment). */
  | { type: 'fixed_discount'; currency: string; minAmount: number; discount: number }
  /** A share off, `basisPoints` of the amount rounded down, at most `cap`. */
  | { type: 'percent_discount'; currency: string; minAmount: number; basisPoints: number; cap: number }
  /** A share credited back after the charge, `basisPoints` rounded down, at most `cap`. */
  | { type: 'percent_cashback'; currency: string; minAmount: number; basisPoints: number; cap: number }
  /** `count` monthly instalments; the plan's fees are `feeBasisPoints` of the amount (0: interest-free). */
  | { type: 'instalments'; currency: string; minAmount: number; count: number; feeBasisPoints: number; aprBasisPoints: number };

/** Which merchants the offer is for; an empty or absent list matches any. */
export interface OfferMatch {
  /** ISO 18245 category codes ("5499"). */
  mccs?: readonly string[];
  /** ISO 3166-1 alpha-2 country codes of the merchant. */
  countries?: readonly string[];
  merchantIds?: readonly string[];
}

export interface BankOffer {
  id: string;
  /** Any change of its terms is a new version (`bump_version` adds one). */
  version: number;
  rule: OfferRule;
  match: OfferMatch;
  /** Chosen from the card holder's spending: quoted only with `personalization: 'bank_profile'` and a recorded consent for the card. */
  personalized: boolean;
  fundedBy: OfferFunder;
  refundPolicy: OfferRefundPolicy;
  title: { en: string; 'zh-CN': string };
  terms: { en: string; 'zh-CN': string };
  /** Redemptions it can have in all (reserved or applied ones count; revoked and lapsed ones give theirs back). */
  budget: number;
  /**
   * ISO 8601: when the offer (its campaign) ends — no quote of it after that, and its redemptions are refused
   * `offer_expired`; null or absent: no end announced. Quotes answer it as `ends_at`; it is not their `expires_at`
   * (how long one quote holds), which never runs past it.
   */
  endsAt?: string | null;
}

export function offerKindOf(rule: OfferRule): OfferKind {
  switch (rule.type) {
    case 'fixed_discount':
    case 'percent_discount':
      return 'instant_discount';
    case 'percent_cashback':
      return 'cashback';
    case 'instalments':
      return 'instalments';
  }
}

/**
 * sha256 hex of the offer's full terms document — its id, version and terms in every language the bank publishes —
 * what the shopper agrees to. The same for a version however often it is asked; a new version is a new hash.
 */
export function termsHashOf(offer: Pick<BankOffer, 'id' | 'version' | 'terms'>): string {
  const document = [`${offer.id} version ${offer.version}`, `[en]\n${offer.terms.en}`, `[zh-CN]\n${offer.terms['zh-CN']}`].join('\n\n');
  return createHash('sha256').update(document, 'utf8').digest('hex');
}
