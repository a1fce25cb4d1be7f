/**
 * Capability `offers`: a bank's offers to its own card holders at the moment of payment — an instant discount,
 * cashback, or interest-free instalments at a merchant — matched at the bank, shown inside the wallet frame, applied
 * only when the shopper signs them (the passkey challenge binds the offer, see server/webauthn/payment-hash.ts).
 *
 * The life of an offer, and who calls what:
 * 1. `offersFor` — read-only, no side effect at the bank: the quotes this bank has for these of its own card tokens
 *    (each bank only ever receives its own), for this merchant and amount. Paykey waits at most 800 ms for it
 *    (`OFFERS_DEADLINE_MS`); a bank that has not answered by then has no offers for this payment. Paykey keeps no quote
 *    the shopper did not apply. Two times come with a quote, not to be confused: `expiresAt`, how long this quote
 *    holds (minutes; the wallet renews it by itself), and `endsAt`, when the offer itself ends (null: no end
 *    announced) — only the latter is ever shown to the shopper, and only when it falls within the checkout.
 * 2. `redeemOffer` — after the shopper's passkey confirmed a payment with an offer applied, before any charge: the bank
 *    re-validates the quote (version, terms, budget, expiry, this card, this amount) and reserves it under our
 *    reference. A refusal (`offer_unavailable`) moves no money: the shopper is asked to confirm the new amount, never
 *    charged full price silently. A redemption the bank never sees charged lapses at the bank after its expiry.
 * 3. `charge` with `ChargeRequest.offer` (bank-adapter.ts) — the bank applies exactly that redemption: an instant
 *    discount is charged net, cashback is credited later, instalments are booked as the plan.
 * 4. `revokeOffer` — a failed payment, or a refund under the offer's refund policy: the redemption is undone, exactly
 *    once (idempotent by our key; revoking a revoked or unknown redemption is not an error).
 * 5. `offerRedemption` — where a redemption stands (the receipt shows cashback move from expected to credited).
 * 6. `recordOfferConsent` — the shopper turned "Offers chosen from my spending at my bank" on or off: the bank records
 *    it (its own lawful basis for using the shopper's data, PIPL Art. 24 / GDPR Art. 21).
 *
 * Money here is integer minor units of the payment's currency, like everywhere else. No float.
 */
import type { LocalizedText } from './bank-adapter.ts';

/** Paykey waits this long for a bank's offers; after it, that bank has none for this payment. */
export const OFFERS_DEADLINE_MS = 800;

export type OfferKind = 'instant_discount' | 'cashback' | 'instalments';
/** Who pays for the offer: a bank-funded offer is invisible to the merchant; a merchant-funded one reaches it as id + discount. */
export type OfferFunder = 'bank' | 'merchant' | 'shared';
/** `none`: offers for everyone with this card; `bank_profile`: also offers the bank chose from the shopper's spending there. */
export type OfferPersonalization = 'none' | 'bank_profile';
export type OfferLocale = 'en' | 'zh-CN';

/**
 * What happens to the offer when the payment is refunded (`revokeOffer` is called by Paykey accordingly):
 * - `revoke_on_any_refund`: the first refund revokes it (cashback not credited or clawed back; a discount's share is
 *   not given back to the shopper — the refund is prorated at the charge's own ratio, net/gross);
 * - `revoke_on_full_refund`: only a refund of the whole amount revokes it; partial refunds are prorated.
 */
export type OfferRefundPolicy = 'revoke_on_any_refund' | 'revoke_on_full_refund';

/** The merchant as the bank matches offers on (no shopper data). */
export interface OfferMerchant {
  id: string;
  name: string;
  /** ISO 18245 merchant category code, four digits ("5499"). */
  mcc: string;
  /** The exact origin the checkout runs on ("https://shop.example"). */
  origin: string;
  /** ISO 3166-1 alpha-2 ("CN"). */
  country: string;
}

