/**
 * Records Meridian Bank's answers for the canned tests (test/adapters/fixtures/meridian/): starts a real Meridian
 * process with the wallet registered under the TEST-ONLY key stored with the fixtures, runs each scenario through
 * the real adapter with a recording fetch and a clock frozen per call, and writes one JSON file per scenario (see
 * canned/open-banking-exchange.ts for what is kept, checked or replaced). Run it again after changing the adapter's
 * requests or the bank's answers, and review the diff:
 *
 *   node --import tsx test/adapters/record-meridian-fixtures.ts
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccountPaymentAuthorization, ConsentRequest } from '../../server/adapters/open-banking/account-payment-adapter.ts';
import {
  breaksObExpectation,
  breaksSameValue,
  invokeAccountAdapter,
  normaliseOutcome,
  withInteractionPlaceholders,
  type GrantJson,
  type ObCannedCall,
  type ObCannedExpectation,
  type ObCannedFixture,
  type ObCannedOutcome,
  type ObCannedStep,
  type SubmissionJson,
} from './canned/open-banking-exchange.ts';
import { obRecordingFetch, SecretPlaceholders } from './canned/open-banking-recording-fetch.ts';
import { cannedKey, cannedMeridianAdapter, MERIDIAN_FIXTURES } from './meridian-canned.ts';
import { decideAtBank, MERCHANT_ACCOUNT, SHOPPER_CURRENT } from './meridian-shopper.ts';
import { startMeridianForWallet, WALLET_CLIENT_ID, WALLET_REDIRECT_URI } from './meridian-wallet-fixture.ts';

const bank = await startMeridianForWallet({ signingKey: cannedKey('wallet') });
mkdirSync(MERIDIAN_FIXTURES, { recursive: true });
for (const file of readdirSync(MERIDIAN_FIXTURES)) if (file.endsWith('.json')) rmSync(join(MERIDIAN_FIXTURES, file));

let serial = 0;
const next = (what: string) => `canned-${what}-${String((serial += 1)).padStart(2, '0')}`;

/** Fixed ids and texts (no randomness but the bank's), so a new recording differs only where the bank's answers do. */
function order(amount = 1250): ConsentRequest {
  const reference = next('ref');
  return {
    reference,
    idempotencyKey: next('consent-key'),
    amount,
    currency: 'GBP',
    payee: { name: 'Paykey Demo Shop Ltd', schemeName: 'UK.OBIE.SortCodeAccountNumber', identification: MERCHANT_ACCOUNT },
    description: `Order ${reference}`,
  };
}

class Recording {
  readonly secrets = new SecretPlaceholders();
  readonly recorder = obRecordingFetch(bank.bank.url, this.secrets);
  readonly steps: ObCannedStep[] = [];
  readonly settings: ObCannedFixture['adapter'];
  clock = new Date();
  logs: string[] = [];
  pending: string | undefined;
  readonly adapter;

  constructor(
    readonly file: string,
    readonly scenario: string,
    key: ObCannedFixture['adapter']['key'] = 'wallet',
  ) {
    this.settings = { clientId: WALLET_CLIENT_ID, redirectUri: WALLET_REDIRECT_URI, timeoutMs: 5_000, key };
    this.adapter = cannedMeridianAdapter(
      { baseUrl: bank.bank.url, adapter: this.settings },
      { fetch: this.recorder.fetch, now: () => this.clock, log: (line) => this.logs.push(line) },
    );
  }

  /** Something that happens outside the adapter before the next call. */
  before(what: string): void {
    this.pending = this.pending ? `${this.pending}; ${what}` : what;
  }

