/** What a bank supports, read off its adapter; the standard result codes; FX quotes and fees in integers. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AccountPaymentAdapter } from '../../server/adapters/open-banking/account-payment-adapter.ts';
import { capabilitiesOf, checkBankCapabilities } from '../../server/adapters/bank-capabilities.ts';
import { BANK_RESULT_CODES, CARD_DECLINE_CODES, isBankDeclineCode, isCardDeclineCode } from '../../server/adapters/bank-result-code.ts';
import { BankTransportError } from '../../server/adapters/bank-adapter.ts';
import { createLotusBankAdapter } from '../../server/adapters/lotus-bank.ts';
import { createSandboxBankAdapter } from '../../server/adapters/sandbox-bank.ts';
import { convertedAmount, type FxQuote } from '../../server/adapters/fx-quote.ts';
import { feeFor } from '../../server/adapters/fee-schedule.ts';

const noop = async () => {
  throw new Error('not called');
};

describe('capabilitiesOf', () => {
  it('a card bank: tokenization, charge, lookup, refund, and its offers: the sandbox bank', () => {
    const adapter = createSandboxBankAdapter({ baseUrl: 'http://127.0.0.1:9', apiKey: 'k' });
    assert.deepEqual(capabilitiesOf(adapter), ['card_tokenization', 'card_charge', 'lookup', 'refund', 'offers']);
  });

  it('FX quotes, fee schedules and offers when the adapter has them: Lotus Bank', () => {
    const adapter = createLotusBankAdapter({ baseUrl: 'http://127.0.0.1:9', apiKey: 'k' });
    assert.deepEqual(capabilitiesOf(adapter), ['card_tokenization', 'card_charge', 'lookup', 'refund', 'fx_quote', 'fee_schedule', 'offers']);
  });

  it('offers are five members: one missing is half a capability, named', () => {
    const { recordOfferConsent: _consent, ...withoutConsent } = createLotusBankAdapter({ baseUrl: 'http://127.0.0.1:9', apiKey: 'k' });
    assert.throws(
      () => checkBankCapabilities(withoutConsent),
      /bank adapter "lotus": expected all of offersFor, redeemOffer, revokeOffer, offerRedemption, recordOfferConsent for capability offers, received offersFor, redeemOffer, revokeOffer, offerRedemption without recordOfferConsent/,
    );
  });

  it('card tokenization is tokenizeCard and releaseToken: one without the other is half a capability', () => {
    const { releaseToken: _releaseToken, ...withoutRelease } = createSandboxBankAdapter({ baseUrl: 'http://127.0.0.1:9', apiKey: 'k' });
    assert.throws(
      () => checkBankCapabilities(withoutRelease),
      /bank adapter "sandbox": expected all of tokenizeCard, releaseToken for capability card_tokenization, received tokenizeCard without releaseToken/,
    );
  });

  it('an account-payment bank: account payment and lookup, no refunds', () => {
    const members = ['createConsent', 'authorizationUrl', 'completeAuthorization', 'consentState', 'submitPayment', 'lookupPayment'];
    const bank = { id: 'meridian', refunds: 'not_supported', ...Object.fromEntries(members.map((member) => [member, noop])) } as unknown as AccountPaymentAdapter;
    assert.deepEqual(capabilitiesOf(bank), ['account_payment', 'lookup']);
  });

  it('refuses half a capability, naming what is missing', () => {
    assert.throws(
      () => checkBankCapabilities({ id: 'odd', charge: noop }),
      /bank adapter "odd": expected all of charge, lookupCharge, listCharges for capability card_charge, received charge without lookupCharge, listCharges/,
    );
    assert.throws(() => checkBankCapabilities({ id: 'odd', accountPayments: { createConsent: noop } }), /expected accountPayments to be an AccountPaymentAdapter, received one without authorizationUrl/);
  });
});

describe('standard result codes', () => {
  it('one closed set: approved, pending, every decline of every adapter, bank_unavailable', () => {
    assert.deepEqual(BANK_RESULT_CODES, [
      'approved',
      'pending',
      'card_declined',
      'insufficient_funds',
      'expired_card',
      'incorrect_cvc',
      'invalid_card',
      'processing_error',
      'consent_rejected',
      'consent_expired',
      'payment_rejected',
      'bank_unavailable',
    ]);
    assert.ok(CARD_DECLINE_CODES.every(isBankDeclineCode));
    assert.ok(!isCardDeclineCode('consent_rejected') && isBankDeclineCode('consent_rejected'));
    assert.ok(!isBankDeclineCode('approved') && !isBankDeclineCode('bank_unavailable'));
  });

  it('an unknown outcome is bank_unavailable', () => {
    assert.equal(new BankTransportError('no answer').code, 'bank_unavailable');
  });
});

describe('FX quotes and fees are integer arithmetic', () => {
  const quote: FxQuote = {
    quoteId: 'q1',
    from: 'EUR',
    to: 'JPY',
    rate: '162.37',
    // 162.37 yen per euro: 16237 yen (JPY has no minor unit) per 10000 cents.
    ratio: { numerator: 16_237, denominator: 10_000 },
    source: 'test',
    expiresAt: '2026-12-01T12:00:00Z',
    amount: 10_000,
    debit: 16_237,
  };

  it('converts minor units exactly, rounding half up', () => {
    assert.equal(convertedAmount(quote, 10_000), 16_237); // 100.00 EUR → ¥16,237
    assert.equal(convertedAmount(quote, 1), 2); // 1.6237 → 2
    assert.equal(convertedAmount({ ...quote, ratio: { numerator: 1, denominator: 2 } }, 1), 1); // 0.5 → 1
    assert.equal(convertedAmount(quote, 2 ** 51 - 1), 3_656_247_357_480_736); // beyond float precision in the product
    assert.throws(() => convertedAmount(quote, 1.5), /expected amount to be a non-negative safe integer, received 1.5/);
  });

  it('fees: fixed minor units plus basis points, rounded half up; null without an entry', () => {
    const schedule = { entries: [{ method: 'card' as const, currency: 'EUR', fixed: 25, basisPoints: 140 }] };
    assert.equal(feeFor(schedule, 'card', 'EUR', 10_000), 25 + 140);
    assert.equal(feeFor(schedule, 'card', 'EUR', 125), 25 + 2); // 1.75 → 2
    assert.equal(feeFor(schedule, 'account_payment', 'EUR', 10_000), null);
  });
});