export interface OffersRequest {
  merchant: OfferMerchant;
  /** The payment's gross amount (what the merchant asked), minor units of `currency`. */
  amount: number;
  currency: string;
  /** Only this bank's own tokens, of the shopper's cards. */
  cardTokens: readonly string[];
  personalization: OfferPersonalization;
  /** The language of `title` and `terms` in the answer. */
  locale: OfferLocale;
}

/** The value of an offer for this payment, by kind. Amounts in minor units of the payment's currency. */
export type OfferValue =
  | { kind: 'instant_discount'; /** Off the amount, charged now: amount − discount. */ discount: number }
  | {
      kind: 'cashback';
      /** Credited to the card after the payment. */
      cashback: number;
      /** ISO 8601: the latest the cashback is expected, if the payment is made now. */
      expectedBy: string;
    }
  | {
      kind: 'instalments';
      /** Number of monthly instalments, ≥ 2. */
      count: number;
      /** The first instalment (charged now); the others are `perInstalment` each. first + (count−1)·per = amount + totalFees. */
      firstInstalment: number;
      perInstalment: number;
      /** Fees of the plan, in all (0: interest-free). */
      totalFees: number;
      /** Annual percentage rate in basis points (0: interest-free). */
      aprBasisPoints: number;
    };

/**
 * One offer as the bank quotes it for one of its cards on this payment; firm until `expiresAt` (the quote's validity),
 * while the offer itself runs until `endsAt` (its campaign's end, or null: none announced).
 */
export interface OfferQuote {
  /** The bank's id for this quote (stable for the same offer, card, merchant and amount while it holds). */
  quoteId: string;
  offerId: string;
  /** The offer's version: any change of its terms is a new version. */
  version: number;
  /** The card (one of the request's tokens) it applies to. */
  cardToken: string;
  fundedBy: OfferFunder;
  /** True when chosen from the shopper's spending at the bank (only with `personalization: 'bank_profile'`). */
  personalized: boolean;
  /** A short title and the terms, in the request's locale. */
  title: string;
  terms: string;
  /** sha256 hex of the offer's full terms document (the bank's, in every language): what the shopper agrees to. */
  termsHash: string;
  value: OfferValue;
  refundPolicy: OfferRefundPolicy;
  /**
   * ISO 8601: how long this quote holds (minutes at the demo banks; Paykey asks again by itself when it lapses). Not
   * the end of the offer: never shown to the shopper as one.
   */
  expiresAt: string;
  /**
   * ISO 8601: when the offer itself ends (its campaign), null when the bank announces no end. A bank gives no quote of
   * an offer that has ended; the wallet shows this end only when it falls within the checkout (the next 30 minutes).
   */
  endsAt: string | null;
}

/** What Paykey sends to redeem a quote the shopper signed; the bank checks every field against its own. */
export interface RedeemOfferRequest {
  quoteId: string;
  offerId: string;
  version: number;
  termsHash: string;
  cardToken: string;
  /** The payment's gross amount and currency. */
  amount: number;
  currency: string;
  value: OfferValue;
  merchant: OfferMerchant;
  /** Ours, unique per confirmation; the bank dedups by it (same reference → same redemption). */
  reference: string;
  idempotencyKey: string;
}

/** Why a bank refuses to redeem: the offer ended, its budget ran out, it changed, or it does not apply to this payment. */
export type OfferRefusalReason = 'offer_expired' | 'offer_budget_exhausted' | 'offer_changed' | 'offer_not_applicable';

export type RedeemOfferResult =
  | { status: 'redeemed'; redemptionId: string; reference: string }
  | { status: 'refused'; reason: OfferRefusalReason; message: string };

export interface RevokeOfferRequest {
  redemptionId: string;
  reason: 'payment_failed' | 'refunded' | 'not_charged';
  idempotencyKey: string;
}

