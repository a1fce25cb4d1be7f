import { sha256Hex } from '../security/secrets.ts';

/** Everything a payment passkey confirmation authorizes. */
export interface PaymentDetails {
  intentId: string;
  amount: number;
  currency: string;
  payee: string;
  cardToken: string;
}

/**
 * A hash of the payment a challenge was issued for. Stored with the challenge
 * and recomputed from the database at confirmation: if anything changed in
 * between (amount, card, payee…), the shopper approved something else.
 */
export function paymentHash(details: PaymentDetails): string {
  return sha256Hex(
    JSON.stringify(['paykey-payment-v1', details.intentId, details.amount, details.currency, details.payee, details.cardToken]),
  );
}
