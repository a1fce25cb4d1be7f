/**
 * `plainCreateBody` (server/payments/plain-create-body.ts) vouches for a create body without zod: it may only ever
 * accept what the route's schema accepts, with the schema's very output. Every body here, valid and not, goes through
 * both; and the bodies merchants send (the README's and the bench's) must take the cheap way, or it buys nothing.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_AMOUNT } from '../../server/payments/money.ts';
import { plainCreateBody } from '../../server/payments/plain-create-body.ts';
import { createPaymentIntentBody } from '../../server/routes/merchant-api.ts';

const amounts: unknown[] = [1, 1999, MAX_AMOUNT, MAX_AMOUNT + 1, 0, -1, 19.99, 2 ** 53, '1999', null, true, [1999], { value: 1 }];
const currencies: unknown[] = ['USD', 'JPY', 'KWD', 'usd', 'US', 'USDD', 'ZZZ', ' USD', 'USD\n', 840, null, ['USD']];
const descriptions: unknown[] = [undefined, null, '', 'bench payment 1', 'x'.repeat(1000), 'x'.repeat(1001), 'é'.repeat(1000), 12, false, ['a'], {}];
const references: unknown[] = [undefined, null, 'order-1', 'r'.repeat(200), 'r'.repeat(201), 0, {}];

function body(amount: unknown, currency: unknown, description: unknown, reference: unknown): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  if (amount !== undefined) raw.amount = amount;
  if (currency !== undefined) raw.currency = currency;
  if (description !== undefined) raw.description = description;
  if (reference !== undefined) raw.reference = reference;
  // As the route gets it: through JSON, so no undefined and no prototype tricks survive that JSON could not carry.
  return JSON.parse(JSON.stringify(raw)) as Record<string, unknown>;
}

/** What neither should take, or only the schema judges: other members, other shapes. */
const odd: unknown[] = [
  null,
  [],
  'amount',
  1999,
  {},
  { amount: 1999 },
  { currency: 'USD' },
  { amount: 1999, currency: 'USD', metadata: {} },
  { amount: 1999, currency: 'USD', client_secret: 'x' },
  JSON.parse('{"amount":1999,"currency":"USD","__proto__":{"x":1}}'),
  JSON.parse('{"amount":1999,"currency":"USD","constructor":"x"}'),
  JSON.parse('{"amount":1999,"currency":"USD","toString":"x"}'),
  Object.assign(Object.create(null), { amount: 1999, currency: 'USD' }),
];

function assertAgrees(raw: unknown): 'plain' | 'schema' {
  const vouched = plainCreateBody(raw);
  const parsed = createPaymentIntentBody.safeParse(raw);
  if (vouched === undefined) return 'schema';
  assert.ok(parsed.success, `plainCreateBody accepted ${JSON.stringify(raw)}, which the schema refuses: ${parsed.error?.issues[0]?.message}`);
  assert.deepEqual(vouched, parsed.data, `plainCreateBody's output for ${JSON.stringify(raw)}`);
  return 'plain';
}

describe('plainCreateBody', () => {
  test('accepts only what the schema accepts, with its output, over every combination', () => {
    const counts = { plain: 0, schema: 0 };
    for (const amount of [...amounts, undefined]) {
      for (const currency of [...currencies, undefined]) {
        for (const description of descriptions) {
          for (const reference of references) counts[assertAgrees(body(amount, currency, description, reference))] += 1;
        }
      }
    }
    for (const raw of odd) counts[assertAgrees(raw)] += 1;
    // Both ways were taken: valid bodies the cheap way, the rest by the schema.
    assert.ok(counts.plain > 100, `expected many bodies vouched for, received ${counts.plain}`);
    assert.ok(counts.schema > 1000, `expected most bodies left to the schema, received ${counts.schema}`);
  });

  test('every body the schema accepts in these combinations, save those with members it strips, takes the cheap way', () => {
    for (const amount of amounts) {
      for (const currency of currencies) {
        for (const description of descriptions) {
          for (const reference of references) {
            const raw = body(amount, currency, description, reference);
            if (createPaymentIntentBody.safeParse(raw).success) assert.notEqual(plainCreateBody(raw), undefined, `expected ${JSON.stringify(raw).slice(0, 80)} vouched for`);
          }
        }
      }
    }
  });

  test("the bodies merchants send take the cheap way: the bench's, the README's, the smallest", () => {
    assert.deepEqual(plainCreateBody({ amount: 1234, currency: 'USD', description: 'bench payment 1', reference: 'order-1' }), {
      amount: 1234,
      currency: 'USD',
      description: 'bench payment 1',
      reference: 'order-1',
    });
    assert.deepEqual(plainCreateBody({ amount: 1999, currency: 'USD' }), { amount: 1999, currency: 'USD' });
    assert.deepEqual(plainCreateBody({ amount: 3200, currency: 'JPY', description: null }), { amount: 3200, currency: 'JPY', description: null });
  });
});
