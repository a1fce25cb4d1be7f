/**
 * Capability `offers` of a demo card bank (README "Bank offers"; server/adapters/bank-offers.ts):
 *
 *   POST /v1/offers/quotes                   read-only: the quotes for these of its card tokens → 200 { data: [quote] };
 *                                            a quote's `expires_at` is how long it holds (10 to 20 minutes, never past
 *                                            the offer's end), `ends_at` when the offer itself ends (null: no end
 *                                            announced); an offer that has ended is not quoted
 *   POST /v1/offers/redemptions              Idempotency-Key; re-validates a quote and reserves it under the caller's
 *                                            reference → 201 { redemption } (the same reference again → 200, the same
 *                                            one), or 422 { error: { code: offer_expired | offer_budget_exhausted |
 *                                            offer_changed | offer_not_applicable } } with nothing written
 *   POST /v1/offers/redemptions/:id/revoke   Idempotency-Key, { reason } → 200 { redemption }, `revoked` (again: no
 *                                            change; each distinct key is counted in `revocations`); unknown → 404
 *   GET  /v1/offers/redemptions/:id          → 200 { redemption } | 404 redemption_not_found
 *   POST /v1/offers/consents                 { card_tokens, personalization, at } → 201: the card holder's choice
 *
 * A charge applies a reserved redemption (`offer` in `POST /v1/charges`, charge-routes.ts). Nothing about an offer is
 * logged to the console; what the bank was asked is kept in memory for `GET /sandbox/offers/log`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Hono } from 'hono';
import { sql, type Transaction } from 'kysely';
import { z } from 'zod';
import { offerEffect, type OfferPersonalization, type OfferRefusalReason, type OfferValue } from '../../../server/adapters/bank-offers.ts';
import { ApiError } from '../http/api-error.ts';
import { amountSchema, currencySchema, referenceSchema, textSchema } from '../http/money-schema.ts';
import { readJsonBody } from '../http/read-json-body.ts';
import { requireIdempotencyKey } from '../http/require-idempotency-key.ts';
import { assertKeyUnusedElsewhere } from '../ledger/assert-key-unused-elsewhere.ts';
import type { LedgerSchema, OfferRedemptionRow } from '../ledger/ledger-schema.ts';
import type { Ledger } from '../ledger/open-ledger.ts';
import { replayOnRace } from '../ledger/replay-on-race.ts';
import { newId } from '../new-id.ts';
import { offerKindOf, termsHashOf, type BankOffer } from '../offers/bank-offer.ts';
import { offerAppliesTo } from '../offers/offer-applies-to.ts';
import type { OfferDesk } from '../offers/offer-desk.ts';
import type { OfferQuoteIds } from '../offers/offer-quote-id.ts';
import { offerValueFor, sameOfferValue } from '../offers/offer-value-for.ts';
import { offerValueFromWire, offerValueToWire, offerValueWireSchema } from '../offers/offer-value-json.ts';
import { redemptionJson } from '../offers/redemption-json.ts';

export interface OfferRoutesOptions {
  ledger: Ledger;
  now: () => Date;
  desk: OfferDesk;
  quoteIds: OfferQuoteIds;
  /** How long after the charge cashback is credited. */
  creditDelayMs: number;
}

/** A reserved redemption no charge applied lapses after this long. */
export const REDEMPTION_TTL_MS = 30 * 60_000;

const tokenSchema = z.string().min(1).max(100);
const personalizationSchema = z.enum(['none', 'bank_profile']);
const merchantSchema = z.strictObject({
  id: textSchema().min(1).max(200),
  name: textSchema().min(1).max(200),
  mcc: z.string().regex(/^\d{4}$/, 'expected four digits (ISO 18245)'),
  origin: textSchema().min(1).max(300),
  country: z.string().regex(/^[A-Z]{2}$/, 'expected two uppercase letters (ISO 3166-1 alpha-2)'),
});

const quotesRequestSchema = z.strictObject({
  merchant: merchantSchema,
  amount: amountSchema,
  currency: currencySchema,
  card_tokens: z.array(tokenSchema).min(1).max(50),
  personalization: personalizationSchema,
  locale: z.enum(['en', 'zh-CN']),
});

const redeemRequestSchema = z.strictObject({
  quote_id: z.string().min(1).max(100),
  offer_id: z.string().min(1).max(100),
  version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  terms_hash: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits (sha256)'),
  card_token: tokenSchema,
  amount: amountSchema,
  currency: currencySchema,
  value: offerValueWireSchema,
  merchant: merchantSchema,
  reference: referenceSchema,
});
type RedeemRequest = z.infer<typeof redeemRequestSchema>;

