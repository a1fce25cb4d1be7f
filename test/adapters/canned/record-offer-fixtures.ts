/**
 * The offer scenarios (capability `offers`) a demo card bank's recording script adds to its canned fixtures: quotes,
 * a redemption, a refused one, a charge applying it, the redemption applied, revoked (and an unknown one), a consent.
 * The same conversation for both demo banks, on each one's own offer payment.
 */
import type { OfferMerchant, OfferQuote } from '../../../server/adapters/bank-offers.ts';
import type { FixtureRecorder } from './fixture-recorder.ts';

export interface OfferPayment {
  merchant: OfferMerchant;
  amount: number;
  currency: string;
  /** What the card is charged with the first quote applied (its `charged` plus any fee). */
  charged: number;
  /** What the first quote is, as its fixture must show. */
  expectQuote: Record<string, unknown>;
}

export async function recordOfferFixtures({ record, id }: FixtureRecorder, token: string, payment: OfferPayment): Promise<void> {
  const { merchant, amount, currency } = payment;
  const quoted = await record('offers-quotes', `offersFor ${amount} ${currency} at the demo shop: the card's offer, read-only`, { value: { length: 1 } }, {
    method: 'offersFor',
    args: [{ merchant, amount, currency, cardTokens: [token, 'tok_of_another_bank'], personalization: 'none', locale: 'en' }],
  });
  const [quote] = (quoted as { value: OfferQuote[] }).value;
  for (const [key, want] of Object.entries(payment.expectQuote)) {
    if (JSON.stringify((quote as unknown as Record<string, unknown>)[key]) !== JSON.stringify(want)) {
      throw new Error(`offers-quotes: expected ${key} ${JSON.stringify(want)}, received ${JSON.stringify((quote as unknown as Record<string, unknown>)[key])}`);
    }
  }
  const redeem = (reference: string, value = quote.value) => ({
    quoteId: quote.quoteId,
    offerId: quote.offerId,
    version: quote.version,
    termsHash: quote.termsHash,
    cardToken: token,
    amount,
    currency,
    value,
    merchant,
    reference,
    idempotencyKey: id('key'),
  });
  const redeemed = await record('offers-redeem', 'redeemOffer reserves the quote under our reference (201)', { value: { status: 'redeemed' } }, {
    method: 'redeemOffer',
    args: [redeem(id('redeem'))],
  });
  const redemptionId = (redeemed as { value: { redemptionId: string } }).value.redemptionId;
  const tampered = quote.value.kind === 'instant_discount' ? { ...quote.value, discount: quote.value.discount + 1 } : quote.value.kind === 'cashback' ? { ...quote.value, cashback: quote.value.cashback + 1 } : quote.value;
  await record('offers-redeem-changed', "a value that is not the offer's (422 offer_changed) is a refusal value, nothing reserved", { value: { status: 'refused', reason: 'offer_changed' } }, {
    method: 'redeemOffer',
    args: [redeem(id('redeem'), tampered)],
  });
  const charge = { token, amount: payment.charged, currency, reference: id('charge'), idempotencyKey: id('key'), offer: { redemptionId, grossAmount: amount, grossCurrency: currency } };
  await record('offers-charge', 'a charge naming the redemption, of what the offer leaves, is approved', { value: { status: 'approved' } }, { method: 'charge', args: [charge] });
  await record('offers-charge-again', 'another charge naming the applied redemption is a decline (processing_error), never a second use', { value: { status: 'declined', code: 'processing_error' } }, {
    method: 'charge',
    args: [{ ...charge, reference: id('charge'), idempotencyKey: id('key') }],
  });
  await record('offers-redemption-applied', 'offerRedemption reads it applied', { value: { status: 'applied', redemptionId } }, { method: 'offerRedemption', args: [redemptionId] });
  await record('offers-revoke', 'revokeOffer answers nothing (it is revoked)', { value: null }, { method: 'revokeOffer', args: [{ redemptionId, reason: 'refunded', idempotencyKey: id('key') }] });
  await record('offers-revoke-unknown', 'revoking a redemption the bank does not hold (404) is no error', { value: null }, {
    method: 'revokeOffer',
    args: [{ redemptionId: 'ofr_never_redeemed', reason: 'payment_failed', idempotencyKey: id('key') }],
  });
  await record('offers-redemption-unknown', 'offerRedemption gives null for a redemption the bank does not hold', { value: null }, { method: 'offerRedemption', args: ['ofr_never_redeemed'] });
  await record('offers-consent', 'recordOfferConsent answers nothing (recorded)', { value: null }, {
    method: 'recordOfferConsent',
    args: [{ cardTokens: [token], personalization: 'bank_profile', at: '2026-12-01T12:00:00.000Z' }],
  });
}
