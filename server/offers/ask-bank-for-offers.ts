import type { BankAdapter } from '../adapters/bank-adapter.ts';
import { OFFERS_DEADLINE_MS, offerEffect, type OfferQuote, type OffersRequest } from '../adapters/bank-offers.ts';

/**
 * One bank's offers for its own cards on one payment, or `null` when it has none to give in time: no `offers`
 * capability, no answer within `deadlineMs` (the checkout never waits on offers), or a failed call. Quotes that do not
 * hold up are dropped, never shown: a card token the request did not carry, a personalised offer when the shopper did
 * not allow personalisation, an expired quote or an offer that has ended (`endsAt`), or a value that does not add up for this amount (`offerEffect`).
 * Nothing about offers is logged (their contents are the shopper's and the bank's business).
 */
export async function askBankForOffers(
  bank: BankAdapter,
  request: OffersRequest,
  now: Date,
  deadlineMs: number = OFFERS_DEADLINE_MS,
): Promise<OfferQuote[] | null> {
  if (!bank.offersFor || request.cardTokens.length === 0) return null;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), deadlineMs);
  });
  try {
    const answer = await Promise.race([bank.offersFor(request).catch(() => null), deadline]);
    if (!Array.isArray(answer)) return null;
    return answer.filter((quote) => quoteHolds(quote, request, now));
  } finally {
    clearTimeout(timer);
  }
}

function quoteHolds(quote: OfferQuote, request: OffersRequest, now: Date): boolean {
  if (!request.cardTokens.includes(quote.cardToken)) return false;
  if (quote.personalized && request.personalization !== 'bank_profile') return false;
  if (!(Date.parse(quote.expiresAt) > now.getTime())) return false;
  // An offer that has ended (or an end that is no time) is no offer; null: the bank announces no end.
  if (quote.endsAt !== null && !(Date.parse(quote.endsAt) > now.getTime())) return false;
  if (!Number.isSafeInteger(quote.version) || typeof quote.termsHash !== 'string' || !/^[0-9a-f]{64}$/.test(quote.termsHash)) return false;
  try {
    offerEffect(request.amount, quote.value);
    return true;
  } catch {
    return false;
  }
}
