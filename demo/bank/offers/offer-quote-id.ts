/**
 * Quote ids the bank can re-derive instead of storing (`POST /v1/offers/quotes` writes nothing): an HMAC over the
 * offer id and version, the card token, the merchant, the amount and currency, and a time window. The same request in
 * the same window answers the same id, so Paykey can ask again when the shopper applies an offer; redeeming checks
 * the id against the fields it names. A quote is firm from its window's start for two windows (10 to 20 minutes).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const QUOTE_WINDOW_MS = 10 * 60_000;

export interface QuotedFields {
  offerId: string;
  version: number;
  cardToken: string;
  merchant: { id: string; mcc: string; country: string };
  amount: number;
  currency: string;
}

export interface OfferQuoteIds {
  /** The id of this quote now, and until when it is firm. */
  issue(fields: QuotedFields, now: Date): { quoteId: string; expiresAt: Date };
  /** Whether `quoteId` is this bank's quote of exactly these fields; `expiresAt` when it is. */
  check(quoteId: string, fields: QuotedFields): { expiresAt: Date } | null;
}

/** `secret` keys the HMAC (the bank derives it from its API key, so ids survive a restart). */
export function offerQuoteIds(secret: string): OfferQuoteIds {
  const mac = (window: number, fields: QuotedFields) =>
    createHmac('sha256', secret)
      .update(
        JSON.stringify([
          window,
          fields.offerId,
          fields.version,
          fields.cardToken,
          fields.merchant.id,
          fields.merchant.mcc,
          fields.merchant.country,
          fields.amount,
          fields.currency,
        ]),
      )
      .digest('base64url')
      .slice(0, 32);
  const expiryOf = (window: number) => new Date((window + 2) * QUOTE_WINDOW_MS);
  return {
    issue(fields, now) {
      const window = Math.floor(now.getTime() / QUOTE_WINDOW_MS);
      return { quoteId: `oq_${window.toString(36)}_${mac(window, fields)}`, expiresAt: expiryOf(window) };
    },
    check(quoteId, fields) {
      const match = /^oq_([0-9a-z]{1,12})_([A-Za-z0-9_-]{32})$/.exec(quoteId);
      if (!match) return null;
      const window = Number.parseInt(match[1], 36);
      const expected = Buffer.from(mac(window, fields));
      const given = Buffer.from(match[2]);
      return given.length === expected.length && timingSafeEqual(given, expected) ? { expiresAt: expiryOf(window) } : null;
    },
  };
}
