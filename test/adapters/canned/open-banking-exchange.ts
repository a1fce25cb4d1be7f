/**
 * Canned fixtures for an Open Banking bank (an `AccountPaymentAdapter`, e.g. Meridian): a scenario is a few adapter
 * calls in order (consent → the shopper's return → payment → look-ups), each with the HTTP exchanges it made, what
 * it must show (stated by the recording script) and what the adapter made of it.
 *
 * What changes on every run is not recorded as such, it is checked:
 * - fresh per request (x-fapi-interaction-id, x-jws-signature, the client assertion's jti and signature): the
 *   canned fetch checks the adapter sent them, well formed and signed by the wallet key the fixture names; the
 *   interaction ids the adapter quotes in messages and logs are replaced by `<interaction #k>` (k: the k-th request
 *   of the step), so a message quoting another call's id fails the replay;
 * - the clock: each step records the time the adapter saw (`at`); the replay runs the adapter at that time;
 * - secrets: the bank's access tokens and the shopper's code are replaced by placeholders (`canned-client-token-1`,
 *   `canned-shopper-token-1`, `canned-code-1`) in the token answers (not signed by the bank) and everywhere they
 *   travel, and the canned fetch checks each call carried the right one. Signed answers are kept byte for byte,
 *   with the bank's signature and its JWKS answer.
 */
import type {
  AccountPaymentAdapter,
  AuthorizationCallback,
  ConsentRequest,
  PaymentLookup,
  PaymentSubmission,
} from '../../../server/adapters/open-banking/account-payment-adapter.ts';
import { BankAccessGrant } from '../../../server/adapters/open-banking/bank-access-grant.ts';

export interface ObRecordedRequest {
  method: 'GET' | 'POST';
  /** Relative to the bank's base URL, e.g. `token`, `jwks`, `open-banking/v4.0/pisp/domestic-payments`. */
  path: string;
  /** The Authorization: Bearer token it carried, by placeholder; null for /token and /jwks. */
  bearer: string | null;
  idempotencyKey: string | null;
  /** The JSON body (API calls). */
  body?: unknown;
  /** The token request's form without `client_assertion` (checked by signature instead). */
  form?: Record<string, string>;
}

export type ObRecordedResponse =
  | {
      status: number;
      /** content-type, x-jws-signature, x-fapi-interaction-id (`<sent>` when it echoed the request's). */
      headers: Record<string, string>;
      body: string;
    }
  | { network: string };

export interface ObRecordedExchange {
  request: ObRecordedRequest;
  response: ObRecordedResponse;
}

/** A grant as a fixture carries it: the token by placeholder. */
export interface GrantJson {
  consentId: string;
  accessToken: string;
  expiresAt: string;
}

export type SubmissionJson = Omit<PaymentSubmission, 'authorization' | 'shopperAuthenticatedAt'> & { authorization: GrantJson };

export type ObCannedCall =
  | { method: 'createConsent'; args: [ConsentRequest] }
  | { method: 'completeAuthorization'; args: [{ consentId: string; expectedState: string; callback: AuthorizationCallback }] }
  | { method: 'consentState'; args: [consentId: string] }
  | { method: 'submitPayment'; args: [SubmissionJson] }
  | { method: 'lookupPayment'; args: [Omit<PaymentLookup, 'submission'> & { submission?: SubmissionJson }] };

export type ObCannedOutcome = { value: unknown } | { error: { name: string; message: string } };

/** What a step must show: the error class, or the value (an object: these fields; else exactly it). */
export type ObCannedExpectation =
  | { error: 'BankTransportError' | 'BankConfigurationError' | 'AuthorizationCallbackError' }
  | { value: Record<string, unknown> | string | null };

export interface ObCannedStep {
  /** What happened before this call, outside the adapter (the shopper at the bank, a fault switched on, …). */
  before?: string;
  /** What this call shows. */
  shows: string;
  /** The adapter's clock during the call. */
  at: string;
  call: ObCannedCall;
  expect: ObCannedExpectation;
  exchanges: ObRecordedExchange[];
  outcome: ObCannedOutcome;
  /** What the adapter logged during the call (interaction ids as `<interaction #k>`). */
  logs: string[];
  /** The value must equal that of step `sameValueAs` (0-based): a replay, a look-up or a 409 U029 answers the same payment. */
  sameValueAs?: number;
}