  async step<T = unknown>(shows: string, expect: ObCannedExpectation, call: ObCannedCall, sameValueAs?: number): Promise<T> {
    this.clock = new Date();
    this.logs = [];
    const recording = this.recorder.begin();
    let raw: unknown;
    let outcome: ObCannedOutcome;
    try {
      raw = await invokeAccountAdapter(this.adapter, call);
      outcome = { value: JSON.parse(JSON.stringify(raw ?? null)) };
    } catch (error) {
      outcome = { error: { name: (error as Error).name, message: (error as Error).message } };
    }
    const scrub = <V>(value: V): V => JSON.parse(this.secrets.scrub(JSON.stringify(value)));
    const step: ObCannedStep = {
      ...(this.pending ? { before: this.pending } : {}),
      shows,
      at: this.clock.toISOString(),
      call: scrub(call),
      expect,
      exchanges: recording.exchanges,
      outcome: scrub(normaliseOutcome(outcome, recording.sent)),
      logs: this.logs.map((line) => this.secrets.scrub(withInteractionPlaceholders(line, recording.sent))),
      ...(sameValueAs === undefined ? {} : { sameValueAs }),
    };
    this.pending = undefined;
    const broken = breaksObExpectation(step.outcome, expect) ?? breaksSameValue(this.steps, step);
    if (broken) throw new Error(`${this.file}, step ${this.steps.length + 1} (${shows}): ${broken}`);
    this.steps.push(step);
    return raw as T;
  }

  /** Consent → the shopper decides at the bank (not through the adapter) → the adapter completes the return. */
  async consent(request: ConsentRequest, decision: 'approve' | 'reject' = 'approve', account = SHOPPER_CURRENT) {
    const { consentId } = await this.step<{ consentId: string }>('the bank records the consent (201, signed)', { value: { reference: request.reference } }, { method: 'createConsent', args: [request] });
    const expectedState = randomBytes(24).toString('base64url');
    const callback = await decideAtBank(await this.adapter.authorizationUrl({ consentId, state: expectedState }), decision, account);
    if (callback.code) this.secrets.name(callback.code, 'code');
    this.before(decision === 'approve' ? 'the shopper approved the consent at the bank' : 'the shopper rejected the consent at the bank');
    return { consentId, expectedState, callback };
  }

  async authorised(request: ConsentRequest, account = SHOPPER_CURRENT): Promise<{ consentId: string; grant: AccountPaymentAuthorization }> {
    const { consentId, expectedState, callback } = await this.consent(request, 'approve', account);
    const result = await this.step<{ authorization: AccountPaymentAuthorization }>(
      "the shopper's code is exchanged for a grant bound to the consent",
      { value: { status: 'authorized' } },
      { method: 'completeAuthorization', args: [{ consentId, expectedState, callback }] },
    );
    return { consentId, grant: result.authorization };
  }

  write(): void {
    const fixture: ObCannedFixture = { scenario: this.scenario, baseUrl: bank.bank.url, adapter: this.settings, steps: this.steps };
    writeFileSync(join(MERIDIAN_FIXTURES, `${this.file}.json`), `${JSON.stringify(fixture, null, 2)}\n`);
    console.log(`${this.file}: ${this.steps.map((s) => JSON.stringify(s.outcome).slice(0, 60)).join(' | ')}`);
  }
}

const grantJson = (grant: AccountPaymentAuthorization, expiresAt = grant.expiresAt): GrantJson => ({
  consentId: grant.consentId,
  accessToken: grant.accessToken(),
  expiresAt: expiresAt.toISOString(),
});

function submission(request: ConsentRequest, consentId: string, grant: GrantJson, idempotencyKey = next('payment-key')): SubmissionJson {
  const { idempotencyKey: _consentKey, ...paymentOrder } = request;
  return { ...paymentOrder, consentId, authorization: grant, idempotencyKey };
}

