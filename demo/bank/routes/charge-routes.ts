/**
 * `POST /v1/charges` (idempotent by the caller's `reference`: a repeat returns the
 * first charge with 200 and never writes a second row; a reuse with other details
 * is a 409). A card held in one currency (Lotus Bank: CNY) is charged in it: a payment in another currency names
 * the bank's FX quote (`fx_quote_id`) and is exactly the quote's debit — refused with 422 `fx_quote_required`,
 * `fx_quote_not_found`, `fx_quote_expired` or `fx_quote_mismatch` otherwise, nothing booked. A released token's
 * charge is booked as declined (`card_declined`). A charge naming an offer redemption (`offer`, capability `offers`)
 * applies it once: the redemption must be reserved, for this card and this gross amount and currency, and the
 * charge exactly what the offer leaves (`offerEffect(...).charged` plus the bank's fee, or an FX quote of that) — else
 * the charge is booked as declined (`processing_error`, naming the redemption); an approved charge marks it applied.
 * `GET /v1/charges?reference=` (the ledger view: 0 or 1 charges) and
 * `GET /v1/charges?created_since=&limit=&starting_after=` (a page of the ledger,
 * for reconciliation).
 */
import { Hono } from 'hono';
import { sql } from 'kysely';
import { z } from 'zod';
import { decideCharge } from '../cards/decide-charge.ts';
import { ApiError } from '../http/api-error.ts';
import { amountSchema, currencySchema, referenceSchema, textSchema } from '../http/money-schema.ts';
import { readJsonBody } from '../http/read-json-body.ts';
import { requireIdempotencyKey } from '../http/require-idempotency-key.ts';
import { chargeJson } from '../ledger/charge-json.ts';
import { assertKeyUnusedElsewhere } from '../ledger/assert-key-unused-elsewhere.ts';
import { replayOnRace } from '../ledger/replay-on-race.ts';
import { listLedger } from '../ledger/list-ledger.ts';
import type { ChargeRow, FxQuoteRow } from '../ledger/ledger-schema.ts';
import { nextCreatedAt } from '../ledger/next-created-at.ts';
import type { Ledger } from '../ledger/open-ledger.ts';
import { newId } from '../new-id.ts';
import type { SandboxBankLimits } from '../sandbox-bank-limits.ts';
import { checkOfferCharge, type OfferChargeOptions } from '../offers/check-offer-charge.ts';

const chargeRequestSchema = z.strictObject({
  token: z.string().min(1).max(100),
  amount: amountSchema,
  currency: currencySchema,
  reference: referenceSchema,
  // Its length is a limit of this bank (`maxDescriptionLength`), checked with the others.
  description: textSchema().optional(),
  fx_quote_id: z.string().min(1).max(100).optional(),
  offer: z
    .strictObject({ redemption_id: z.string().min(1).max(100), gross_amount: amountSchema, gross_currency: currencySchema })
    .optional(),
});
export type ChargeRequest = z.infer<typeof chargeRequestSchema>;

export function chargeRoutes(ledger: Ledger, now: () => Date, limits: SandboxBankLimits, offers: OfferChargeOptions): Hono {
  const createOrReplay = (request: ChargeRequest, idempotencyKey: string) =>
    ledger.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('charges').selectAll().where('reference', '=', request.reference).executeTakeFirst();
      if (existing) {
        assertSameCharge(existing, request);
        return { row: existing, created: false };
      }
      await assertKeyUnusedElsewhere(trx, 'charges', idempotencyKey, request.reference);
      const card = await trx.selectFrom('tokens').select(['behaviour', 'currency', 'released_at']).where('token', '=', request.token).executeTakeFirst();
      if (!card) throw new ApiError(404, 'token_not_found', 'no card is stored under this token');
      const quote = request.fx_quote_id === undefined ? undefined : await trx.selectFrom('fx_quotes').selectAll().where('id', '=', request.fx_quote_id).executeTakeFirst();
      assertQuoteCovers(request, card.currency, quote, now());
      const offerProblem = request.offer === undefined ? null : await checkOfferCharge(trx, request, request.offer, quote, now(), offers);
      const decision =
        card.released_at !== null ? RELEASED_TOKEN_DECLINE : offerProblem !== null ? { status: 'declined' as const, decline_code: 'processing_error' as const, decline_message: offerProblem } : decideCharge(card.behaviour);
      const row: ChargeRow = {
        id: newId('ch'),
        reference: request.reference,
        idempotency_key: idempotencyKey,
        token: request.token,
        amount: request.amount,
        currency: request.currency,
        ...decision,
        description: request.description ?? null,
        fx_quote_id: request.fx_quote_id ?? null,
        offer_redemption_id: request.offer?.redemption_id ?? null,
        created_at: await nextCreatedAt(trx, 'charges', now()),
      };
      await trx.insertInto('charges').values(row).execute();
      if (request.offer !== undefined && row.status === 'approved') {
        const appliedAt = Date.parse(row.created_at);
        await trx
          .updateTable('offer_redemptions')
          .set({
            status: 'applied',
            charge_id: row.id,
            applied_at: row.created_at,
            cashback_due_at: sql<string | null>`case when cashback is null then null else ${new Date(appliedAt + offers.creditDelayMs).toISOString()} end`,
          })
          .where('id', '=', request.offer.redemption_id)
          .where('status', '=', 'reserved')
          .execute();
      }
      return { row, created: true };
    });

  return new Hono()
    .post('/v1/charges', async (c) => {
      const idempotencyKey = requireIdempotencyKey(c);
      const request = await readJsonBody(c, chargeRequestSchema);
      assertWithinLimits(request, limits);
      // Another writer inserting the same reference first: replay theirs.
      const outcome = await replayOnRace(() => createOrReplay(request, idempotencyKey));
      return c.json(chargeJson(outcome.row), outcome.created ? 201 : 200);
    })
    .get('/v1/charges', (c) => listLedger<ChargeRow>(c, ledger, 'charges', chargeJson));
}

