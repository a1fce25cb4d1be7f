/**
 * `POST /v1/refunds`: refunds (part of) an approved charge, never more than was
 * charged in total; idempotent by the caller's `reference`. `GET /v1/refunds`:
 * `?reference=` (0 or 1 refunds) or `?created_since=&limit=&starting_after=` (a page).
 */
import { Hono } from 'hono';
import { sql } from 'kysely';
import { z } from 'zod';
import { ApiError } from '../http/api-error.ts';
import { amountSchema, currencySchema, referenceSchema } from '../http/money-schema.ts';
import { readJsonBody } from '../http/read-json-body.ts';
import { requireIdempotencyKey } from '../http/require-idempotency-key.ts';
import { assertKeyUnusedElsewhere } from '../ledger/assert-key-unused-elsewhere.ts';
import { replayOnRace } from '../ledger/replay-on-race.ts';
import { listLedger } from '../ledger/list-ledger.ts';
import type { RefundRow } from '../ledger/ledger-schema.ts';
import { nextCreatedAt } from '../ledger/next-created-at.ts';
import { refundJson } from '../ledger/refund-json.ts';
import type { Ledger } from '../ledger/open-ledger.ts';
import { newId } from '../new-id.ts';

const refundRequestSchema = z.strictObject({
  charge_id: z.string().min(1).max(100),
  amount: amountSchema,
  currency: currencySchema,
  reference: referenceSchema,
});
type RefundRequest = z.infer<typeof refundRequestSchema>;

export function refundRoutes(ledger: Ledger, now: () => Date): Hono {
  const createOrReplay = (request: RefundRequest, idempotencyKey: string) =>
    ledger.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('refunds').selectAll().where('reference', '=', request.reference).executeTakeFirst();
      if (existing) {
        assertSameRefund(existing, request);
        return { row: existing, created: false };
      }
      await assertKeyUnusedElsewhere(trx, 'refunds', idempotencyKey, request.reference);
      const charge = await trx.selectFrom('charges').selectAll().where('id', '=', request.charge_id).executeTakeFirst();
      if (!charge) throw new ApiError(404, 'charge_not_found', `no charge ${JSON.stringify(request.charge_id)}`);
      if (charge.status !== 'approved') {
        throw new ApiError(402, 'processing_error', `expected an approved charge to refund, received a ${charge.status} one`);
      }
      if (charge.currency !== request.currency) {
        throw new ApiError(422, 'currency_mismatch', `expected currency ${charge.currency} (the charge's), received ${request.currency}`);
      }
      const { refunded } = await trx
        .selectFrom('refunds')
        .select(sql<number>`coalesce(sum(amount), 0)`.as('refunded'))
        .where('charge_id', '=', charge.id)
        .executeTakeFirstOrThrow();
      const refundable = charge.amount - refunded;
      if (request.amount > refundable) {
        throw new ApiError(
          402,
          'processing_error',
          `expected a refund of at most ${refundable} ${charge.currency} (charged ${charge.amount}, already refunded ${refunded}), received ${request.amount}`,
        );
      }
      const row: RefundRow = {
        id: newId('re'),
        reference: request.reference,
        idempotency_key: idempotencyKey,
        charge_id: charge.id,
        amount: request.amount,
        currency: request.currency,
        status: 'succeeded',
        created_at: await nextCreatedAt(trx, 'refunds', now()),
      };
      await trx.insertInto('refunds').values(row).execute();
      return { row, created: true };
    });

  return new Hono()
    .post('/v1/refunds', async (c) => {
      const idempotencyKey = requireIdempotencyKey(c);
      const request = await readJsonBody(c, refundRequestSchema);
      // Another writer inserting the same reference first: replay theirs.
      const outcome = await replayOnRace(() => createOrReplay(request, idempotencyKey));
      return c.json(refundJson(outcome.row), outcome.created ? 201 : 200);
    })
    .get('/v1/refunds', (c) => listLedger<RefundRow>(c, ledger, 'refunds', refundJson));
}

function assertSameRefund(existing: RefundRow, request: RefundRequest): void {
  const differences: string[] = [];
  if (existing.charge_id !== request.charge_id) differences.push(`charge ${existing.charge_id}, received ${request.charge_id}`);
  if (existing.amount !== request.amount) differences.push(`amount ${existing.amount}, received ${request.amount}`);
  if (existing.currency !== request.currency) differences.push(`currency ${existing.currency}, received ${request.currency}`);
  if (differences.length > 0) {
    throw new ApiError(
      409,
      'reference_conflict',
      `reference ${JSON.stringify(existing.reference)} already belongs to refund ${existing.id}; expected ${differences.join('; ')}`,
    );
  }
}
