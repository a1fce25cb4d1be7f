import type { OfferValue } from '../adapters/bank-offers.ts';
import { sha256Hex } from '../security/secrets.ts';

/** What pays: a saved card (its bank token), or the shopper's account at a pay-by-bank bank (`bank:<adapter id>`). */
export type PaymentInstrument = { cardToken: string } | { bank: string };

/**
 * The terms the shopper saw for a card (a quote, see server/payments/payment-quotes.ts): the fee charged to them
 * in the payment's currency, the exchange rate and its source when the card's currency differs, and the debit.
 */
export interface SignedTerms {
  quoteId: string;
  fee: number;
  fx: { rate: string; source: string } | null;
  debit: { amount: number; currency: string };
  /** A bank offer the shopper applied (server/adapters/bank-offers.ts); absent without one. */
  offer?: SignedOffer;
}

/** An applied offer as signed: which offer, in which version and terms, its value, and what the card is charged for it. */
export interface SignedOffer {
  /** The bank's quote id for it. */
  bankQuoteId: string;
  offerId: string;
  version: number;
  termsHash: string;
  value: OfferValue;
  /** `offerEffect(amount, value).charged`: the net amount (or the plan's total), before fee and conversion. */
  charged: number;
}

/** Everything a payment passkey confirmation authorizes. */
export type PaymentDetails = {
  intentId: string;
  amount: number;
  currency: string;
  payee: string;
  /** A card payment's quoted terms; they change the hash only when they add something (a fee or a conversion). */
  terms?: SignedTerms;
} & PaymentInstrument;

/**
 * A hash of the payment a challenge was issued for. Stored with the challenge
 * and recomputed from the database at confirmation: if anything changed in
 * between (amount, card or bank, payee, fee, rate, debit…), the shopper approved something else.
 * A card's hash is unchanged from v1 when its terms are plain (no fee, no conversion: the debit is the amount);
 * otherwise v2 binds the quote id, fee, rate and its source, and the debited amount and currency too; v3 adds an applied
 * bank offer: the bank's quote id, the offer id, version and terms hash, its value (discount, cashback, instalment plan)
 * and the net amount charged for it — the gross amount is the payment's.
 * A bank's names `bank:<id>` where the card token was, which no card token can equal (tokens never start with
 * `bank:`), so an assertion for one can never pay with the other.
 */
export function paymentHash(details: PaymentDetails): string {
  const instrument = 'cardToken' in details ? details.cardToken : `bank:${details.bank}`;
  const base = [details.intentId, details.amount, details.currency, details.payee, instrument];
  const terms = details.terms;
  if (!terms || isPlain(details, terms)) return sha256Hex(JSON.stringify(['paykey-payment-v1', ...base]));
  const offer = terms.offer;
  return sha256Hex(
    JSON.stringify([
      offer ? 'paykey-payment-v3' : 'paykey-payment-v2',
      ...base,
      terms.quoteId,
      terms.fee,
      terms.fx ? terms.fx.rate : null,
      terms.fx ? terms.fx.source : null,
      terms.debit.amount,
      terms.debit.currency,
      ...(offer ? [offer.bankQuoteId, offer.offerId, offer.version, offer.termsHash, valueParts(offer.value), offer.charged] : []),
    ]),
  );
}

/** An offer's value as a fixed-order list (never an object, whose key order could vary). */
function valueParts(value: OfferValue): (string | number)[] {
  switch (value.kind) {
    case 'instant_discount':
      return [value.kind, value.discount];
    case 'cashback':
      return [value.kind, value.cashback, value.expectedBy];
    case 'instalments':
      return [value.kind, value.count, value.firstInstalment, value.perInstalment, value.totalFees, value.aprBasisPoints];
  }
}

/** Terms that add nothing to v1: no offer, no fee, no conversion, and the debit is exactly the amount in the payment's currency. */
function isPlain(details: PaymentDetails, terms: SignedTerms): boolean {
  return !terms.offer && terms.fee === 0 && terms.fx === null && terms.debit.amount === details.amount && terms.debit.currency === details.currency;
}
