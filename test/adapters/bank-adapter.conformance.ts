/**
 * The behaviour every `BankAdapter` must show, as one shared node:test suite.
 * Each adapter's test calls it in a few lines (like Hono's `runTest({ newRouter })`):
 *
 *   runBankAdapterConformance({ name: 'sandbox', createAdapter, createUnreachableAdapter, createMisconfiguredAdapter, cards, faults, secrets });
 *
 * Three kinds of case:
 * - shape checks, which need no bank: id, limits, capabilities (they run even when
 *   `skipLive` says there is no sandbox, so a new adapter passes them out of the box);
 * - live cases against the bank's sandbox: tokenizing, approvals, declines as values,
 *   idempotent charges by reference, look-ups, refunds where supported, a bad key;
 * - faults and crashes, through the bank's own fault switch (`faults`): a timeout after
 *   the bank booked, a dropped connection, a 4xx or garbled answer or a 5xx after booking
 *   — each an unknown outcome (never a decline), resolved by a lookup, with exactly one
 *   booking; and last a scrub check over everything the adapter threw or returned.
 * Every adapter's `bins` are well formed and its test cards are among them; its brand has every member and passes
 * the wallet's brand rules (WCAG 2.2 AA contrast, `brand-problems.ts`); a released token can no longer be charged.
 * A bank quoting exchange rates (`quoteFx`) is held to its quote: the debit is `convertedAmount(quote, amount)`, a
 * charge of exactly that debit naming the quote is approved, any other amount or an unknown quote is not.
 * A bank with offers (capability `offers`) is held to bank-offers.ts: `offersFor` is read-only and stable (asked twice,
 * the same quote ids), answers only for the request's own tokens, every value passes `offerEffect`, every `endsAt`
 * (the offer's own end) is null or after now; a quote redeems,
 * a charge with it is approved and applies it once, revoking twice counts one revocation, and a quote of a version
 * the bank has since bumped is refused `offer_changed`.
 * Skipped cases print why. References are random per run, so the suite can run against
 * a long-lived bank. The declared `limits` are checked against the live bank: it must
 * charge at each of them (the longest statement text, the smallest and the largest
 * amount in the suite's currency), so Paykey never accepts a payment the bank then refuses.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';
import { before, describe, it, type TestContext } from 'node:test';
import {
  BankConfigurationError,
  BankTransportError,
  type BankAdapter,
  type CardDetails,
  type ChargeRequest,
  type TokenizedCard,
} from '../../server/adapters/bank-adapter.ts';
import { checkBankCapabilities } from '../../server/adapters/bank-capabilities.ts';
import { amountRangeFor, checkBankLimits, type BankLimits } from '../../server/adapters/bank-limits.ts';
import { CARD_DECLINE_CODES } from '../../server/adapters/bank-result-code.ts';
import { convertedAmount } from '../../server/adapters/fx-quote.ts';
import { brandProblems, brandContrastPairs } from '../../widget/frame/theme/brand-problems.ts';
import { contrastRatio } from '../../widget/frame/theme/contrast-ratio.ts';
import { shortenStatementText } from '../../server/adapters/shorten-statement-text.ts';
import type { BankFaultControl, BankFaultKind, NoBankFaultControl } from './bank-fault-control.ts';
import type { BankOfferControl, NoBankOfferControl } from './bank-offers-control.ts';
import { offerEffect, type OfferMerchant, type OfferQuote } from '../../server/adapters/bank-offers.ts';
import { feeFor } from '../../server/adapters/fee-schedule.ts';

export interface BankAdapterConformanceOptions {
  name: string;
  /** The adapter pointed at the bank's sandbox (`timeoutMs` when a case needs a short one). Building it must not call the bank. */
  createAdapter: (settings?: { timeoutMs?: number }) => BankAdapter | Promise<BankAdapter>;
  /** The same adapter pointed at a bank that cannot be reached (e.g. a closed port). */
  createUnreachableAdapter: () => BankAdapter | Promise<BankAdapter>;
  /** The same adapter with a key the bank refuses. */
  createMisconfiguredAdapter: () => BankAdapter | Promise<BankAdapter>;
  /** Test cards of this bank that approve, decline with `card_declined` and (if it has one) with `insufficient_funds`. */
  cards: { approve: CardDetails; decline: CardDetails; insufficientFunds?: CardDetails };
  /** Default EUR; must be one of the adapter's `limits.currencies`, and the cards' currency if they have one. */
  currency?: string;
  /** What `tokenizeCard` answers as the cards' `currency`: an ISO 4217 code, or null (charged in any currency; the default). */
  cardCurrency?: string | null;
  /** For a bank with `quoteFx`: a payment to convert into the cards' currency (default 1015 USD minor units). */
  fxPayment?: { from: string; amount: number };
  /** The bank's fault switch, or why it has none. */
  faults: BankFaultControl | NoBankFaultControl;
  /** What must never be in an error, a result or a log line besides card numbers and tokens: API keys, account numbers. */
  secrets: readonly string[];
  /** When set, every case that needs the bank is skipped with this reason (e.g. "MY_BANK_SANDBOX_URL is not set"). */
  skipLive?: string;
  /**
   * For a bank with capability `offers`: a payment on which it quotes the approve card at least one offer that is not
   * personalised, and its offer switch (or why it has none); or why its offers are not tested here.
   */
  offers?: BankOffersConformance | { unavailable: string };
}

