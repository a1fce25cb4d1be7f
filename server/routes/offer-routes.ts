import { Hono } from 'hono';
import { z } from 'zod';
import type { OfferSettings, OffersResponse } from '../../widget/shopper-api.ts';
import type { BankDirectory } from '../adapters/registry.ts';
import type { Logger } from '../http/logger.ts';
import { readJsonBody } from '../http/json-body.ts';
import { changeOfferSettings } from '../offers/change-offer-settings.ts';
import { offerLocaleOf } from '../offers/offer-locale.ts';
import { readOfferSettings } from '../offers/offer-settings.ts';
import { offersForCards } from '../offers/offers-for-cards.ts';
import { createFeeScheduleCache } from '../payments/fee-schedule-cache.ts';
import { getPaymentIntentByClientSecret } from '../payments/payment-intents.ts';
import type { RateLimiter } from '../rate-limits/rate-limiter.ts';
import { bearerToken, requireSession } from '../shoppers/sessions.ts';
import type { WalletDb } from '../store/database.ts';

/** The most cards one request asks about (a shopper keeps at most 20 active cards). */
export const MAX_OFFER_CARDS = 20;

// Strict like every frame body; exported for the OpenAPI document (server/openapi/).
export const offersBody = z
  .strictObject({
    client_secret: z.string().min(1).max(200),
    card_ids: z
      .array(z.string().min(1).max(100))
      .min(1)
      .max(MAX_OFFER_CARDS)
      .refine((ids) => new Set(ids).size === ids.length, { message: 'expected each card id once' })
      .meta({ description: "The shopper's cards to ask about (1 to 20, each once), all of one shopper" }),
    top_origin: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .meta({ description: "The merchant page's origin the frame runs on (one the merchant registered, else 403 `origin_not_allowed`); default the merchant's first origin" }),
  })
  .meta({
    description:
      "Offer titles and terms come in the language of the request's `Accept-Language` header (`zh…` → zh-CN, `en…` → en, by preference; otherwise en); the answer's `Content-Language` says which.",
  });
export const offerSettingsBody = z.strictObject({
  general: z.boolean().meta({ description: '"Offers for everyone with this card"' }),
  personalized: z.boolean().meta({ description: '"Offers chosen from my spending at my bank" (turning it on: each bank of your cards records your consent first)' }),
});

export interface OfferRoutesDeps {
  db: WalletDb;
  banks: Pick<BankDirectory, 'has' | 'get'>;
  now: () => Date;
  logger: Logger;
  rateLimiter: RateLimiter;
  /** Which shopper a session belongs to (for counting), `undefined` when there is none or it is not valid. */
  sessionShopper(token: string | undefined): Promise<string | undefined>;
}

/**
 * Bank offers in the frame: each card's offers and costs on this payment (`POST /offers`, read-only: nothing is
 * stored), and the shopper's two switches (`GET`/`PUT /offer-settings`, Bearer session).
 */
export function offerRoutes(deps: OfferRoutesDeps) {
  const api = new Hono();
  const feeSchedules = createFeeScheduleCache(deps.now);

  // Counted like /quotes: the IP address first, then (once the client secret and session proved them) the intent and
  // shopper, and only then anything else — a 429 asks no bank.
  api.post('/offers', async (c) => {
    await deps.rateLimiter.byIp(c, 'offers');
    const { data } = await readJsonBody(c, offersBody);
    const sessionToken = bearerToken(c.req.header('authorization'));
    const counted = await getPaymentIntentByClientSecret(deps.db, data.client_secret);
    await deps.rateLimiter.byKeys(c, 'offers', { intent: counted.id, shopper: await deps.sessionShopper(sessionToken) });
    const locale = offerLocaleOf(c.req.header('accept-language'));
    const body: OffersResponse = await offersForCards(
      { db: deps.db, banks: deps.banks, now: deps.now, feeSchedules },
      { clientSecret: data.client_secret, cardIds: data.card_ids, sessionToken, topOrigin: data.top_origin, locale },
    );
    c.header('Content-Language', locale);
    return c.json(body);
  });

  api.get('/offer-settings', async (c) => {
    await deps.rateLimiter.byIp(c, 'offer_settings');
    const { shopperId } = await requireSession(deps.db, c.req.header('authorization'), deps.now());
    await deps.rateLimiter.byKeys(c, 'offer_settings', { shopper: shopperId });
    const body: OfferSettings = await readOfferSettings(deps.db, shopperId);
    return c.json(body);
  });

  api.put('/offer-settings', async (c) => {
    await deps.rateLimiter.byIp(c, 'offer_settings');
    const { shopperId } = await requireSession(deps.db, c.req.header('authorization'), deps.now());
    await deps.rateLimiter.byKeys(c, 'offer_settings', { shopper: shopperId });
    const { data } = await readJsonBody(c, offerSettingsBody);
    const body: OfferSettings = await changeOfferSettings(deps, shopperId, data);
    return c.json(body);
  });

  return api;
}