/** A well-formed charge this bank does not carry: 422 naming the limit, nothing booked. */
function assertWithinLimits(request: ChargeRequest, limits: SandboxBankLimits): void {
  if (!limits.currencies.includes(request.currency)) {
    throw new ApiError(
      422,
      'currency_not_supported',
      `currency: expected one of the ${limits.currencies.length} currencies this bank carries (GET /v1/limits), received ${request.currency}`,
    );
  }
  if (request.amount < limits.amount.min) {
    throw new ApiError(422, 'amount_too_small', `amount: expected at least ${limits.amount.min} (minor units), received ${request.amount}`);
  }
  if (request.amount > limits.amount.max) {
    throw new ApiError(422, 'amount_too_large', `amount: expected at most ${limits.amount.max} (minor units), received ${request.amount}`);
  }
  if (request.description !== undefined && request.description.length > limits.maxDescriptionLength) {
    throw new ApiError(
      422,
      'description_too_long',
      `description: expected at most ${limits.maxDescriptionLength} characters (UTF-16 code units), received ${request.description.length}`,
    );
  }
}

const RELEASED_TOKEN_DECLINE = { status: 'declined', decline_code: 'card_declined', decline_message: 'The card was removed from the wallet; its token is released.' } as const;

/** A charge in another currency than the card's must name a live quote whose debit it is exactly. */
function assertQuoteCovers(request: ChargeRequest, cardCurrency: string | null, quote: FxQuoteRow | undefined, now: Date): void {
  if (request.fx_quote_id === undefined) {
    if (cardCurrency !== null && request.currency !== cardCurrency) {
      throw new ApiError(
        422,
        'fx_quote_required',
        `currency: expected ${cardCurrency} (the card's currency), or the debit of an FX quote named by fx_quote_id (POST /v1/fx-quotes), received ${request.currency} without one`,
      );
    }
    return;
  }
  if (!quote) throw new ApiError(422, 'fx_quote_not_found', `fx_quote_id: expected a quote this bank gave, received ${JSON.stringify(request.fx_quote_id)}`);
  if (Date.parse(quote.expires_at) <= now.getTime()) {
    throw new ApiError(422, 'fx_quote_expired', `fx_quote_id: expected a quote that is still firm, received ${quote.id}, which expired at ${quote.expires_at}`);
  }
  if (request.amount !== quote.debit || request.currency !== quote.to_currency) {
    throw new ApiError(
      422,
      'fx_quote_mismatch',
      `expected the debit of quote ${quote.id}, ${quote.debit} ${quote.to_currency}, received ${request.amount} ${request.currency}`,
    );
  }
}

function assertSameCharge(existing: ChargeRow, request: ChargeRequest): void {
  const differences: string[] = [];
  if (existing.amount !== request.amount) differences.push(`amount ${existing.amount}, received ${request.amount}`);
  if (existing.currency !== request.currency) differences.push(`currency ${existing.currency}, received ${request.currency}`);
  if (existing.token !== request.token) differences.push('a different card token');
  if (existing.fx_quote_id !== (request.fx_quote_id ?? null)) differences.push(`fx quote ${existing.fx_quote_id ?? 'none'}, received ${request.fx_quote_id ?? 'none'}`);
  if (existing.offer_redemption_id !== (request.offer?.redemption_id ?? null)) {
    differences.push(`offer redemption ${existing.offer_redemption_id ?? 'none'}, received ${request.offer?.redemption_id ?? 'none'}`);
  }
  if (differences.length > 0) {
    throw new ApiError(
      409,
      'reference_conflict',
      `reference ${JSON.stringify(existing.reference)} already belongs to charge ${existing.id}; expected ${differences.join('; ')}`,
    );
  }
}
