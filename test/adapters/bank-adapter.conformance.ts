/**
 * The behaviour every `BankAdapter` must show, as one shared node:test suite.
 * Each adapter's test calls it in a few lines (like Hono's `runTest({ newRouter })`):
 *
 *   runBankAdapterConformance({ name: 'sandbox', createAdapter, createUnreachableAdapter, cards });
 *
 * References are random per run, so the suite can run against a long-lived bank.
 * The adapter's declared `limits` are checked against the live bank: it must
 * charge at each of them (the longest statement text, the smallest and the
 * largest amount in the suite's currency), so Paykey never accepts a payment
 * the bank then refuses.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, it } from 'node:test';
import {
  BankTransportError,
  type BankAdapter,
  type CardDetails,
  type ChargeRequest,
  type TokenizedCard,
} from '../../server/adapters/bank-adapter.ts';
import { amountRangeFor, checkBankLimits, type BankLimits } from '../../server/adapters/bank-limits.ts';
import { shortenStatementText } from '../../server/adapters/shorten-statement-text.ts';

export interface BankAdapterConformanceOptions {
  name: string;
  createAdapter: () => BankAdapter | Promise<BankAdapter>;
  /** The same adapter pointed at a bank that cannot be reached (e.g. a closed port). */
  createUnreachableAdapter: () => BankAdapter | Promise<BankAdapter>;
  /** Test cards of this bank that approve, decline with `card_declined` and with `insufficient_funds`. */
  cards: { approve: CardDetails; decline: CardDetails; insufficientFunds: CardDetails };
  /** Default EUR; must be one of the adapter's `limits.currencies`. */
  currency?: string;
}

const declineCodes = ['card_declined', 'insufficient_funds', 'expired_card', 'incorrect_cvc', 'invalid_card', 'processing_error'];

