import type { OfferMerchant } from '../adapters/bank-offers.ts';
import { PaykeyError } from '../errors/paykey-error.ts';
import { allowedOrigins, normalizeOrigin, type Merchant } from '../store/merchants.ts';

/**
 * The merchant as banks match offers on it (no shopper data): its id, name, category code, country, and the origin
 * the checkout runs on — the top origin the frame reports when it is one the merchant registered (anything else is
 * 403 `origin_not_allowed`: the frame runs on no other site), else the merchant's first allowed origin.
 */
export function offerMerchantOf(merchant: Merchant, topOrigin?: string): OfferMerchant {
  const origins = allowedOrigins(merchant);
  let origin = origins[0] ?? '';
  if (topOrigin !== undefined) {
    const reported = URL.canParse(topOrigin) ? safeOrigin(topOrigin) : undefined;
    if (!reported || !origins.includes(reported)) {
      throw new PaykeyError('origin_not_allowed', `Expected top_origin to be one of this merchant's origins (${origins.join(', ')}), received ${JSON.stringify(topOrigin)}`);
    }
    origin = reported;
  }
  return { id: merchant.id, name: merchant.display_name, mcc: merchant.mcc, origin, country: merchant.country };
}

function safeOrigin(value: string): string | undefined {
  try {
    return normalizeOrigin(value);
  } catch {
    return undefined;
  }
}
