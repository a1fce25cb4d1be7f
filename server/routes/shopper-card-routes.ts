import { Hono } from 'hono';
import { z } from 'zod';
import type { BankDirectory } from '../adapters/registry.ts';
import type { BrandLookup } from '../banks/bank-brands.ts';
import { ApiError } from '../errors/api-error.ts';
import type { Logger } from '../http/logger.ts';
import { readJsonBody } from '../http/json-body.ts';
import type { RateLimiter } from '../rate-limits/rate-limiter.ts';
import { randomSecret } from '../security/secrets.ts';
import { extendConsentToCard } from '../offers/change-offer-settings.ts';
import { releaseCardToken } from '../shoppers/card-release.ts';
import { addCard, listCards, markCardDeleted, type CardRow } from '../shoppers/cards.ts';
import { requireSession } from '../shoppers/sessions.ts';
import type { WalletDb } from '../store/database.ts';
import type { AddCardResponse, CardListResponse, SavedCard } from '../../widget/shopper-api.ts';
import { toSavedCard } from './shopper-views.ts';

// Strict like every body of this API; exported for the OpenAPI document (server/openapi/).
export const addCardBody = z.strictObject({
  number: z
    .string()
    .transform((s) => s.replace(/[\s-]/g, ''))
    .pipe(z.string().regex(/^\d{12,19}$/, 'must be 12 to 19 digits')),
  exp_month: z.number().int().min(1).max(12),
  exp_year: z.number().int().min(2000).max(2100),
  cvc: z.string().regex(/^\d{3,4}$/, 'must be 3 or 4 digits'),
  name: z.string().trim().min(1).max(100),
  /** Keep the card for later (an explicit choice: default false, the card pays once and is released). */
  save: z.boolean().default(false),
});

export interface ShopperCardRoutesDeps {
  db: WalletDb;
  /** A new card goes to the bank whose BIN table matches its number. */
  banks: BankDirectory;
  now: () => Date;
  logger: Logger;
  rateLimiter: RateLimiter;
  bankBrand: BrandLookup;
  /** The list the frame shows: kept cards whose bank is configured. */
  savedCards(rows: CardRow[]): Promise<SavedCard[]>;
}

/**
 * A shopper's cards (Bearer session): list, add (routed to the issuing bank by BIN, kept or paid with once),
 * remove (gone from the list at once, the token released at the bank now or, after an outage, by housekeeping).
 */
export function shopperCardRoutes(deps: ShopperCardRoutesDeps) {
  const api = new Hono();

  api.get('/cards', async (c) => {
    const { shopperId } = await requireSession(deps.db, c.req.header('authorization'), deps.now());
    const body: CardListResponse = { cards: await deps.savedCards(await listCards(deps.db, shopperId)) };
    return c.json(body);
  });

  api.post('/cards', async (c) => {
    await deps.rateLimiter.byIp(c, 'card_add');
    const { shopperId, token } = await requireSession(deps.db, c.req.header('authorization'), deps.now());
    await deps.rateLimiter.byKeys(c, 'card_add', { shopper: shopperId });
    const { data } = await readJsonBody(c, addCardBody, (issue) => {
      // Never echo the rejected value, nor an unknown key (which could be one): it may be a card number or CVC.
      if (issue.code === 'unrecognized_keys') {
        return new ApiError(422, 'invalid_request', `Expected only the fields ${Object.keys(addCardBody.shape).join(', ')}; received ${issue.keys.length} other${issue.keys.length === 1 ? '' : 's'}`);
      }
      const field = String(issue.path[0] ?? 'body');
      return new ApiError(422, 'invalid_card_details', `Invalid ${field}`);
    });
    const today = deps.now();
    const expired = data.exp_year * 12 + data.exp_month < today.getUTCFullYear() * 12 + today.getUTCMonth() + 1;
    if (expired) throw new ApiError(402, 'expired_card', 'This card has expired');
    // Before any bank sees the number: a number no partner bank issues is refused here (422 card_not_supported).
    const adapter = deps.banks.bankForCardNumber(data.number);
    const idempotencyKey = c.req.header('idempotency-key')?.slice(0, 255) || randomSecret();
    const row = await addCard(
      deps.db,
      adapter,
      shopperId,
      { number: data.number, expMonth: data.exp_month, expYear: data.exp_year, cvc: data.cvc, name: data.name },
      idempotencyKey,
      deps.now(),
      data.save ? { save: true } : { save: false, sessionToken: token },
    );
    // Personalised offers were turned on before this card was saved: its bank records the consent for it as well.
    await extendConsentToCard(deps, shopperId, row);
    const body: AddCardResponse = { card: { ...(await toSavedCard(row, adapter, deps.bankBrand)), saved: row.saved === 1 } };
    return c.json(body, 201);
  });

  api.delete('/cards/:id', async (c) => {
    await deps.rateLimiter.byIp(c, 'card_remove');
    const { shopperId } = await requireSession(deps.db, c.req.header('authorization'), deps.now());
    await deps.rateLimiter.byKeys(c, 'card_remove', { shopper: shopperId });
    const card = await markCardDeleted(deps.db, shopperId, c.req.param('id'), deps.now());
    // Gone from the list whatever the bank says; a bank that is down (or a charge still in flight) leaves the token
    // for housekeeping to release.
    await releaseCardToken(deps, card);
    return c.body(null, 204);
  });

  return api;
}
