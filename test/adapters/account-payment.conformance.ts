/**
 * The behaviour every `AccountPaymentAdapter` (pay by bank, with the bank's consent) must
 * show, as one shared node:test suite — the account-to-account twin of
 * bank-adapter.conformance.ts, with the same three kinds of case:
 * - shape checks, which need no bank: id, limits, capabilities (account payment and lookup);
 * - live cases against the bank's sandbox: consent → the shopper approves at the bank →
 *   payment approved, found by lookup; the same submission again is the same payment;
 *   the shopper rejecting is a `consent_rejected` value; a bad key and an unreachable bank;
 * - faults through the bank's own switch: a timeout after the bank booked, a dropped
 *   connection, a 5xx, a garbled answer after booking — each unknown (never a decline),
 *   resolved by `lookupPayment`, with the payer's money moved once; then a scrub check.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { before, describe, it, type TestContext } from 'node:test';
import { BankConfigurationError, BankTransportError } from '../../server/adapters/bank-adapter.ts';
import { capabilitiesOf } from '../../server/adapters/bank-capabilities.ts';
import { checkBankLimits } from '../../server/adapters/bank-limits.ts';
import { BANK_RESULT_CODES } from '../../server/adapters/bank-result-code.ts';
import type {
  AccountPaymentAdapter,
  AccountPaymentAuthorization,
  AuthorizationCallback,
  ConsentRequest,
  PaymentSubmission,
} from '../../server/adapters/open-banking/account-payment-adapter.ts';
import type { BankFaultControl, BankFaultKind, NoBankFaultControl } from './bank-fault-control.ts';

export interface AccountPaymentConformanceOptions {
  name: string;
  /** The adapter pointed at the bank's sandbox (`timeoutMs` when a case needs a short one). Building it must not call the bank. */
  createAdapter: (settings?: { timeoutMs?: number }) => AccountPaymentAdapter | Promise<AccountPaymentAdapter>;
  createUnreachableAdapter: () => AccountPaymentAdapter | Promise<AccountPaymentAdapter>;
  /** The same adapter with a key (or client) the bank refuses. */
  createMisconfiguredAdapter: () => AccountPaymentAdapter | Promise<AccountPaymentAdapter>;
  /** A fresh order the bank carries (a new reference and key each time). */
  order: () => ConsentRequest;
  /** The shopper at the bank's consent page: approves or rejects, and returns the redirect back to us. */
  shopper: (authorizationUrl: string, decision: 'approve' | 'reject') => Promise<AuthorizationCallback>;
  /** The payer's balance in minor units, to prove money moved once; without it the suite checks the payment ids only. */
  payerBalance?: () => Promise<number>;
  faults: BankFaultControl | NoBankFaultControl;
  /** Never in an error, a result or a log line: keys, account numbers (access tokens are added as they are seen). */
  secrets: readonly string[];
  /** Every line the adapters logged so far, for the scrub check. */
  logLines?: () => readonly string[];
  skipLive?: string;
}

const SHORT_TIMEOUT_MS = 500;
const HOLD_MS = 1_200;