const revokeRequestSchema = z.strictObject({ reason: z.enum(['payment_failed', 'refunded', 'not_charged']) });

const consentRequestSchema = z.strictObject({
  card_tokens: z.array(tokenSchema).min(1).max(50),
  personalization: personalizationSchema,
  at: z.iso.datetime({ offset: true }),
});

class OfferRefusal extends Error {
  constructor(
    readonly reason: OfferRefusalReason,
    message: string,
  ) {
    super(message);
  }
}

export function offerRoutes({ ledger, now, desk, quoteIds, creditDelayMs }: OfferRoutesOptions): Hono {
  const toJson = async (db: Ledger | Transaction<LedgerSchema>, row: OfferRedemptionRow) => {
    const { count } = await db
      .selectFrom('offer_revocations')
      .select(sql<number>`count(*)`.as('count'))
      .where('redemption_id', '=', row.id)
      .executeTakeFirstOrThrow();
    return redemptionJson(row, Number(count), now(), creditDelayMs);
  };

  const redeem = (request: RedeemRequest, idempotencyKey: string) =>
    ledger.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('offer_redemptions').selectAll().where('reference', '=', request.reference).executeTakeFirst();
      if (existing) {
        assertSameRedemption(existing, request);
        return { redemption: await toJson(trx, existing), created: false };
      }
      await assertKeyUnusedElsewhere(trx, 'offer_redemptions', idempotencyKey, request.reference);
      const at = now();
      const { offer, value } = await checkRedemption(trx, request, at);
      const effect = offerEffect(request.amount, value);
      const row: OfferRedemptionRow = {
        id: newId('ofr'),
        reference: request.reference,
        idempotency_key: idempotencyKey,
        quote_id: request.quote_id,
        offer_id: offer.id,
        version: offer.version,
        terms_hash: request.terms_hash,
        card_token: request.card_token,
        merchant_id: request.merchant.id,
        amount: request.amount,
        currency: request.currency,
        kind: offerKindOf(offer.rule),
        value_json: JSON.stringify(value),
        charged: effect.charged,
        cashback: effect.comesBackLater > 0 ? effect.comesBackLater : null,
        status: 'reserved',
        charge_id: null,
        applied_at: null,
        cashback_due_at: null,
        revoked_at: null,
        revoke_reason: null,
        expires_at: new Date(at.getTime() + REDEMPTION_TTL_MS).toISOString(),
        created_at: at.toISOString(),
      };
      await trx.insertInto('offer_redemptions').values(row).execute();
      return { redemption: await toJson(trx, row), created: true };
    });

  /** Every check a redemption passes, in the order a shopper would understand the refusal; the first failing one refuses. */
  async function checkRedemption(trx: Transaction<LedgerSchema>, request: RedeemRequest, at: Date): Promise<{ offer: BankOffer; value: OfferValue }> {
    const fields = {
      offerId: request.offer_id,
      version: request.version,
      cardToken: request.card_token,
      merchant: request.merchant,
      amount: request.amount,
      currency: request.currency,
    };
    const quote = quoteIds.check(request.quote_id, fields);
    if (!quote) {
      throw new OfferRefusal('offer_not_applicable', 'quote_id: expected a quote this bank gave for this offer, version, card, merchant, amount and currency, received one that is not');
    }
    if (quote.expiresAt.getTime() <= at.getTime()) {
      throw new OfferRefusal('offer_expired', `the quote expired at ${quote.expiresAt.toISOString()}; ask for offers again`);
    }
    const offer = desk.find(request.offer_id);
    if (!offer) throw new OfferRefusal('offer_expired', `offer ${request.offer_id} has ended`);
    if (offerEnded(offer, at)) throw new OfferRefusal('offer_expired', `offer ${offer.id} ended at ${offer.endsAt}`);
    const forced = desk.forcedRefusal(offer.id);
    if (forced === 'offer_expired') throw new OfferRefusal('offer_expired', `offer ${offer.id} has ended`);
    if (forced === 'offer_budget_exhausted') throw new OfferRefusal('offer_budget_exhausted', `offer ${offer.id} has no budget left`);
    if (offer.version !== request.version) {
      throw new OfferRefusal('offer_changed', `offer ${offer.id}: expected version ${offer.version}, received ${request.version}; its terms changed`);
    }
    if (termsHashOf(offer) !== request.terms_hash) {
      throw new OfferRefusal('offer_changed', `offer ${offer.id}: expected the terms hash of version ${offer.version}, received another one`);
    }
    const card = await trx.selectFrom('tokens').select(['released_at']).where('token', '=', request.card_token).executeTakeFirst();
    if (!card || card.released_at !== null) throw new OfferRefusal('offer_not_applicable', 'card_token: expected a card of this bank, received one it does not hold');
    if (!offerAppliesTo(offer.match, request.merchant)) {
      throw new OfferRefusal('offer_not_applicable', `offer ${offer.id} is not for this merchant (category ${request.merchant.mcc}, country ${request.merchant.country})`);
    }
    if (offer.personalized && !(await consentedToProfile(trx, request.card_token))) {
      throw new OfferRefusal('offer_not_applicable', `offer ${offer.id} is personalised: the card holder has not allowed offers chosen from their spending`);
    }
    const value = offerValueFor(offer.rule, request.amount, request.currency, { chargedAt: at, creditDelayMs });
    if (!value) {
      throw new OfferRefusal('offer_not_applicable', `offer ${offer.id} does not apply to ${request.amount} ${request.currency}`);
    }
    if (!sameOfferValue(value, offerValueFromWire(request.value))) {
      throw new OfferRefusal('offer_changed', `offer ${offer.id}: the value asked is not the offer's value on ${request.amount} ${request.currency}`);
    }
    if ((await budgetUsed(trx, offer.id, at)) >= offer.budget) throw new OfferRefusal('offer_budget_exhausted', `offer ${offer.id} has no budget left`);
    return { offer, value };
  }

  return new Hono()
    .post('/v1/offers/quotes', async (c) => {
      const request = await readJsonBody(c, quotesRequestSchema);
      desk.logRequest({
        at: now().toISOString(),
        cardTokens: [...request.card_tokens],
        personalization: request.personalization,
        merchant: request.merchant,
        amount: request.amount,
        currency: request.currency,
        locale: request.locale,
      });
      const delayMs = desk.quoteDelayMs();
      if (delayMs > 0) await sleep(delayMs);
      const at = now();
      const asked = [...new Set(request.card_tokens)];
      const cards = await ledger.selectFrom('tokens').select('token').where('token', 'in', asked).where('released_at', 'is', null).execute();
      const held = new Set(cards.map((card) => card.token));
      const quotes = [];
      for (const cardToken of asked.filter((token) => held.has(token))) {
        const profileAllowed = request.personalization === 'bank_profile' && (await consentedToProfile(ledger, cardToken));
        for (const offer of desk.offers()) {
          if (offer.personalized && !profileAllowed) continue;
          // An offer that has ended is not quoted.
          if (offerEnded(offer, at)) continue;
          if (!offerAppliesTo(offer.match, request.merchant)) continue;
          // An offer whose budget is spent is not offered (the `out_of_budget` control, by contrast, refuses at apply).
          if ((await budgetUsed(ledger, offer.id, at)) >= offer.budget) continue;
          const value = offerValueFor(offer.rule, request.amount, request.currency, { chargedAt: at, creditDelayMs });
          if (!value) continue;
          const { quoteId, expiresAt } = quoteIds.issue(
            { offerId: offer.id, version: offer.version, cardToken, merchant: request.merchant, amount: request.amount, currency: request.currency },
            at,
          );
          quotes.push({
            id: quoteId,
            offer_id: offer.id,
            version: offer.version,
            card_token: cardToken,
            kind: offerKindOf(offer.rule),
            funded_by: offer.fundedBy,
            personalized: offer.personalized,
            title: offer.title[request.locale],
            terms: offer.terms[request.locale],
            terms_hash: termsHashOf(offer),
            value: offerValueToWire(value),
            refund_policy: offer.refundPolicy,
            // The quote holds no longer than the offer runs.
            expires_at: new Date(Math.min(expiresAt.getTime(), offer.endsAt ? Date.parse(offer.endsAt) : Infinity)).toISOString(),
            ends_at: offer.endsAt ? new Date(offer.endsAt).toISOString() : null,
          });
        }
      }
      return c.json({ data: quotes });
    })
    .post('/v1/offers/redemptions', async (c) => {
      const idempotencyKey = requireIdempotencyKey(c);
      const request = await readJsonBody(c, redeemRequestSchema);
      try {
        const outcome = await replayOnRace(() => redeem(request, idempotencyKey));
        return c.json({ redemption: outcome.redemption }, outcome.created ? 201 : 200);
      } catch (error) {
        if (error instanceof OfferRefusal) throw new ApiError(422, error.reason, error.message);
        throw error;
      }
    })
    .post('/v1/offers/redemptions/:id/revoke', async (c) => {
      const idempotencyKey = requireIdempotencyKey(c);
      const { reason } = await readJsonBody(c, revokeRequestSchema);
      const id = c.req.param('id');
      const redemption = await ledger.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('offer_redemptions').selectAll().where('id', '=', id).executeTakeFirst();
        if (!row) return null;
        const at = now().toISOString();
        await trx
          .insertInto('offer_revocations')
          .values({ redemption_id: id, idempotency_key: idempotencyKey, reason, created_at: at })
          .onConflict((oc) => oc.columns(['redemption_id', 'idempotency_key']).doNothing())
          .execute();
        if (row.status === 'revoked') return toJson(trx, row);
        await trx.updateTable('offer_redemptions').set({ status: 'revoked', revoked_at: at, revoke_reason: reason }).where('id', '=', id).execute();
        return toJson(trx, { ...row, status: 'revoked', revoked_at: at, revoke_reason: reason });
      });
      if (!redemption) throw new ApiError(404, 'redemption_not_found', `no offer redemption ${JSON.stringify(id.slice(0, 100))}`);
      return c.json({ redemption });
    })
    .get('/v1/offers/redemptions/:id', async (c) => {
      const id = c.req.param('id');
      const row = await ledger.selectFrom('offer_redemptions').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new ApiError(404, 'redemption_not_found', `no offer redemption ${JSON.stringify(id.slice(0, 100))}`);
      return c.json({ redemption: await toJson(ledger, row) });
    })
    .post('/v1/offers/consents', async (c) => {
      const request = await readJsonBody(c, consentRequestSchema);
      const at = new Date(request.at).toISOString();
      desk.logConsent({ at, cardTokens: [...request.card_tokens], personalization: request.personalization });
      const asked = [...new Set(request.card_tokens)];
      const recordedAt = now().toISOString();
      const held = await ledger.selectFrom('tokens').select('token').where('token', 'in', asked).execute();
      if (held.length > 0) {
        await ledger
          .insertInto('offer_consents')
          .values(held.map(({ token }) => ({ card_token: token, personalization: request.personalization, at, recorded_at: recordedAt })))
          .execute();
      }
      return c.json({ card_tokens: held.map(({ token }) => token), personalization: request.personalization, at }, 201);
    });
}