export interface BankOffersConformance {
  merchant: OfferMerchant;
  amount: number;
  currency: string;
  control: BankOfferControl | NoBankOfferControl;
}

const declineCodes: readonly string[] = CARD_DECLINE_CODES;
const NO_REFUNDS = 'the adapter declares no refund capability (refund, lookupRefund, listRefunds)';

/** Everything an operator could see of an outcome: message, stack, causes, properties, and the log line the engine writes of it. */
function transcriptOf(outcome: unknown): string {
  const reason = outcome instanceof Error ? outcome.message : JSON.stringify(outcome);
  return [
    inspect(outcome, { depth: 10, showHidden: true }),
    JSON.stringify(outcome, Object.getOwnPropertyNames(outcome ?? {})),
    JSON.stringify({ event: 'bank_outcome_unknown', reason }),
  ].join('\n');
}
/** The adapter's timeout in the fault cases, and how long the bank holds a `timeout` call (then books it). */
const SHORT_TIMEOUT_MS = 400;
const HOLD_MS = 1_200;

export function runBankAdapterConformance(options: BankAdapterConformanceOptions): void {
  const { cards, currency = 'EUR', skipLive, cardCurrency = null, fxPayment = { from: 'USD', amount: 1015 } } = options;
  const live = { skip: skipLive };
  const faultControl = 'inject' in options.faults ? options.faults : undefined;
  const withFaults = { skip: skipLive ?? (faultControl ? undefined : `no fault injection: ${(options.faults as NoBankFaultControl).unavailable}`) };

  describe(`${options.name} conforms to BankAdapter`, () => {
    let adapter: BankAdapter;
    /** Everything the adapter threw or returned, for the scrub check at the end. */
    const transcript: unknown[] = [];
    const tokensSeen = new Set<string>();
    const startedAt = new Date(Date.now() - 60_000);
    const tokens = new Map<CardDetails, Promise<TokenizedCard>>();
    const unique = (what: string) => `conformance-${what}-${randomUUID()}`;

    /** Tokenizes a test card once per suite. */
    const tokenOf = (card: CardDetails) => {
      if (!tokens.has(card)) {
        tokens.set(
          card,
          adapter.tokenizeCard(card, unique('tokenize')).then((result) => {
            assert.equal(result.status, 'tokenized', `expected the test card to tokenize, received ${JSON.stringify(result)}`);
            tokensSeen.add((result as { card: TokenizedCard }).card.token);
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

    const refunds = () => checkBankCapabilities(adapter).includes('refund');
    /** Keeps an outcome for the scrub check; returns it. */
    const record = <T>(outcome: T): T => {
      transcript.push(outcome);
      return outcome;
    };
    /** Asks until the bank has it (a held call books when the hold ends). */
    const settled = async <T>(ask: () => Promise<T | null>): Promise<T | null> => {
      const deadline = Date.now() + HOLD_MS + 5_000;
      for (;;) {
        const found = record(await ask());
        if (found || Date.now() > deadline) return found;
        await sleep(100);
      }
    };
    /** How many charges the bank's ledger holds since the suite started. */
    const bookingsSince = async () => {
      let count = 0;
      for await (const _row of adapter.listCharges(startedAt)) count += 1;
      return count;
    };
    /** How many charges the bank's ledger holds under `reference`. */
    const bookingsOf = async (reference: string) => {
      let count = 0;
      for await (const row of adapter.listCharges(startedAt)) if (row.reference === reference) count += 1;
      return count;
    };

    it('shape: has a stable, non-empty id', () => {
      assert.equal(typeof adapter.id, 'string');
      assert.ok(adapter.id.length > 0);
    });

    it('shape: declares complete capabilities, cards among them (card tokenization, card charge, lookup)', () => {
      const capabilities = checkBankCapabilities(adapter);
      for (const needed of ['card_tokenization', 'card_charge', 'lookup'] as const) {
        assert.ok(capabilities.includes(needed), `expected capability ${needed}, received ${capabilities.join(', ') || 'none'}`);
      }
      assert.equal(typeof adapter.brand, 'function', 'expected brand() to be a function');
    });

    it('shape: declares its BINs, 1 to 8 digits each, distinct, the test cards among them', () => {
      assert.ok(Array.isArray(adapter.bins), `expected bins to be an array, received ${typeof adapter.bins}`);
      for (const bin of adapter.bins) assert.match(bin, /^\d{1,8}$/, `expected each BIN to be 1 to 8 digits, received ${JSON.stringify(bin)}`);
      assert.equal(new Set(adapter.bins).size, adapter.bins.length, `expected each BIN once, received ${adapter.bins.join(', ')}`);
      for (const card of Object.values(cards)) {
        assert.ok(adapter.bins.some((bin) => card.number.startsWith(bin)), `expected a BIN covering test card ${card.number.slice(0, 6)}…, received ${adapter.bins.join(', ')}`);
      }
    });

    it('brand() names the bank in English, with a data: logo, six colours meeting WCAG 2.2 AA, radius, font stack and support', live, async () => {
      const brand = await adapter.brand();
      assert.ok(brand.name.en.length > 0);
      assert.match(brand.logo, /^data:image\/svg\+xml[;,]/);
      for (const { foreground, background, minimum } of brandContrastPairs) {
        const ratio = contrastRatio(brand.colors[foreground], brand.colors[background]);
        assert.ok(ratio >= minimum, `${foreground} ${brand.colors[foreground]} on ${background} ${brand.colors[background]} is ${ratio.toFixed(2)}:1, expected at least ${minimum}:1`);
      }
      assert.deepEqual(brandProblems(brand), [], 'expected a brand the wallet shows (widget/frame/theme/brand-problems.ts)');
    });

    it('shape: declares well-formed limits that carry the suite currency', () => {
      const limits: BankLimits = checkBankLimits(adapter.id, adapter.limits);
      assert.ok(amountRangeFor(limits, currency), `expected limits.currencies to include ${currency}, received ${limits.currencies.join(', ')}`);
    });

    it('charges a statement text of exactly its declared maxDescriptionLength (UTF-16 code units, a surrogate pair last)', live, async (t) => {
      const { maxDescriptionLength } = checkBankLimits(adapter.id, adapter.limits);
      if (maxDescriptionLength < 2) return t.skip('the bank takes no statement text to speak of');
      const description = `${'Ä'.repeat(maxDescriptionLength - 2)}😀`;
      assert.equal(description.length, maxDescriptionLength);
      const request = { ...(await chargeRequest(cards.approve, 1999)), description };
      const result = await adapter.charge(request);
      assert.equal(result.status, 'approved', JSON.stringify(result));
      assert.equal((await adapter.lookupCharge(request.reference))?.status, 'approved');
    });

    it('charges a 1000-character description as Paykey shortens it to the declared limit', live, async () => {
      const { maxDescriptionLength } = checkBankLimits(adapter.id, adapter.limits);
      const merchantDescription = `Order 42: ${'👩‍👩‍👧 family pack, '.repeat(45)}`;
      assert.ok(merchantDescription.length > 990 && merchantDescription.length <= 1000);
      const description = shortenStatementText(merchantDescription, maxDescriptionLength);
      assert.ok(description.length <= maxDescriptionLength);
      const result = await adapter.charge({ ...(await chargeRequest(cards.approve, 1999)), ...(description ? { description } : {}) });
      assert.equal(result.status, 'approved', JSON.stringify(result));
    });

    it('charges the smallest and the largest amount it declares for the suite currency', live, async () => {
      const range = amountRangeFor(checkBankLimits(adapter.id, adapter.limits), currency)!;
      for (const amount of new Set([range.min, range.max])) {
        const request = await chargeRequest(cards.approve, amount);
        const result = await adapter.charge(request);
        assert.equal(result.status, 'approved', `amount ${amount}: ${JSON.stringify(result)}`);
        assert.equal((await adapter.lookupCharge(request.reference))?.bankChargeId, result.bankChargeId);
      }
    });

    it('tokenizes the approve card and returns only token, brand, last4, expiry and the card currency', live, async () => {
      const result = await adapter.tokenizeCard(cards.approve, unique('tokenize'));
      assert.equal(result.status, 'tokenized');
      assert.ok(result.status === 'tokenized');
      assert.ok(result.card.token.length > 0);
      assert.ok(!result.card.token.includes(cards.approve.number), 'the token must not contain the card number');
      assert.equal(result.card.last4, cards.approve.number.slice(-4));
      assert.equal(result.card.expMonth, cards.approve.expMonth);
      assert.equal(result.card.expYear, cards.approve.expYear);
      assert.equal(result.card.currency, cardCurrency);
      assert.ok(['visa', 'mastercard', 'amex', 'discover', 'jcb', 'unionpay', 'unknown'].includes(result.card.brand));
      assert.ok(!JSON.stringify(result).includes(cards.approve.number), 'the result must not echo the card number');
    });

    it('tokenizing twice under one idempotency key returns the same token', live, async () => {
      const key = unique('tokenize');
      const first = await adapter.tokenizeCard(cards.approve, key);
      const second = await adapter.tokenizeCard(cards.approve, key);
      assert.ok(first.status === 'tokenized' && second.status === 'tokenized');
      assert.equal(second.card.token, first.card.token);
    });

    it('rejects a number that fails its check digit as a value (invalid_card)', live, async () => {
      const last = Number(cards.approve.number.at(-1));
      const number = `${cards.approve.number.slice(0, -1)}${(last + 1) % 10}`;
      const result = await adapter.tokenizeCard({ ...cards.approve, number }, unique('tokenize'));
      assert.deepEqual({ status: result.status, code: (result as { code?: string }).code }, { status: 'rejected', code: 'invalid_card' });
    });

    it('rejects an expired card as a value (expired_card)', live, async () => {
      const expYear = new Date().getUTCFullYear() - 1;
      const result = await adapter.tokenizeCard({ ...cards.approve, expYear }, unique('tokenize'));
      assert.deepEqual({ status: result.status, code: (result as { code?: string }).code }, { status: 'rejected', code: 'expired_card' });
    });

    it('approves a charge on the approve card', live, async () => {
      const request = await chargeRequest(cards.approve, 1999);
      const result = await adapter.charge(request);
      assert.equal(result.status, 'approved', JSON.stringify(result));
      assert.equal(result.reference, request.reference);
      assert.ok(result.bankChargeId && result.bankChargeId.length > 0);
    });

    it('charging one reference twice charges once: the same bankChargeId, whatever the idempotency key', live, async () => {
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
      assert.equal(await bookingsOf(request.reference), 1, 'the bank must have booked the reference once');
    });

    it('declines the decline card as a value with card_declined', live, async () => {
      const request = await chargeRequest(cards.decline, 1200);
      const result = await adapter.charge(request);
      assert.equal(result.status, 'declined', JSON.stringify(result));
      assert.ok(result.status === 'declined');
      assert.equal(result.code, 'card_declined');
      assert.equal(result.reference, request.reference);
      assert.ok(result.message.length > 0);
    });

    it('declines the insufficient-funds card as a value with insufficient_funds', live, async (t) => {
      if (!cards.insufficientFunds) return t.skip('the bank has no insufficient-funds test card');
      const result = await adapter.charge(await chargeRequest(cards.insufficientFunds, 1200));
      assert.equal(result.status, 'declined', JSON.stringify(result));
      assert.ok(result.status === 'declined');
      assert.equal(result.code, 'insufficient_funds');
    });

    it('lookupCharge finds approved and declined charges by reference', live, async () => {
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

    it('lookupCharge returns null for a reference the bank never saw', live, async () => {
      assert.equal(await adapter.lookupCharge(unique('never-charged')), null);
    });

    it('refunds part of a charge, once per reference, and refuses an over-refund as a value', live, async (t) => {
      if (!refunds()) return t.skip(NO_REFUNDS);
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

    it('a released token can no longer be charged; releasing is idempotent, an unknown token is no error', live, async () => {
      const tokenized = await adapter.tokenizeCard(cards.approve, unique('tokenize'));
      assert.ok(tokenized.status === 'tokenized', JSON.stringify(tokenized));
      tokensSeen.add(tokenized.card.token);
      const request = { token: tokenized.card.token, amount: 800, currency, reference: unique('charge'), idempotencyKey: unique('key') };
      assert.equal((await adapter.charge(request)).status, 'approved', 'expected the token to charge before it is released');
      await adapter.releaseToken(tokenized.card.token);
      await adapter.releaseToken(tokenized.card.token);
      await adapter.releaseToken(`tok_never_issued_${randomUUID()}`);
      const after = record(await adapter.charge({ ...request, reference: unique('charge'), idempotencyKey: unique('key') }).catch((error: unknown) => error as Error));
      assert.ok(!(after instanceof Error) && after.status === 'declined', `expected a decline, received ${inspect(after)}`);
    });

    describe('exchange rates and fees (quoteFx, feeSchedule)', () => {
      const noFx = () => (adapter.quoteFx ? undefined : 'the adapter declares no fx_quote capability');

      it('feeSchedule() entries are integers for a method and currency', live, async (t) => {
        if (!adapter.feeSchedule) return t.skip('the adapter declares no fee_schedule capability');
        const schedule = await adapter.feeSchedule();
        assert.ok(schedule.entries.length > 0);
        for (const entry of schedule.entries) {
          assert.ok(['card', 'account_payment'].includes(entry.method), JSON.stringify(entry));
          assert.match(entry.currency, /^[A-Z]{3}$/);
          for (const value of [entry.fixed, entry.basisPoints]) assert.ok(Number.isSafeInteger(value) && value >= 0, JSON.stringify(entry));
          assert.ok(['any', 'cross_currency', undefined].includes(entry.applies), JSON.stringify(entry));
        }
      });

      it("a quote's debit is convertedAmount(quote, amount), into the cards' currency, firm for a while", live, async (t) => {
        if (noFx()) return t.skip(noFx());
        const to = cardCurrency ?? currency;
        const quote = record(await adapter.quoteFx!({ from: fxPayment.from, to, amount: fxPayment.amount }));
        assert.deepEqual([quote.from, quote.to, quote.amount], [fxPayment.from, to, fxPayment.amount]);
        assert.match(quote.rate, /^\d+(\.\d+)?$/);
        assert.ok(quote.quoteId.length > 0 && quote.source.length > 0);
        assert.equal(quote.debit, convertedAmount(quote, fxPayment.amount));
        assert.ok(Date.parse(quote.expiresAt) > Date.now() + 30_000, `expected a quote firm for at least 30 s, received expiresAt ${quote.expiresAt}`);
      });

      it('a charge of exactly the debit naming the quote is approved; another amount or an unknown quote is not', live, async (t) => {
        if (noFx()) return t.skip(noFx());
        const to = cardCurrency ?? currency;
        const quote = await adapter.quoteFx!({ from: fxPayment.from, to, amount: fxPayment.amount });
        const base = { ...(await chargeRequest(cards.approve, quote.debit)), currency: to };
        const approved = record(await adapter.charge({ ...base, fxQuoteId: quote.quoteId }));
        assert.equal(approved.status, 'approved', JSON.stringify(approved));
        for (const wrong of [
          { ...base, amount: quote.debit + 1, fxQuoteId: quote.quoteId },
          { ...base, fxQuoteId: `fxq_never_quoted_${randomUUID()}` },
        ]) {
          const outcome = record(await adapter.charge({ ...wrong, reference: unique('charge'), idempotencyKey: unique('key') }).catch((error: unknown) => error as Error));
          assert.ok(!(outcome instanceof Error) && outcome.status === 'declined', `expected a decline, received ${inspect(outcome)}`);
        }
      });
    });

    describe('offers (capability offers)', () => {
      const offerOptions = options.offers && 'merchant' in options.offers ? options.offers : undefined;
      const offerControl = offerOptions && 'bumpVersion' in offerOptions.control ? offerOptions.control : undefined;
      /** Why the offer cases cannot run, or undefined. */
      const noOffers = () => {
        if (!checkBankCapabilities(adapter).includes('offers')) return 'the adapter declares no offers capability';
        if (options.offers && 'unavailable' in options.offers) return options.offers.unavailable;
        return undefined;
      };
      const settings = () => {
        assert.ok(offerOptions, 'expected the offers option (a payment the bank quotes offers on) for an adapter with capability offers');
        return offerOptions;
      };
      const ask = async (cardTokens: string[], personalization: 'none' | 'bank_profile' = 'none') => {
        const { merchant, amount, currency } = settings();
        return adapter.offersFor!({ merchant, amount, currency, cardTokens, personalization, locale: 'en' });
      };
      /** A quote for the approve card that is not personalised (an instant discount first, it shows the most). */
      const firstQuote = async () => {
        const token = (await tokenOf(cards.approve)).token;
        const quotes = (await ask([token])).filter((quote) => !quote.personalized);
        assert.ok(quotes.length > 0, `expected at least one offer on ${settings().amount} ${settings().currency}, received none`);
        return quotes.find((quote) => quote.value.kind === 'instant_discount') ?? quotes[0];
      };
      const redeemRequest = (quote: OfferQuote) => ({
        quoteId: quote.quoteId,
        offerId: quote.offerId,
        version: quote.version,
        termsHash: quote.termsHash,
        cardToken: quote.cardToken,
        amount: settings().amount,
        currency: settings().currency,
        value: quote.value,
        merchant: settings().merchant,
        reference: unique('redeem'),
        idempotencyKey: unique('key'),
      });
      /** What Paykey charges with an offer: `offerEffect(...).charged` plus the bank's card fee on it. */
      const chargedWith = async (quote: OfferQuote) => {
        const { amount, currency } = settings();
        const charged = offerEffect(amount, quote.value).charged;
        const fee = adapter.feeSchedule ? (feeFor(await adapter.feeSchedule(), 'card', currency, charged) ?? 0) : 0;
        return charged + fee;
      };

      it('offersFor is read-only and stable: asked twice, the same quote ids; only the asked tokens; every value passes offerEffect', live, async (t) => {
        if (noOffers()) return t.skip(noOffers());
        const approve = (await tokenOf(cards.approve)).token;
        await tokenOf(cards.decline); // the bank holds another card of ours it must not quote for
        const bookedBefore = await bookingsSince();
        const first = await ask([approve, `tok_not_this_banks_${randomUUID()}`]);
        const second = await ask([approve]);
        assert.ok(first.length > 0, 'expected offers on the suite payment');
        assert.deepEqual(second.map((quote) => quote.quoteId).sort(), first.map((quote) => quote.quoteId).sort(), 'expected the same quote ids for the same request');
        for (const quote of first) {
          assert.equal(quote.cardToken, approve, 'expected quotes only for the tokens asked that the bank holds');
          assert.doesNotThrow(() => offerEffect(settings().amount, quote.value), `offer ${quote.offerId}: ${JSON.stringify(quote.value)}`);
          assert.match(quote.termsHash, /^[0-9a-f]{64}$/);
          assert.ok(quote.title.length > 0 && quote.terms.length > 0);
          assert.ok(Date.parse(quote.expiresAt) > Date.now() + 60_000, `expected a quote firm for at least a minute, received ${quote.expiresAt}`);
          assert.ok(
            quote.endsAt === null || Date.parse(quote.endsAt) > Date.now(),
            `expected endsAt (the offer's own end) null or an ISO 8601 time after now (an ended offer is not quoted), received ${JSON.stringify(quote.endsAt)}`,
          );
          assert.ok(Number.isSafeInteger(quote.version) && quote.version >= 1);
          assert.equal(quote.personalized, false, 'expected no personalised offer without bank_profile');
        }
        assert.equal(await bookingsSince(), bookedBefore, 'asking for offers must book nothing');
        assert.deepEqual(await ask([]), [], 'no tokens, no offers');
      });

      it('redeem → charge with the offer → applied once → revoke twice → one revocation', live, async (t) => {
        if (noOffers()) return t.skip(noOffers());
        const quote = await firstQuote();
        const request = redeemRequest(quote);
        const redeemed = record(await adapter.redeemOffer!(request));
        assert.equal(redeemed.status, 'redeemed', JSON.stringify(redeemed));
        assert.ok(redeemed.status === 'redeemed');
        assert.equal(redeemed.reference, request.reference);
        const again = await adapter.redeemOffer!({ ...request, idempotencyKey: unique('key') });
        assert.ok(again.status === 'redeemed' && again.redemptionId === redeemed.redemptionId, 'the same reference must be the same redemption');
        assert.equal((await adapter.offerRedemption!(redeemed.redemptionId))?.status, 'reserved');

        const charge: ChargeRequest = {
          token: quote.cardToken,
          amount: await chargedWith(quote),
          currency: settings().currency,
          reference: unique('charge'),
          idempotencyKey: unique('key'),
          offer: { redemptionId: redeemed.redemptionId, grossAmount: settings().amount, grossCurrency: settings().currency },
        };
        const approved = record(await adapter.charge(charge));
        assert.equal(approved.status, 'approved', JSON.stringify(approved));
        const replayed = record(await adapter.charge(charge));
        assert.equal(replayed.bankChargeId, approved.bankChargeId, 'a retried charge is the same charge');
        const applied = record(await adapter.offerRedemption!(redeemed.redemptionId));
        assert.equal(applied?.status, 'applied');
        if (quote.value.kind === 'cashback') {
          assert.equal(applied?.cashback?.amount, quote.value.cashback);
          assert.ok(applied?.cashback && Date.parse(applied.cashback.expectedBy) > Date.now() - 1_000);
        } else {
          assert.equal(applied?.cashback, null);
        }
        // Applied once: another charge naming it is a definite decline, nothing approved.
        const secondUse = record(await adapter.charge({ ...charge, reference: unique('charge'), idempotencyKey: unique('key') }));
        assert.equal(secondUse.status, 'declined', `expected a decline for a redemption already applied, received ${JSON.stringify(secondUse)}`);

        const revoke = { redemptionId: redeemed.redemptionId, reason: 'refunded' as const, idempotencyKey: unique('key') };
        await adapter.revokeOffer!(revoke);
        await adapter.revokeOffer!(revoke);
        assert.equal((await adapter.offerRedemption!(redeemed.redemptionId))?.status, 'revoked');
        if (offerControl) assert.equal(await offerControl.revocationsOf(redeemed.redemptionId), 1, 'expected one revocation for one idempotency key');
        await adapter.revokeOffer!({ ...revoke, redemptionId: `ofr_never_redeemed_${randomUUID()}` });
        assert.equal(await adapter.offerRedemption!(`ofr_never_redeemed_${randomUUID()}`), null);
      });

      it('a redemption whose value is not the offer\'s is refused as a value; nothing is reserved', live, async (t) => {
        if (noOffers()) return t.skip(noOffers());
        const quote = await firstQuote();
        const value = quote.value.kind === 'instant_discount' ? { ...quote.value, discount: quote.value.discount + 1 }
          : quote.value.kind === 'cashback' ? { ...quote.value, cashback: quote.value.cashback + 1 }
          : { ...quote.value, totalFees: quote.value.totalFees + quote.value.count - 1, perInstalment: quote.value.perInstalment + 1 };
        const refused = record(await adapter.redeemOffer!({ ...redeemRequest(quote), value }));
        assert.equal(refused.status, 'refused', JSON.stringify(refused));
        assert.ok(refused.status === 'refused' && ['offer_changed', 'offer_not_applicable'].includes(refused.reason), JSON.stringify(refused));
      });

      it('records the card holder\'s consent to personalised offers', live, async (t) => {
        if (noOffers()) return t.skip(noOffers());
        const token = (await tokenOf(cards.approve)).token;
        await adapter.recordOfferConsent!({ cardTokens: [token], personalization: 'bank_profile', at: new Date().toISOString() });
        await adapter.recordOfferConsent!({ cardTokens: [token], personalization: 'none', at: new Date(Date.now() + 1).toISOString() });
        for (const quote of await ask([token], 'bank_profile')) assert.equal(quote.personalized, false, 'consent withdrawn: no personalised offer');
      });

      it('a quote of a version the bank has since bumped is refused offer_changed', live, async (t) => {
        if (noOffers()) return t.skip(noOffers());
        if (!offerControl) return t.skip(`no offer switch: ${(settings().control as NoBankOfferControl).unavailable}`);
        const quote = await firstQuote();
        await offerControl.bumpVersion(quote.offerId);
        try {
          const refused = record(await adapter.redeemOffer!(redeemRequest(quote)));
          assert.deepEqual({ status: refused.status, reason: (refused as { reason?: string }).reason }, { status: 'refused', reason: 'offer_changed' });
          const fresh = (await ask([quote.cardToken])).find((candidate) => candidate.offerId === quote.offerId);
          assert.equal(fresh?.version, quote.version + 1);
          assert.notEqual(fresh?.termsHash, quote.termsHash, 'a new version is a new terms hash');
        } finally {
          await offerControl.restore();
        }
      });

      it('offer calls to a bank that cannot be reached throw BankTransportError', live, async (t) => {
        if (noOffers()) return t.skip(noOffers());
        const unreachable = await options.createUnreachableAdapter();
        const quote = await firstQuote();
        await assert.rejects(unreachable.offersFor!({ ...settings(), cardTokens: [quote.cardToken], personalization: 'none', locale: 'en' }), (error: unknown) => record(error) instanceof BankTransportError);
        await assert.rejects(unreachable.redeemOffer!(redeemRequest(quote)), (error: unknown) => record(error) instanceof BankTransportError);
        await assert.rejects(unreachable.revokeOffer!({ redemptionId: 'ofr_x', reason: 'not_charged', idempotencyKey: unique('key') }), BankTransportError);
      });
    });

    it('throws BankTransportError when the bank cannot be reached', live, async () => {
      const unreachable = await options.createUnreachableAdapter();
      const token = (await tokenOf(cards.approve)).token;
      await assert.rejects(
        unreachable.charge({ token, amount: 100, currency, reference: unique('charge'), idempotencyKey: unique('key') }),
        (error: unknown) => record(error) instanceof BankTransportError,
      );
      await assert.rejects(unreachable.lookupCharge(unique('charge')), BankTransportError);
      await assert.rejects(unreachable.tokenizeCard(cards.approve, unique('tokenize')), BankTransportError);
      await assert.rejects(
        unreachable.refund({ bankChargeId: 'ch_x', amount: 100, currency, reference: unique('refund'), idempotencyKey: unique('key') }),
        BankTransportError,
      );
    });

    it('a key the bank refuses is a BankConfigurationError on every call, never a decline', live, async () => {
      const misconfigured = await options.createMisconfiguredAdapter();
      const token = (await tokenOf(cards.approve)).token;
      const isConfiguration = (error: unknown) => record(error) instanceof BankConfigurationError;
      await assert.rejects(misconfigured.tokenizeCard(cards.approve, unique('tokenize')), isConfiguration);
      await assert.rejects(misconfigured.charge({ token, amount: 100, currency, reference: unique('charge'), idempotencyKey: unique('key') }), isConfiguration);
      await assert.rejects(misconfigured.lookupCharge(unique('charge')), isConfiguration);
      if (checkBankCapabilities(misconfigured).includes('refund')) {
        await assert.rejects(
          misconfigured.refund({ bankChargeId: 'ch_x', amount: 100, currency, reference: unique('refund'), idempotencyKey: unique('key') }),
          isConfiguration,
        );
      }
    });

    describe('faults and crashes: an unknown outcome is resolved by a lookup, and the bank books once', () => {
      let short: BankAdapter;
      before(async () => {
        if (withFaults.skip) return;
        short = await options.createAdapter({ timeoutMs: SHORT_TIMEOUT_MS });
        await faultControl!.clear();
      });

      /** Charges once through the fault; the outcome must be unknown, then found by reference, then charged again as the same booking. */
      const chargeThrough = async (t: TestContext, kind: BankFaultKind) => {
        if (!faultControl!.kinds.includes(kind)) return t.skip(`the bank's fault switch cannot make ${kind}`);
        const request = await chargeRequest(cards.approve, 1500);
        await faultControl!.inject('charge', kind, { holdMs: HOLD_MS });
        await assert.rejects(short.charge(request), (error: unknown) => {
          assert.ok(record(error) instanceof BankTransportError, `${kind}: expected a BankTransportError (unknown outcome), received ${inspect(error)}`);
          return true;
        });
        const found = await settled(() => adapter.lookupCharge(request.reference));
        assert.equal(found?.status, 'approved', `${kind}: expected the lookup to find the booked charge, received ${JSON.stringify(found)}`);
        const again = record(await adapter.charge(request));
        assert.equal(again.status, 'approved');
        assert.equal(again.bankChargeId, found.bankChargeId, `${kind}: the same reference again must be the same booking`);
        assert.equal(await bookingsOf(request.reference), 1, `${kind}: expected one booking`);
      };

      it('a timeout after the bank booked: unknown, resolved by lookup, one booking', withFaults, (t) => chargeThrough(t, 'timeout'));
      it('a dropped connection after booking: unknown, resolved by lookup, one booking', withFaults, (t) => chargeThrough(t, 'drop_after'));
      it('a 4xx after booking (a proxy\'s 409): unknown, never a decline', withFaults, (t) => chargeThrough(t, 'conflict_after'));
      it('a garbled answer after booking: unknown, never a decline', withFaults, (t) => chargeThrough(t, 'garbled_after'));
      it('a 5xx after booking: unknown, resolved by lookup', withFaults, (t) => chargeThrough(t, 'error_after'));

      it('a repeated delivery of one reference books once', withFaults, async (t) => {
        if (!faultControl!.kinds.includes('duplicate')) return t.skip("the bank's fault switch cannot make duplicate");
        const request = await chargeRequest(cards.approve, 1600);
        await faultControl!.inject('charge', 'duplicate');
        const result = record(await adapter.charge(request));
        assert.equal(result.status, 'approved', JSON.stringify(result));
        assert.equal((await adapter.lookupCharge(request.reference))?.bankChargeId, result.bankChargeId);
        assert.equal(await bookingsOf(request.reference), 1);
      });

      for (const kind of ['conflict_after', 'drop_after'] as const) {
        it(`a refund through ${kind}: unknown, resolved by lookupRefund, refunded once`, withFaults, async (t) => {
          if (!refunds()) return t.skip(NO_REFUNDS);
          if (!faultControl!.kinds.includes(kind)) return t.skip(`the bank's fault switch cannot make ${kind}`);
          const charge = await adapter.charge(await chargeRequest(cards.approve, 1000));
          assert.ok(charge.status === 'approved');
          const request = { bankChargeId: charge.bankChargeId, amount: 300, currency, reference: unique('refund'), idempotencyKey: unique('key') };
          await faultControl!.inject('refund', kind);
          await assert.rejects(short.refund(request), (error: unknown) => record(error) instanceof BankTransportError);
          const found = await settled(() => adapter.lookupRefund(request.reference));
          assert.equal(found?.status, 'succeeded', JSON.stringify(found));
          const again = record(await adapter.refund(request));
          assert.ok(again.status === 'succeeded' && found.status === 'succeeded');
          assert.equal(again.bankRefundId, found.bankRefundId, 'the same refund reference again must be the same refund');
          let booked = 0;
          for await (const row of adapter.listRefunds(startedAt)) if (row.reference === request.reference) booked += 1;
          assert.equal(booked, 1);
        });
      }
    });

    it('scrub: no card number, token, key or account number in anything it threw or returned, nor in a log line of it', live, () => {
      const secrets = [...options.secrets, ...Object.values(cards).map((card) => card.number), ...tokensSeen].filter((secret) => secret.length >= 4);
      assert.ok(transcript.length > 0, 'expected outcomes to check');
      // The check would be vacuous if a transcript could never show a secret.
      assert.ok(transcriptOf(new Error(`x ${secrets[0]} y`)).includes(secrets[0]));
      for (const outcome of transcript) {
        const text = transcriptOf(outcome);
        for (const secret of secrets) {
          assert.ok(!text.includes(secret), `expected no secret (${secret.slice(0, 2)}…, ${secret.length} characters) in:\n${text}`);
        }
      }
    });
  });
}
