import { sha256Hex } from '../security/secrets.ts';

/** What pays: a saved card (its bank token), or the shopper's account at a pay-by-bank bank (`bank:<adapter id>`). */
export type PaymentInstrument = { cardToken: string } | { bank: string };

/** Everything a payment passkey confirmation authorizes. */
export type PaymentDetails = {
  intentId: string;
  amount: number;
  currency: string;
  payee: string;
} & PaymentInstrument;

/**
 * A hash of the payment a challenge was issued for. Stored with the challenge
 * and recomputed from the database at confirmation: if anything changed in
 * between (amount, card or bank, payee…), the shopper approved something else.
 * A card's hash is unchanged from v1; a bank's names `bank:<id>` where the card token was, which no card token
 * can equal (tokens never start with `bank:`), so an assertion for one can never pay with the other.
 */
export function paymentHash(details: PaymentDetails): string {
  const instrument = 'cardToken' in details ? details.cardToken : `bank:${details.bank}`;
  return sha256Hex(JSON.stringify(['paykey-payment-v1', details.intentId, details.amount, details.currency, details.payee, instrument]));
}