async function admin(path: string, body?: unknown): Promise<void> {
  const answer = await bank.admin('POST', path, body);
  if (answer.status !== 201 && answer.status !== 200) throw new Error(`Meridian admin ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
}

const approved = (request: ConsentRequest, consentId: string) => ({ value: { status: 'approved', reference: request.reference, consentId } });

/** A paid consent: consent, approval, the payment approved; returns what later steps need. */
async function paid(recording: Recording, amount: number) {
  const request = order(amount);
  const { consentId, grant } = await recording.authorised(request);
  const payment = submission(request, consentId, grantJson(grant));
  await recording.step('the payment is approved (201, ACSC)', approved(request, consentId), { method: 'submitPayment', args: [payment] });
  return { request, consentId, payment, paymentStep: recording.steps.length - 1 };
}

try {
  await bank.admin('DELETE', '/admin/faults');
  await bank.admin('DELETE', '/admin/scenarios');

  {
    const r = new Recording('payment-approved', 'consent → approval → payment approved; the consent is then consumed and the look-up by id answers the same payment');
    const request = order(1250);
    const { consentId, grant } = await r.authorised(request);
    await r.step('an approved consent not yet paid is authorized', { value: 'authorized' }, { method: 'consentState', args: [consentId] });
    await r.step('an authorised consent not yet paid has no payment (null: safe to submit)', { value: null }, { method: 'lookupPayment', args: [{ reference: request.reference, consentId }] });
    const payment = submission(request, consentId, grantJson(grant));
    const result = await r.step<{ bankPaymentId: string }>('the payment is approved (201, ACSC)', approved(request, consentId), { method: 'submitPayment', args: [payment] });
    const paidStep = r.steps.length - 1;
    await r.step('a paid consent is consumed', { value: 'consumed' }, { method: 'consentState', args: [consentId] });
    await r.step('the look-up by the bank payment id answers the same payment', approved(request, consentId), {
      method: 'lookupPayment',
      args: [{ reference: request.reference, consentId, bankPaymentId: result.bankPaymentId }],
    }, paidStep);
    r.write();
  }

  {
    const r = new Recording('consent-rejected', 'the shopper rejects at the bank: a consent_rejected value; the bank shows the consent rejected and the look-up says so');
    const request = order(990);
    const { consentId, expectedState, callback } = await r.consent(request, 'reject');
    await r.step('access_denied on the return is declined consent_rejected (no call to the bank)', { value: { status: 'declined', code: 'consent_rejected' } }, {
      method: 'completeAuthorization',
      args: [{ consentId, expectedState, callback }],
    });
    await r.step('the consent is rejected at the bank', { value: 'rejected' }, { method: 'consentState', args: [consentId] });
    await r.step('the look-up of a rejected consent is declined consent_rejected', { value: { status: 'declined', code: 'consent_rejected', bankPaymentId: null } }, {
      method: 'lookupPayment',
      args: [{ reference: request.reference, consentId }],
    });
    r.write();
  }

  {
    const r = new Recording('insufficient-funds', 'RJCT with reason AM04 is declined insufficient_funds, with the bank payment id');
    const request = order(100);
    const { consentId, grant } = await r.authorised(request);
    await admin('/admin/scenarios', { kind: 'insufficient_funds' });
    r.before('Meridian scenario insufficient_funds');
    await r.step('the payment is declined insufficient_funds (201, RJCT AM04)', { value: { status: 'declined', code: 'insufficient_funds' } }, {
      method: 'submitPayment',
      args: [submission(request, consentId, grantJson(grant))],
    });
    r.write();
  }

  {
    const r = new Recording('pending-then-settled', 'ACSP is pending, still pending by look-up, then approved by look-up once settled');
    const request = order(450);
    const { consentId, grant } = await r.authorised(request);
    await admin('/admin/scenarios', { kind: 'pending_then_settled' });
    r.before('Meridian scenario pending_then_settled');
    const result = await r.step<{ bankPaymentId: string }>('the payment is pending (201, ACSP)', { value: { status: 'pending', reference: request.reference } }, {
      method: 'submitPayment',
      args: [submission(request, consentId, grantJson(grant))],
    });
    const lookup: ObCannedCall = { method: 'lookupPayment', args: [{ reference: request.reference, consentId, bankPaymentId: result.bankPaymentId }] };
    await r.step('the look-up still shows it pending', { value: { status: 'pending' } }, lookup, 2);
    await admin(`/admin/payments/${result.bankPaymentId}/settle`);
    r.before('the bank settled the payment');
    await r.step('the look-up shows it approved (ACSC)', approved(request, consentId), lookup);
    r.write();
  }

  for (const [kind, file, what] of [
    ['drop_after', 'lost-answer-drop-after', 'the connection dropped after the bank booked'],
    ['error_after', 'error-after-booking', 'a signed 500 U000 after the bank booked'],
    ['bad_gateway_after', 'bad-gateway-after-booking', "a proxy's 502 HTML page after the bank booked"],
    ['garbled_after', 'garbled-after-booking', 'half the JSON, unsigned, after the bank booked'],
  ] as const) {
    const r = new Recording(file, `${what}: an unknown outcome (BankTransportError, never a decline); the look-up replays the submission and finds the one payment`);
    const request = order(333);
    const { consentId, grant } = await r.authorised(request);
    const payment = submission(request, consentId, grantJson(grant));
    await admin('/admin/faults', { route: 'payment', kind, count: 1 });
    r.before(`Meridian fault ${kind} on the payment`);
    await r.step(`${what}: BankTransportError`, { error: 'BankTransportError' }, { method: 'submitPayment', args: [payment] });
    const found = r.steps.length;
    await r.step('the look-up sees the consent paid and replays the submission with its key: approved', approved(request, consentId), {
      method: 'lookupPayment',
      args: [{ reference: request.reference, consentId, submission: payment }],
    });
    await r.step('the same submission again answers the same payment', approved(request, consentId), { method: 'submitPayment', args: [payment] }, found);
    r.write();
  }

  {
    const r = new Recording('error-before-booking', 'a 500 before the bank booked is unknown too; the look-up shows nothing paid (null) and the retry pays');
    const request = order(202);
    const { consentId, grant } = await r.authorised(request);
    const payment = submission(request, consentId, grantJson(grant));
    await admin('/admin/faults', { route: 'payment', kind: 'error_before', count: 1 });
    r.before('Meridian fault error_before on the payment');
    await r.step('a signed 500 U000: BankTransportError', { error: 'BankTransportError' }, { method: 'submitPayment', args: [payment] });
    await r.step('the consent is not paid: null (safe to submit again)', { value: null }, { method: 'lookupPayment', args: [{ reference: request.reference, consentId, submission: payment }] });
    await r.step('the retry with the same key is approved', approved(request, consentId), { method: 'submitPayment', args: [payment] });
    r.write();
  }

  {
    const r = new Recording('replay-same-key', 'the same submission again (same x-idempotency-key) answers the same payment');
    const { request, consentId, payment, paymentStep } = await paid(r, 700);
    await r.step('the replay answers the same payment', approved(request, consentId), { method: 'submitPayment', args: [payment] }, paymentStep);
    r.write();
  }

  {
    const r = new Recording('paid-consent-u029', 'a new key on a paid consent is 409 U029 naming the payment: the adapter looks it up and answers it');
    const { request, consentId, payment, paymentStep } = await paid(r, 701);
    await r.step('409 U029 → GET the named payment → the same payment', approved(request, consentId), {
      method: 'submitPayment',
      args: [{ ...payment, idempotencyKey: next('payment-key') }],
    }, paymentStep);
    r.write();
  }

  {
    const r = new Recording('consent-expired-code-used', "a code already exchanged (400 invalid_grant) is declined consent_expired: ask the shopper to approve again");
    const request = order(600);
    const { consentId, expectedState, callback } = await r.consent(request);
    const complete: ObCannedCall = { method: 'completeAuthorization', args: [{ consentId, expectedState, callback }] };
    await r.step("the shopper's code is exchanged for a grant", { value: { status: 'authorized' } }, complete);
    await r.step('the same code again is declined consent_expired', { value: { status: 'declined', code: 'consent_expired' } }, complete);
    r.write();
  }

  {
    const r = new Recording('consent-expired-grant', "a grant that has expired (by the adapter's clock) is declined consent_expired without calling the bank; the consent stays authorised");
    const request = order(601);
    const { consentId, grant } = await r.authorised(request);
    const stale = grantJson(grant, new Date(Date.now() - 1_000));
    await r.step('declined consent_expired, nothing sent', { value: { status: 'declined', code: 'consent_expired', bankPaymentId: null } }, {
      method: 'submitPayment',
      args: [submission(request, consentId, stale)],
    });
    await r.step('the consent is still authorised: nothing was sent', { value: 'authorized' }, { method: 'consentState', args: [consentId] });
    r.write();
  }

  {
    const r = new Recording('bad-client-key', "a key that is not the one at the wallet's JWKS: the bank refuses the client (401 invalid_client), a BankConfigurationError", 'unregistered');
    await r.step('BankConfigurationError before any consent', { error: 'BankConfigurationError' }, { method: 'createConsent', args: [order()] });
    r.write();
  }

  const failures = await bank.admin('GET', '/admin/validation-failures');
  if (failures.body.failures.length > 0) throw new Error(`Meridian sent answers that break the standard: ${JSON.stringify(failures.body.failures).slice(0, 500)}`);
} finally {
  await bank.stop();
}