/** Where a redemption stands at the bank. */
export interface OfferRedemption {
  redemptionId: string;
  reference: string;
  /** `reserved`: redeemed, not yet charged; `applied`: charged with it; `revoked`: undone. */
  status: 'reserved' | 'applied' | 'revoked';
  /** Cashback offers only. */
  cashback: { amount: number; expectedBy: string; creditedAt: string | null } | null;
}

export interface OfferConsentRecord {
  /** The shopper's cards at this bank (only its own tokens). */
  cardTokens: readonly string[];
  personalization: OfferPersonalization;
  /** ISO 8601: when the shopper switched it. */
  at: string;
}

/** The members of capability `offers`; an adapter has all of them or none (bank-capabilities.ts). */
export interface BankOffers {
  offersFor(request: OffersRequest): Promise<OfferQuote[]>;
  redeemOffer(request: RedeemOfferRequest): Promise<RedeemOfferResult>;
  revokeOffer(request: RevokeOfferRequest): Promise<void>;
  /** `null` when the bank has no redemption under this id. */
  offerRedemption(redemptionId: string): Promise<OfferRedemption | null>;
  recordOfferConsent(record: OfferConsentRecord): Promise<void>;
}

/** A bank's brand name per locale, for offer texts that name it. */
export type OfferBankName = LocalizedText;

/**
 * What paying `amount` with this offer means, in minor units of the payment's currency — the one place it is computed
 * (server terms, the frame's best-card line and the demo banks all use it):
 * - `charged`: what the card is charged for the payment (before any bank fee and conversion): amount − discount, or
 *   an instalment plan's total (amount + plan fees, which the bank then bills as the plan says);
 * - `dueNow`: what the shopper pays now: `charged`, or an instalment plan's first instalment;
 * - `comesBackLater`: cashback expected later (0 for other kinds);
 * - `planFees`: an instalment plan's fees (0 otherwise).
 */
export interface OfferEffect {
  charged: number;
  dueNow: number;
  comesBackLater: number;
  planFees: number;
}

export function offerEffect(amount: number, value: OfferValue): OfferEffect {
  if (!Number.isSafeInteger(amount) || amount < 1) throw new TypeError(`offerEffect: expected a positive safe integer amount, received ${String(amount)}`);
  switch (value.kind) {
    case 'instant_discount':
      if (!Number.isSafeInteger(value.discount) || value.discount < 1 || value.discount >= amount) {
        throw new RangeError(`offerEffect: expected a discount from 1 to ${amount - 1}, received ${String(value.discount)}`);
      }
      return { charged: amount - value.discount, dueNow: amount - value.discount, comesBackLater: 0, planFees: 0 };
    case 'cashback':
      if (!Number.isSafeInteger(value.cashback) || value.cashback < 1 || value.cashback > amount) {
        throw new RangeError(`offerEffect: expected a cashback from 1 to ${amount}, received ${String(value.cashback)}`);
      }
      return { charged: amount, dueNow: amount, comesBackLater: value.cashback, planFees: 0 };
    case 'instalments': {
      const { count, firstInstalment, perInstalment, totalFees } = value;
      for (const [name, part] of [['count', count], ['firstInstalment', firstInstalment], ['perInstalment', perInstalment], ['totalFees', totalFees]] as const) {
        if (!Number.isSafeInteger(part) || part < (name === 'totalFees' ? 0 : 1)) {
          throw new RangeError(`offerEffect: expected ${name} to be a ${name === 'totalFees' ? 'non-negative' : 'positive'} safe integer, received ${String(part)}`);
        }
      }
      if (count < 2 || firstInstalment + (count - 1) * perInstalment !== amount + totalFees) {
        throw new RangeError(
          `offerEffect: expected ${count} ≥ 2 instalments adding up to ${amount + totalFees}, received ${firstInstalment} + ${count - 1} × ${perInstalment}`,
        );
      }
      return { charged: amount + totalFees, dueNow: firstInstalment, comesBackLater: 0, planFees: totalFees };
    }
  }
}
