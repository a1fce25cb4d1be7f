/**
 * The arithmetic of payment terms, exact in integers: fees by scope, an FX quote that must add up before it is
 * shown, refunds of a converted charge at the charge's own ratio, and the payment hash a passkey signs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { feeFor, type FeeSchedule } from '../../server/adapters/fee-schedule.ts';
import { convertedAmount, type FxQuote } from '../../server/adapters/fx-quote.ts';
import { fxQuoteProblem } from '../../server/payments/check-fx-quote.ts';
import { refundDebit } from '../../server/payments/refund-debit.ts';
import { paymentHash, type PaymentDetails } from '../../server/webauthn/payment-hash.ts';
import { sha256Hex } from '../../server/security/secrets.ts';

describe('fees: feeFor honours the scope of each entry', () => {
  const schedule: FeeSchedule = {
    entries: [
      { method: 'card', currency: 'USD', fixed: 0, basisPoints: 150, applies: 'cross_currency' },
      { method: 'card', currency: 'EUR', fixed: 25, basisPoints: 0 },
      { method: 'card', currency: 'EUR', fixed: 0, basisPoints: 100, applies: 'cross_currency' },
    ],
  };

  test('a cross_currency entry applies only to a payment in another currency than the card', () => {
    assert.equal(feeFor(schedule, 'card', 'USD', 10_000), null);
    assert.equal(feeFor(schedule, 'card', 'USD', 10_000, { crossCurrency: false }), null);
    assert.equal(feeFor(schedule, 'card', 'USD', 10_000, { crossCurrency: true }), 150); // 1.5 % of 100.00
    assert.equal(feeFor(schedule, 'card', 'USD', 1999, { crossCurrency: true }), 30); // 29.985 → 30, half up
  });

  test('entries that apply are added up; an `any` entry applies either way', () => {
    assert.equal(feeFor(schedule, 'card', 'EUR', 10_000), 25);
    assert.equal(feeFor(schedule, 'card', 'EUR', 10_000, { crossCurrency: true }), 25 + 100);
    assert.equal(feeFor(schedule, 'account_payment', 'EUR', 10_000, { crossCurrency: true }), null);
  });

  test('a negative or fractional entry is refused, not charged', () => {
    const bad: FeeSchedule = { entries: [{ method: 'card', currency: 'USD', fixed: -1, basisPoints: 10 }] };
    assert.throws(() => feeFor(bad, 'card', 'USD', 100), /expected fixed and basisPoints to be non-negative safe integers, received -1 and 10/);
  });
});

describe('an FX quote must add up before it is shown', () => {
  const now = new Date('2026-12-01T12:00:00.000Z');
  // 19.99 USD + 1.5 % fee (0.30) = 20.29 USD at 7.1234 CNY per USD: 20.29 × 7.1234 = 144.533786 → 144.53 CNY.
  const request = { from: 'USD', to: 'CNY', amount: 2029 };
  const quote: FxQuote = {
    quoteId: 'lq_1',
    from: 'USD',
    to: 'CNY',
    rate: '7.1234',
    ratio: { numerator: 71_234, denominator: 10_000 },
    source: 'Lotus Bank treasury',
    expiresAt: '2026-12-01T12:05:00Z',
    amount: 2029,
    debit: 14_453,
  };

  test('a consistent quote passes', () => {
    assert.equal(convertedAmount(quote, 2029), 14_453);
    assert.equal(fxQuoteProblem(quote, request, now), null);
    // The same rate in lowest terms, and across minor units (USD 2 digits → JPY 0: 162.37 yen per dollar).
    assert.equal(fxQuoteProblem({ ...quote, ratio: { numerator: 35_617, denominator: 5000 } }, request, now), null);
    const jpy = { ...quote, to: 'JPY', rate: '162.37', ratio: { numerator: 16_237, denominator: 10_000 }, debit: 3294 }; // 20.29 × 162.37 = 3294.49
    assert.equal(fxQuoteProblem(jpy, { ...request, to: 'JPY' }, now), null);
  });

  test('each way a quote can fail to add up is named', () => {
    const problems: Array<[Partial<FxQuote>, RegExp]> = [
      [{ debit: 14_454 }, /expected the debit to be 14453 CNY minor units \(2029 × 7\.1234\), received 14454/],
      [{ rate: '7.1235' }, /expected the ratio 71234\/10000 to be the rate 7\.1235 CNY per USD in minor units/],
      [{ ratio: { numerator: 71_234, denominator: 0 } }, /expected a ratio of positive safe integers, received 71234\/0/],
      [{ rate: '0' }, /expected a positive decimal rate/],
      [{ rate: '7,1234' }, /expected a positive decimal rate such as "7\.1234", received "7,1234"/],
      [{ to: 'EUR' }, /expected a quote from USD to CNY, received USD to EUR/],
      [{ amount: 2000 }, /expected the quote's amount to be 2029, received 2000/],
      [{ expiresAt: '2026-12-01T11:59:59Z' }, /the quote expired at 2026-12-01T11:59:59Z/],
      [{ expiresAt: 'soon' }, /expected an ISO 8601 expiry, received "soon"/],
      [{ quoteId: '' }, /expected a quote id of 1 to 200 characters/],
      [{ source: ' ' }, /expected a rate source of 1 to 200 characters/],
    ];
    for (const [change, problem] of problems) {
      assert.match(fxQuoteProblem({ ...quote, ...change }, request, now) ?? 'no problem found', problem, JSON.stringify(change));
    }
  });
});

describe('refunds of a converted charge: the charge ratio, cumulative-exact', () => {
  // 20.29 USD (fee included… the merchant's amount is 19.99) charged as 144.53 CNY.
  const charge = { amount: 1999, debit: 14_453 };

  test('a full refund gives back exactly the debit, fee included', () => {
    assert.equal(refundDebit(charge, { after: 1999, otherDebits: 0 }), 14_453);
  });

  test('partial refunds add up to the debit, whatever the split', () => {
    for (const parts of [[1, 1998], [999, 1000], [333, 333, 333, 1000], [1, 1, 1, 1, 1995], Array.from({ length: 1999 }, () => 1)]) {
      let after = 0;
      let given = 0;
      const each: number[] = [];
      for (const part of parts) {
        after += part;
        const debit = refundDebit(charge, { after, otherDebits: given });
        assert.ok(debit >= 0, `refund ${after} gives back ${debit}`);
        each.push(debit);
        given += debit;
      }
      assert.equal(given, 14_453, `parts ${parts.slice(0, 5).join(',')}…: ${each.slice(0, 5).join(',')}…`);
    }
  });

  test('round half up: the cumulative total, not each piece', () => {
    // 1 of 1999 is 7.23013… CNY minor units → 7; 2 of 1999 is 14.46… → 14, so the second piece is 7 too.
    assert.equal(refundDebit(charge, { after: 1, otherDebits: 0 }), 7);
    assert.equal(refundDebit(charge, { after: 2, otherDebits: 7 }), 7);
    assert.equal(refundDebit({ amount: 2, debit: 3 }, { after: 1, otherDebits: 0 }), 2); // 1.5 → 2
    assert.equal(refundDebit({ amount: 2, debit: 3 }, { after: 2, otherDebits: 2 }), 1);
  });

  test('more than the charge is refused', () => {
    assert.throws(() => refundDebit(charge, { after: 2000, otherDebits: 0 }), /expected at most 1999 refunded in all, received 2000/);
  });
});

describe('the payment hash a passkey signs', () => {
  const card: PaymentDetails = { intentId: 'pi_1', amount: 1999, currency: 'USD', payee: 'Demo Shop', cardToken: 'tok_1' };
  const plain = { quoteId: 'quo_1', fee: 0, fx: null, debit: { amount: 1999, currency: 'USD' } };
  const fx = { quoteId: 'quo_2', fee: 30, fx: { rate: '7.1234', source: 'Lotus Bank treasury' }, debit: { amount: 14_453, currency: 'CNY' } };

  test('plain terms (no fee, no conversion) keep the v1 hash exactly', () => {
    const v1 = sha256Hex(JSON.stringify(['paykey-payment-v1', 'pi_1', 1999, 'USD', 'Demo Shop', 'tok_1']));
    assert.equal(paymentHash(card), v1);
    assert.equal(paymentHash({ ...card, terms: plain }), v1);
  });

  test('a fee or a conversion makes it v2, binding quote id, fee, rate, source and debit', () => {
    const signed = paymentHash({ ...card, terms: fx });
    assert.notEqual(signed, paymentHash(card));
    const changes = [
      { ...fx, quoteId: 'quo_3' },
      { ...fx, fee: 31 },
      { ...fx, fx: { ...fx.fx, rate: '7.1235' } },
      { ...fx, fx: { ...fx.fx, source: 'Someone else' } },
      { ...fx, debit: { amount: 14_454, currency: 'CNY' } },
      { ...fx, debit: { amount: 14_453, currency: 'HKD' } },
      { ...plain, fee: 1, debit: { amount: 2000, currency: 'USD' } },
    ];
    const hashes = new Set([signed, ...changes.map((terms) => paymentHash({ ...card, terms }))]);
    assert.equal(hashes.size, changes.length + 1, 'every change is another hash');
    // A plain quote whose debit is not the amount is not plain: bound as v2.
    assert.notEqual(paymentHash({ ...card, terms: { ...plain, debit: { amount: 1998, currency: 'USD' } } }), paymentHash(card));
  });
});
