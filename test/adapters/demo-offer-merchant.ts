/** The merchant the conformance suite asks the demo banks for offers at: the demo shop (MCC 5499, US). */
import type { OfferMerchant } from '../../server/adapters/bank-offers.ts';

export const DEMO_OFFER_MERCHANT: OfferMerchant = Object.freeze({
  id: 'mer_demo',
  name: 'Demo Shop',
  mcc: '5499',
  origin: 'http://localhost:5173',
  country: 'US',
});