/** Whether the offer (its campaign) has ended by `at`; an offer without `endsAt` has no announced end. */
function offerEnded(offer: BankOffer, at: Date): boolean {
  return offer.endsAt != null && Date.parse(offer.endsAt) <= at.getTime();
}

/** How much of an offer's budget is taken: its applied redemptions, and its reserved ones that have not lapsed. */
async function budgetUsed(db: Ledger | Transaction<LedgerSchema>, offerId: string, at: Date): Promise<number> {
  const { used } = await db
    .selectFrom('offer_redemptions')
    .select(sql<number>`count(*)`.as('used'))
    .where('offer_id', '=', offerId)
    .where((eb) => eb.or([eb('status', '=', 'applied'), eb.and([eb('status', '=', 'reserved'), eb('expires_at', '>', at.toISOString())])]))
    .executeTakeFirstOrThrow();
  return Number(used);
}

/** The card holder's latest word on personalised offers for this card: `bank_profile` allows them. */
async function consentedToProfile(db: Ledger | Transaction<LedgerSchema>, cardToken: string): Promise<boolean> {
  const latest = await db
    .selectFrom('offer_consents')
    .select('personalization')
    .where('card_token', '=', cardToken)
    .orderBy('at', 'desc')
    .orderBy('recorded_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return (latest?.personalization as OfferPersonalization | undefined) === 'bank_profile';
}

function assertSameRedemption(existing: OfferRedemptionRow, request: RedeemRequest): void {
  const differences: string[] = [];
  if (existing.quote_id !== request.quote_id) differences.push('another quote');
  if (existing.card_token !== request.card_token) differences.push('another card token');
  if (existing.amount !== request.amount || existing.currency !== request.currency) {
    differences.push(`amount ${existing.amount} ${existing.currency}, received ${request.amount} ${request.currency}`);
  }
  if (differences.length > 0) {
    throw new ApiError(409, 'reference_conflict', `reference ${JSON.stringify(existing.reference)} already belongs to redemption ${existing.id}; expected ${differences.join('; ')}`);
  }
}