export function runAccountPaymentConformance(options: AccountPaymentConformanceOptions): void {
  const { skipLive } = options;
  const live = { skip: skipLive };
  const control = 'inject' in options.faults ? options.faults : undefined;
  const withFaults = { skip: skipLive ?? (control ? undefined : `no fault injection: ${(options.faults as NoBankFaultControl).unavailable}`) };

  describe(`${options.name} conforms to AccountPaymentAdapter`, () => {
    let adapter: AccountPaymentAdapter;
    const transcript: unknown[] = [];
    const tokens: string[] = [];
    const record = <T>(outcome: T): T => {
      transcript.push(outcome);
      return outcome;
    };
    const state = () => randomBytes(24).toString('base64url');

    before(async () => {
      adapter = await options.createAdapter();
    });

    /** Consent → the shopper approves at the bank → the adapter completes the return. */
    async function authorized(request: ConsentRequest, using = adapter): Promise<{ consentId: string; authorization: AccountPaymentAuthorization }> {
      const { consentId } = record(await using.createConsent(request));
      const expectedState = state();
      const callback = await options.shopper(await using.authorizationUrl({ consentId, state: expectedState }), 'approve');
      const result = record(await using.completeAuthorization({ consentId, expectedState, callback }));
      assert.equal(result.status, 'authorized', JSON.stringify(result));
      if (result.status !== 'authorized') throw new Error('unreachable');
      tokens.push(result.authorization.accessToken());
      return { consentId, authorization: result.authorization };
    }

    function submission(request: ConsentRequest, consentId: string, authorization: AccountPaymentAuthorization): PaymentSubmission {
      const { idempotencyKey: _consentKey, ...order } = request;
      return { ...order, consentId, authorization, idempotencyKey: randomUUID() };
    }

    /** Runs `pay` and returns how far the payer's balance moved (null without a balance hook). */
    async function moved(pay: () => Promise<void>): Promise<number | null> {
      const before = await options.payerBalance?.();
      await pay();
      const after = await options.payerBalance?.();
      return before === undefined || after === undefined ? null : before - after;
    }

    it('shape: has a stable, non-empty id', () => {
      assert.equal(typeof adapter.id, 'string');
      assert.ok(adapter.id.length > 0);
    });

    it('shape: declares well-formed limits and a reference length', () => {
      const { maxReferenceLength, ...limits } = adapter.limits;
      checkBankLimits(adapter.id, limits);
      assert.ok(Number.isInteger(maxReferenceLength) && maxReferenceLength > 0, `expected a positive maxReferenceLength, received ${maxReferenceLength}`);
    });

    it('shape: its capabilities are account payment and lookup, and it says whether it refunds', () => {
      assert.deepEqual(capabilitiesOf(adapter), ['account_payment', 'lookup']);
      assert.equal(adapter.refunds, 'not_supported');
    });

    it('consent → the shopper approves → approved, with standard codes; the lookup agrees', live, async () => {
      const request = options.order();
      let result: Awaited<ReturnType<AccountPaymentAdapter['submitPayment']>> | undefined;
      const debit = await moved(async () => {
        const { consentId, authorization } = await authorized(request);
        result = record(await adapter.submitPayment(submission(request, consentId, authorization)));
      });
      assert.ok(result && ['approved', 'pending'].includes(result.status), JSON.stringify(result));
      assert.ok(BANK_RESULT_CODES.includes(result.status as 'approved'));
      assert.equal(result.reference, request.reference);
      const found = record(await adapter.lookupPayment({ reference: request.reference, consentId: result.consentId, bankPaymentId: result.bankPaymentId ?? undefined }));
      assert.equal(found?.bankPaymentId, result.bankPaymentId);
      if (debit !== null && result.status === 'approved') assert.equal(debit, request.amount, 'the payer paid the amount once');
    });

    it('the same submission again is the same payment; money moves once', live, async () => {
      const request = options.order();
      const { consentId, authorization } = await authorized(request);
      const payment = submission(request, consentId, authorization);
      let first: unknown;
      let again: unknown;
      const debit = await moved(async () => {
        first = record(await adapter.submitPayment(payment));
        again = record(await adapter.submitPayment(payment));
      });
      assert.deepEqual(again, first);
      if (debit !== null) assert.equal(debit, request.amount);
    });

    it('the shopper rejecting at the bank is a consent_rejected value', live, async () => {
      const request = options.order();
      const { consentId } = await adapter.createConsent(request);
      const expectedState = state();
      const callback = await options.shopper(await adapter.authorizationUrl({ consentId, state: expectedState }), 'reject');
      const result = record(await adapter.completeAuthorization({ consentId, expectedState, callback }));
      assert.deepEqual({ status: result.status, code: (result as { code?: string }).code }, { status: 'declined', code: 'consent_rejected' });
    });

    it('an unreachable bank is a BankTransportError', live, async () => {
      const unreachable = await options.createUnreachableAdapter();
      await assert.rejects(unreachable.createConsent(options.order()), (error: unknown) => record(error) instanceof BankTransportError);
    });

    it('a key the bank refuses is a BankConfigurationError', live, async () => {
      const misconfigured = await options.createMisconfiguredAdapter();
      await assert.rejects(misconfigured.createConsent(options.order()), (error: unknown) => record(error) instanceof BankConfigurationError);
    });

    describe('faults: an unknown outcome is resolved by lookupPayment, and money moves once', () => {
      let short: AccountPaymentAdapter;
      before(async () => {
        if (withFaults.skip) return;
        short = await options.createAdapter({ timeoutMs: SHORT_TIMEOUT_MS });
        await control!.clear();
      });

      const payThrough = async (t: TestContext, kind: BankFaultKind) => {
        if (!control!.kinds.includes(kind)) return t.skip(`the bank's fault switch cannot make ${kind}`);
        const request = options.order();
        const { consentId, authorization } = await authorized(request);
        const payment = submission(request, consentId, authorization);
        let found = null as Awaited<ReturnType<AccountPaymentAdapter['lookupPayment']>>;
        const debit = await moved(async () => {
          await control!.inject('payment', kind, { holdMs: HOLD_MS });
          await assert.rejects(short.submitPayment(payment), (error: unknown) => {
            assert.ok(record(error) instanceof BankTransportError, `${kind}: expected a BankTransportError (unknown outcome), received ${inspect(error)}`);
            return true;
          });
          const deadline = Date.now() + HOLD_MS + 5_000;
          while (!found && Date.now() < deadline) {
            found = record(await adapter.lookupPayment({ reference: request.reference, consentId, submission: payment }));
            if (!found) await new Promise((resolve) => setTimeout(resolve, 100));
          }
        });
        assert.equal(found?.status, 'approved', `${kind}: expected the lookup to find the payment, received ${JSON.stringify(found)}`);
        assert.deepEqual(record(await adapter.submitPayment(payment)), found, `${kind}: the same submission again must be the same payment`);
        if (debit !== null) assert.equal(debit, request.amount, `${kind}: expected the payer to pay once`);
      };

      it('a timeout after the bank booked', withFaults, (t) => payThrough(t, 'timeout'));
      it('a dropped connection after booking', withFaults, (t) => payThrough(t, 'drop_after'));
      it('a 5xx after booking', withFaults, (t) => payThrough(t, 'error_after'));
      it('a garbled answer after booking', withFaults, (t) => payThrough(t, 'garbled_after'));
      it("a 4xx after booking (a proxy's 409)", withFaults, (t) => payThrough(t, 'conflict_after'));
    });

    it('scrub: no key, account number or access token in anything it threw or returned, nor in a log line', live, () => {
      const secrets = [...options.secrets, ...tokens].filter((secret) => secret.length >= 4);
      const texts = [
        ...transcript.map((outcome) => `${inspect(outcome, { depth: 10, showHidden: true })}\n${outcome instanceof Error ? outcome.message : JSON.stringify(outcome)}`),
        ...(options.logLines?.() ?? []),
      ];
      assert.ok(texts.length > 0 && tokens.length > 0, 'expected outcomes and tokens to check');
      for (const text of texts) {
        for (const secret of secrets) {
          assert.ok(!text.includes(secret), `expected no secret (${secret.slice(0, 2)}…, ${secret.length} characters) in:\n${text}`);
        }
      }
    });
  });
}
