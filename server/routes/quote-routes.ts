import { Hono } from 'hono';
import { z } from 'zod';
import type { QuoteResponse } from '../../widget/shopper-api.ts';
import { readJsonBody } from '../http/json-body.ts';
import { challengeWithTerms, merchantOf, payableCard, type PaymentConfirmationDeps } from '../payments/confirm-payment.ts';
import { offerLocaleOf } from '../offers/offer-locale.ts';
import { currentOfferQuote } from '../payments/current-offer-quote.ts';
import { getPaymentIntentByClientSecret } from '../payments/payment-intents.ts';
import { createFeeScheduleCache } from '../payments/fee-schedule-cache.ts';
import { quotePayment, toPaymentTerms } from '../payments/payment-quotes.ts';
import type { RateLimiter } from '../rate-limits/rate-limiter.ts';
import { bearerToken } from '../shoppers/sessions.ts';

/** POST /quotes: strict like every frame body (server/openapi/ documents it from this schema). */
export const quoteBody = z.strictObject({
  client_secret: z.string().min(1).max(200),
  card_id: z.string().min(1).max(100),
  offer_id: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .meta({
      description:
        "Apply this bank offer (one of `POST /api/frame/offers`' for this card): its bank is asked again and its current quote signed with the payment; unavailable now → 409 `offer_unavailable`. The offer's title and terms come in the language of `Accept-Language` (`zh…`: Chinese, else English)",
    }),
});

export interface QuoteRoutesDeps extends Pick<PaymentConfirmationDeps, 'db' | 'banks' | 'now' | 'publicOrigin'> {
  rateLimiter: RateLimiter;
  /** Which shopper a session belongs to (for counting), `undefined` when there is none or it is not valid. */
  sessionShopper(token: string | undefined): Promise<string | undefined>;
}

/**
 * The terms of paying with one card, before the shopper is asked to confirm: the fee their bank charges and, for a
 * card held in another currency, the bank's exchange rate and the debit in the card's currency — stored as a quote
 * (`quo_…`) that the passkey challenge binds: one comes with the terms (`confirmation`, counted under the quote's
 * limits, which bound how fast they are issued), and `POST /confirmations/options { quote_id }` issues another.
 * Who may ask is who may pay: the client secret, and the signed-in shopper's own card when a session is sent.
 * With `offer_id`, the bank offer the shopper applied is asked for again at the card's bank and, when it still holds,
 * part of these terms (the card is charged the net amount; the challenge then binds the offer, payment hash v3).
 */
export function quoteRoutes(deps: QuoteRoutesDeps) {
  const api = new Hono();
  const feeSchedules = createFeeScheduleCache(deps.now);

  // Counted like the other frame routes: the IP address, and (once the client secret and session proved them) the
  // intent and shopper, before anything else — a 429 asks no bank for a rate and stores no quote.
  api.post('/quotes', async (c) => {
    const sessionToken = bearerToken(c.req.header('authorization'));
    // The IP address, intent and shopper counted in one statement once the client secret and session proved them.
    const { data, known } = await deps.rateLimiter.guard(c, 'quote', async () => {
      const { data } = await readJsonBody(c, quoteBody);
      const counted = await getPaymentIntentByClientSecret(deps.db, data.client_secret);
      const shopper = await deps.sessionShopper(sessionToken);
      // What was read for counting is not read again.
      return { keys: { intent: counted.id, shopper }, value: { data, known: { intent: counted, sessionShopperId: shopper } } };
    });
    const { intent, card, bank } = await payableCard(deps, { clientSecret: data.client_secret, cardId: data.card_id, sessionToken, known });
    // An offer the shopper applies is the bank's current quote of it, asked for again now (never one from the client).
    const merchant = await merchantOf(deps.db, intent);
    const offer = data.offer_id
      ? await currentOfferQuote(deps, {
          intent,
          card,
          bank,
          merchant,
          offerId: data.offer_id,
          locale: offerLocaleOf(c.req.header('accept-language')),
        })
      : undefined;
    const quote = await quotePayment({ db: deps.db, now: deps.now, feeSchedules }, { intent, card, bank, offer });
    // The challenge bound to these very terms comes with them: Pay goes straight to the passkey.
    const confirmation = await challengeWithTerms(deps, { intent, card, bank, quote, merchant, sessionToken }, deps.now());
    return c.json({ terms: toPaymentTerms(quote, offer?.endsAt ?? null), confirmation } satisfies QuoteResponse);
  });

  return api;
}