export function runBankAdapterConformance(options: BankAdapterConformanceOptions): void {
  const { cards, currency = 'EUR' } = options;

  describe(`${options.name} conforms to BankAdapter`, () => {
    let adapter: BankAdapter;
    const tokens = new Map<CardDetails, Promise<TokenizedCard>>();
    const unique = (what: string) => `conformance-${what}-${randomUUID()}`;

    /** Tokenizes a test card once per suite. */
    const tokenOf = (card: CardDetails) => {
      if (!tokens.has(card)) {
        tokens.set(
          card,
          adapter.tokenizeCard(card, unique('tokenize')).then((result) => {
            assert.equal(result.status, 'tokenized', `expected the test card to tokenize, received ${JSON.stringify(result)}`);
            return (result as { card: TokenizedCard }).card;
          }),
        );
      }
      return tokens.get(card)!;
    };
    const chargeRequest = async (card: CardDetails, amount: number, reference = unique('charge')): Promise<ChargeRequest> => ({
      token: (await tokenOf(card)).token,
      amount,
      currency,
      reference,
      idempotencyKey: unique('key'),
      description: 'conformance suite',
    });

    before(async () => {
      adapter = await options.createAdapter();
    });

    it('has a stable, non-empty id', () => {
      assert.equal(typeof adapter.id, 'string');
      assert.ok(adapter.id.length > 0);
    });

    it('brand() names the bank, with a data: logo and three colours', async () => {
      const brand = await adapter.brand();
      assert.ok(brand.name.length > 0);
      assert.match(brand.logo, /^data:image\/(svg\+xml|png)[;,]/);
      for (const colour of [brand.colors.primary, brand.colors.onPrimary, brand.colors.accent]) {
        assert.match(colour, /^#[0-9a-f]{3,8}$/i);
      }
    });

    it('declares well-formed limits that carry the suite currency', () => {
      const limits: BankLimits = checkBankLimits(adapter.id, adapter.limits);
      assert.ok(amountRangeFor(limits, currency), `expected limits.currencies to include ${currency}, received ${limits.currencies.join(', ')}`);
    });

    it('charges a statement text of exactly its declared maxDescriptionLength (UTF-16 code units, a surrogate pair last)', async (t) => {
      const { maxDescriptionLength } = checkBankLimits(adapter.id, adapter.limits);
      if (maxDescriptionLength < 2) return t.skip('the bank takes no statement text to speak of');
      const description = `${'Ä'.repeat(maxDescriptionLength - 2)}😀`;
      assert.equal(description.length, maxDescriptionLength);
      const request = { ...(await chargeRequest(cards.approve, 1999)), description };
      const result = await adapter.charge(request);
      assert.equal(result.status, 'approved', JSON.stringify(result));
      assert.equal((await adapter.lookupCharge(request.reference))?.status, 'approved');
    });

    it('charges a 1000-character description as Paykey shortens it to the declared limit', async () => {
      const { maxDescriptionLength } = checkBankLimits(adapter.id, adapter.limits);
      const merchantDescription = `Order 42: ${'👩‍👩‍👧 family pack, '.repeat(45)}`;
      assert.ok(merchantDescription.length > 990 && merchantDescription.length <= 1000);
      const description = shortenStatementText(merchantDescription, maxDescriptionLength);
      assert.ok(description.length <= maxDescriptionLength);
      const result = await adapter.charge({ ...(await chargeRequest(cards.approve, 1999)), ...(description ? { description } : {}) });
      assert.equal(result.status, 'approved', JSON.stringify(result));
    });

    it('charges the smallest and the largest amount it declares for the suite currency', async () => {
      const range = amountRangeFor(checkBankLimits(adapter.id, adapter.limits), currency)!;
      for (const amount of new Set([range.min, range.max])) {
        const request = await chargeRequest(cards.approve, amount);
        const result = await adapter.charge(request);
        assert.equal(result.status, 'approved', `amount ${amount}: ${JSON.stringify(result)}`);
        assert.equal((await adapter.lookupCharge(request.reference))?.bankChargeId, result.bankChargeId);
      }
    });

    it('tokenizes the approve card and returns only token, brand, last4 and expiry', async () => {
      const result = await adapter.tokenizeCard(cards.approve, unique('tokenize'));
      assert.equal(result.status, 'tokenized');
      assert.ok(result.status === 'tokenized');
      assert.ok(result.card.token.length > 0);
      assert.ok(!result.card.token.includes(cards.approve.number), 'the token must not contain the card number');
      assert.equal(result.card.last4, cards.approve.number.slice(-4));
      assert.equal(result.card.expMonth, cards.approve.expMonth);
      assert.equal(result.card.expYear, cards.approve.expYear);
      assert.ok(['visa', 'mastercard', 'amex', 'discover', 'jcb', 'unionpay', 'unknown'].includes(result.card.brand));
      assert.ok(!JSON.stringify(result).includes(cards.approve.number), 'the result must not echo the card number');
    });

    it('tokenizing twice under one idempotency key returns the same token', async () => {
      const key = unique('tokenize');
      const first = await adapter.tokenizeCard(cards.approve, key);
      const second = await adapter.tokenizeCard(cards.approve, key);
      assert.ok(first.status === 'tokenized' && second.status === 'tokenized');
      assert.equal(second.card.token, first.card.token);
    });

    it('rejects a number that fails its check digit as a value (invalid_card)', async () => {
      const last = Number(cards.approve.number.at(-1));
      const number = `${cards.approve.number.slice(0, -1)}${(last + 1) % 10}`;
      const result = await adapter.tokenizeCard({ ...cards.approve, number }, unique('tokenize'));
      assert.deepEqual({ status: result.status, code: (result as { code?: string }).code }, { status: 'rejected', code: 'invalid_card' });
    });

    it('rejects an expired card as a value (expired_card)', async () => {
      const expYear = new Date().getUTCFullYear() - 1;
      const result = await adapter.tokenizeCard({ ...cards.approve, expYear }, unique('tokenize'));
      assert.deepEqual({ status: result.status, code: (result as { code?: string }).code }, { status: 'rejected', code: 'expired_card' });
    });

    it('approves a charge on the approve card', async () => {
      const request = await chargeRequest(cards.approve, 1999);
      const result = await adapter.charge(request);
      assert.equal(result.status, 'approved', JSON.stringify(result));
      assert.equal(result.reference, request.reference);
      assert.ok(result.bankChargeId && result.bankChargeId.length > 0);
    });

    it('charging one reference twice charges once: the same bankChargeId, whatever the idempotency key', async () => {
      const request = await chargeRequest(cards.approve, 2500);
      const first = await adapter.charge(request);
      const replay = await adapter.charge(request);
      const newKey = await adapter.charge({ ...request, idempotencyKey: unique('key') });
      const concurrent = await Promise.all([adapter.charge(request), adapter.charge(request), adapter.charge(request)]);
      assert.equal(first.status, 'approved');
      for (const again of [replay, newKey, ...concurrent]) {
        assert.equal(again.status, 'approved');
        assert.equal(again.bankChargeId, first.bankChargeId);
      }
      const found = await adapter.lookupCharge(request.reference);
      assert.equal(found?.bankChargeId, first.bankChargeId);
    });

    it('declines the decline card as a value with card_declined', async () => {
      const request = await chargeRequest(cards.decline, 1200);
      const result = await adapter.charge(request);
      assert.equal(result.status, 'declined', JSON.stringify(result));
      assert.ok(result.status === 'declined');
      assert.equal(result.code, 'card_declined');
      assert.equal(result.reference, request.reference);
      assert.ok(result.message.length > 0);
    });

    it('declines the insufficient-funds card as a value with insufficient_funds', async () => {
      const result = await adapter.charge(await chargeRequest(cards.insufficientFunds, 1200));
      assert.equal(result.status, 'declined', JSON.stringify(result));
      assert.ok(result.status === 'declined');
      assert.equal(result.code, 'insufficient_funds');
    });

    it('lookupCharge finds approved and declined charges by reference', async () => {
      const approvedRequest = await chargeRequest(cards.approve, 700);
      const approved = await adapter.charge(approvedRequest);
      const declinedRequest = await chargeRequest(cards.decline, 700);
      const declined = await adapter.charge(declinedRequest);

      assert.deepEqual(await adapter.lookupCharge(approvedRequest.reference), approved);
      const foundDeclined = await adapter.lookupCharge(declinedRequest.reference);
      assert.equal(foundDeclined?.status, 'declined');
      assert.equal(foundDeclined?.bankChargeId, declined.bankChargeId);
      assert.equal((foundDeclined as { code?: string }).code, 'card_declined');
    });

    it('lookupCharge returns null for a reference the bank never saw', async () => {
      assert.equal(await adapter.lookupCharge(unique('never-charged')), null);
    });

    it('refunds part of a charge, once per reference, and refuses an over-refund as a value', async () => {
      const charge = await adapter.charge(await chargeRequest(cards.approve, 1000));
      assert.ok(charge.status === 'approved');
      const refundRequest = { bankChargeId: charge.bankChargeId, amount: 600, currency, reference: unique('refund'), idempotencyKey: unique('key') };

      const refund = await adapter.refund(refundRequest);
      assert.equal(refund.status, 'succeeded', JSON.stringify(refund));
      assert.ok(refund.status === 'succeeded' && refund.bankRefundId.length > 0);
      assert.equal(refund.reference, refundRequest.reference);

      const replay = await adapter.refund(refundRequest);
      assert.ok(replay.status === 'succeeded');
      assert.equal(replay.bankRefundId, refund.bankRefundId, 'a repeated refund reference must not refund twice');

      // 600 of 1000 is refunded: 500 more would exceed the charge.
      const over = await adapter.refund({ ...refundRequest, amount: 500, reference: unique('refund'), idempotencyKey: unique('key') });
      assert.equal(over.status, 'failed', JSON.stringify(over));
      assert.ok(over.status === 'failed' && declineCodes.includes(over.code));

      const rest = await adapter.refund({ ...refundRequest, amount: 400, reference: unique('refund'), idempotencyKey: unique('key') });
      assert.equal(rest.status, 'succeeded', 'the remaining 400 is still refundable');
    });

    it('throws BankTransportError when the bank cannot be reached', async () => {
      const unreachable = await options.createUnreachableAdapter();
      const token = (await tokenOf(cards.approve)).token;
      await assert.rejects(
        unreachable.charge({ token, amount: 100, currency, reference: unique('charge'), idempotencyKey: unique('key') }),
        BankTransportError,
      );
      await assert.rejects(unreachable.lookupCharge(unique('charge')), BankTransportError);
      await assert.rejects(unreachable.tokenizeCard(cards.approve, unique('tokenize')), BankTransportError);
      await assert.rejects(
        unreachable.refund({ bankChargeId: 'ch_x', amount: 100, currency, reference: unique('refund'), idempotencyKey: unique('key') }),
        BankTransportError,
      );
    });
  });
}