export interface ObCannedFixture {
  scenario: string;
  /** The bank's base URL when recorded (messages name it). */
  baseUrl: string;
  adapter: {
    clientId: string;
    redirectUri: string;
    timeoutMs: number;
    /** Which test-only key the adapter signed with: a PEM of the fixtures folder (`<key>` → test-only-<key>-key.pem). */
    key: 'wallet' | 'unregistered';
  };
  steps: ObCannedStep[];
}

export function grantOf(json: GrantJson): BankAccessGrant {
  return BankAccessGrant.restore(json);
}

function submissionOf(json: SubmissionJson): PaymentSubmission {
  return { ...json, authorization: grantOf(json.authorization) };
}

/** Makes one adapter call from its JSON description; the outcome as JSON (a grant shows its token as [REDACTED]). */
export async function callAccountAdapter(adapter: AccountPaymentAdapter, call: ObCannedCall): Promise<ObCannedOutcome> {
  try {
    return { value: JSON.parse(JSON.stringify((await invokeAccountAdapter(adapter, call)) ?? null)) };
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    return { error: { name: error.name, message: error.message } };
  }
}

export async function invokeAccountAdapter(adapter: AccountPaymentAdapter, call: ObCannedCall): Promise<unknown> {
  switch (call.method) {
    case 'createConsent':
      return adapter.createConsent(call.args[0]);
    case 'completeAuthorization':
      return adapter.completeAuthorization(call.args[0]);
    case 'consentState':
      return adapter.consentState(call.args[0]);
    case 'submitPayment':
      return adapter.submitPayment(submissionOf(call.args[0]));
    case 'lookupPayment': {
      const { submission, ...query } = call.args[0];
      return adapter.lookupPayment({ ...query, ...(submission ? { submission: submissionOf(submission) } : {}) });
    }
  }
}

/** Whether `outcome` is what `expect` says; a message naming both when not. */
export function breaksObExpectation(outcome: ObCannedOutcome, expect: ObCannedExpectation): string | null {
  const received = JSON.stringify(outcome);
  if ('error' in expect) return 'error' in outcome && outcome.error.name === expect.error ? null : `expected a ${expect.error}, received ${received}`;
  if (!('value' in outcome)) return `expected a value, received ${received}`;
  if (expect.value === null || typeof expect.value !== 'object') {
    return outcome.value === expect.value ? null : `expected ${JSON.stringify(expect.value)}, received ${received}`;
  }
  const value = outcome.value as Record<string, unknown> | null;
  const wrong = Object.entries(expect.value).filter(([key, want]) => JSON.stringify(value?.[key]) !== JSON.stringify(want));
  return wrong.length === 0 ? null : `expected ${JSON.stringify(expect.value)}, received ${received}`;
}

/** Replaces the interaction ids the adapter sent (k-th request of the step: `sent[k - 1]`) by `<interaction #k>`. */
export function withInteractionPlaceholders(text: string, sent: readonly (string | null)[]): string {
  let out = text;
  sent.forEach((id, index) => {
    if (id) out = out.split(id).join(`<interaction #${index + 1}>`);
  });
  return out;
}

/** Checks a step's `sameValueAs`; a message when it breaks. */
export function breaksSameValue(steps: readonly Pick<ObCannedStep, 'outcome'>[], step: Pick<ObCannedStep, 'outcome' | 'sameValueAs'>): string | null {
  if (step.sameValueAs === undefined) return null;
  const earlier = steps[step.sameValueAs]?.outcome;
  return earlier && 'value' in earlier && 'value' in step.outcome && JSON.stringify(earlier.value) === JSON.stringify(step.outcome.value)
    ? null
    : `expected the value of step ${step.sameValueAs + 1} (${JSON.stringify(earlier)}), received ${JSON.stringify(step.outcome)}`;
}

export function normaliseOutcome(outcome: ObCannedOutcome, sent: readonly (string | null)[]): ObCannedOutcome {
  return JSON.parse(withInteractionPlaceholders(JSON.stringify(outcome), sent.map((id) => id && JSON.stringify(id).slice(1, -1))));
}
