/**
 * `POST /v1/tokens`: checks a card and swaps it for a token. Only the token, brand,
 * last4, expiry, the card's currency and its test behaviour are stored; the number, CVC and name are
 * dropped here. Idempotent by `Idempotency-Key`.
 * `DELETE /v1/tokens/:token`: releases a token (the shopper removed the card, or paid once without saving it);
 * later charges on it are declined. Idempotent: releasing a released token answers the same.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { checkCard } from '../cards/check-card.ts';
import { ApiError } from '../http/api-error.ts';
import { textSchema } from '../http/money-schema.ts';
import { readJsonBody } from '../http/read-json-body.ts';
import { requireIdempotencyKey } from '../http/require-idempotency-key.ts';
import type { BankProfile } from '../bank-profile.ts';
import type { Ledger } from '../ledger/open-ledger.ts';
import type { TokenRow } from '../ledger/ledger-schema.ts';
import { newId } from '../new-id.ts';

const tokenRequestSchema = z.strictObject({
  number: z.string().max(40),
  exp_month: z.number().int().min(1).max(12),
  exp_year: z.number().int().min(1000).max(9999),
  cvc: z.string().max(8),
  name: textSchema().trim().min(1).max(200),
});

export function tokenRoutes(ledger: Ledger, now: () => Date, profile: BankProfile): Hono {
  return new Hono()
    .post('/v1/tokens', async (c) => {
    const idempotencyKey = requireIdempotencyKey(c);
    const body = await readJsonBody(c, tokenRequestSchema);
    const card = checkCard(body, now(), profile);
    if (!card.ok) throw new ApiError(402, card.code, card.message);

    const candidate: TokenRow = {
      token: newId('tok'),
      idempotency_key: idempotencyKey,
      brand: card.brand,
      last4: card.last4,
      exp_month: body.exp_month,
      exp_year: body.exp_year,
      behaviour: card.behaviour,
      currency: profile.cardCurrency,
      released_at: null,
      created_at: now().toISOString(),
    };
    const { row, created } = await ledger.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('tokens').selectAll().where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
      if (existing) return { row: existing, created: false };
      await trx.insertInto('tokens').values(candidate).execute();
      return { row: candidate, created: true };
    });
    if (!created && !sameCard(row, candidate)) {
      throw new ApiError(
        409,
        'idempotency_key_conflict',
        `this Idempotency-Key already tokenized a ${row.brand} card ending ${row.last4} expiring ${row.exp_month}/${row.exp_year}; received a ${candidate.brand} card ending ${candidate.last4} expiring ${candidate.exp_month}/${candidate.exp_year}`,
      );
    }
    return c.json(
      { token: row.token, brand: row.brand, last4: row.last4, exp_month: row.exp_month, exp_year: row.exp_year, currency: row.currency },
      created ? 201 : 200,
    );
    })
    .delete('/v1/tokens/:token', async (c) => {
      const token = c.req.param('token');
      const releasedAt = now().toISOString();
      const row = await ledger.transaction().execute(async (trx) => {
        await trx.updateTable('tokens').set({ released_at: releasedAt }).where('token', '=', token).where('released_at', 'is', null).execute();
        return trx.selectFrom('tokens').select(['token', 'released_at']).where('token', '=', token).executeTakeFirst();
      });
      if (!row) throw new ApiError(404, 'token_not_found', 'no card is stored under this token');
      return c.json({ token: row.token, released: true, released_at: row.released_at });
    });
}

function sameCard(a: TokenRow, b: TokenRow): boolean {
  return a.brand === b.brand && a.last4 === b.last4 && a.exp_month === b.exp_month && a.exp_year === b.exp_year && a.behaviour === b.behaviour && a.currency === b.currency;
}
