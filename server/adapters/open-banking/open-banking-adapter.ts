/**
 * An `AccountPaymentAdapter` for a bank that speaks UK Open Banking Read/Write API v4.0 Payment Initiation
 * (domestic payments), over HTTP. Bank-specific values (endpoints, organisation id, trust anchor, brand, limits)
 * come from the bank's factory, e.g. meridian-bank.ts.
 *
 * How answers map (bank-adapter.ts's rules: only a definite refusal is a decline; anything else is unknown):
 * - An answer counts only when the bank signed it (x-jws-signature against its JWKS); an unsigned or garbled
 *   answer, a 5xx, a timeout or a dropped connection is `BankTransportError`: resolve it by repeating the call
 *   with the same idempotency key or by `lookupPayment` — the bank never pays a consent twice.
 * - Payments: 201 → approved (ACSC/ACCC), pending (ACSP, …) or declined (RJCT; AM04 → insufficient_funds);
 *   409 U029 (the consent was already paid) → the existing payment, looked up by the id the bank names;
 *   400 U009 (the consent is not authorised) → declined consent_expired; any other signed 400/403 (our request
 *   is wrong: a mismatch, a reused key) → `BankConfigurationError`; 401 → unknown (a lookup settles it).
 * - Consents and look-ups: signed 400/403 → `BankConfigurationError`; 401 → a fresh client token, once, then
 *   `BankConfigurationError`.
 * - The shopper's return: access_denied → declined consent_rejected; a used or expired code (invalid_grant) →
 *   declined consent_expired; another state or issuer, or no code → `AuthorizationCallbackError`.
 * Messages never carry a token, code, key or account number; `log` gets one scrubbed line per unknown outcome.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { BankConfigurationError, BankTransportError, type BankBrand } from '../bank-adapter.ts';
import type {
  AccountPaymentAdapter,
  AccountPaymentAuthorization,
  AccountPaymentLimits,
  AccountPaymentResult,
  AuthorizationResult,
  ConsentState,
  PaymentSubmission,
} from './account-payment-adapter.ts';
import { AuthorizationCallbackError } from './authorization-callback-error.ts';
import { BankAccessGrant } from './bank-access-grant.ts';
import { createBankJwksCache } from './bank-jwks-cache.ts';
import { createBankTokenClient } from './bank-token-client.ts';
import { consentExpired } from './consent-expired.ts';
import { checkOrder, consentRequestBody, paymentRequestBody, type PaymentRiskOptions } from './domestic-payment-order.ts';
import { describeAnswer, hasErrorCode, signedObError } from './ob-error-response.ts';
import { createObTransport, type ObAnswer, type ObCall } from './ob-transport.ts';
import { readConsentAnswer, readPaymentAnswer, type Expected } from './read-bank-answers.ts';
import { signRequestObject } from './request-object.ts';
import { BANK_TEXT, quoteRedacted } from '../redact-secrets.ts';
import type { WalletSigningKey } from './wallet-signing-key.ts';

export interface OpenBankingEndpoints {
  /** The bank's issuer: `aud` of request objects, `iss` of the shopper's return (RFC 9207). */
  issuer: string;
  /** e.g. `https://bank.example/open-banking/v4.0/pisp` */
  apiRoot: string;
  tokenEndpoint: string;
  authorizationEndpoint: string;
  jwksUrl: string;
}

export interface OpenBankingAdapterOptions {
  id: string;
  /** The bank's name in messages and logs. */
  name: string;
  brand: BankBrand;
  limits: AccountPaymentLimits;
  endpoints: OpenBankingEndpoints;
  /** The bank's `http://openbanking.org.uk/iss` on its answers. */
  bankOrganisationId: string;
  /** `http://openbanking.org.uk/tan`, both ways. */
  trustAnchor: string;
  clientId: string;
  signingKey: WalletSigningKey;
  /** The redirect URI registered with the bank, used unless a call names another. */
  redirectUri: string;
  risk?: PaymentRiskOptions;
  timeoutMs?: number;
  log?: (line: string) => void;
  /**
   * Every HTTP call the adapter makes (token, consents, payments, look-ups, the bank's JWKS) goes through it;
   * default the global fetch. Tests replay recorded answers through it (test/adapters/meridian-bank.canned.test.ts).
   */
  fetch?: typeof fetch;
  /**
   * The adapter's clock: signature times (ours and the check of the bank's), token and grant expiry, the JWKS
   * cache, x-fapi-auth-date; default the system clock. A replay runs at the time the answers were recorded.
   */
  now?: () => Date;
}

/** `... DomesticPaymentId pmt_abc; ...` in a 409 U029 message (the standard has no field for it). */
const PAID_BY = /DomesticPaymentId\s+([A-Za-z0-9_-]{1,40})/;

export function createOpenBankingAdapter(options: OpenBankingAdapterOptions): AccountPaymentAdapter {
  const { id, name: bank, endpoints, clientId, signingKey, risk = {}, timeoutMs = 10_000, log = () => {} } = options;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new BankConfigurationError(`${bank}: expected timeoutMs to be a positive integer, received ${String(timeoutMs)}`);
  for (const [what, url] of Object.entries({ ...endpoints, redirectUri: options.redirectUri })) {
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new BankConfigurationError(`${bank}: expected ${what} to be an http(s) URL, received ${JSON.stringify(url)}`);
  }
  const { fetch: fetchImpl, now = () => new Date() } = options;
  const jwks = createBankJwksCache(endpoints.jwksUrl, timeoutMs, bank, { fetch: fetchImpl, now });
  const tokens = createBankTokenClient({ tokenEndpoint: endpoints.tokenEndpoint, clientId, key: signingKey, timeoutMs, bank, fetch: fetchImpl, now });
  const transport = createObTransport({
    apiRoot: endpoints.apiRoot,
    clientId,
    key: signingKey,
    trustAnchor: options.trustAnchor,
    bankSignature: { issuer: options.bankOrganisationId, trustAnchor: options.trustAnchor },
    jwks,
    timeoutMs,
    bank,
    fetch: fetchImpl,
    now,
  });

  /** Logs and returns the error for an outcome we cannot know. */
  const unknown = (what: string, why: string, secrets: readonly (string | undefined)[] = []): BankTransportError => {
    const message = `${bank}: ${what}: ${quoteRedacted(why, secrets, { ...BANK_TEXT, max: 600 })}; the outcome is unknown — look the payment up, never pay again`;
    log(message);
    return new BankTransportError(message);
  };
  const misconfigured = (what: string, answer: ObAnswer, expected: string, secrets: readonly (string | undefined)[] = []) =>
    new BankConfigurationError(`${bank}: ${what}: expected ${expected}, received ${describeAnswer(answer, secrets)}`);

  /** A call with the client-credentials token: a 401 fetches a fresh token once (safe: same idempotency key). */
  async function clientCall(call: Omit<ObCall, 'token'>): Promise<ObAnswer> {
    let token = await tokens.clientToken();
    let answer = await sendOrExplain({ ...call, token });
    if (answer.status === 401) {
      tokens.forget(token);
      token = await tokens.clientToken();
      answer = await sendOrExplain({ ...call, token });
      if (answer.status === 401) throw misconfigured(call.what, answer, 'the bank to accept a fresh client_credentials token');
    }
    return answer;
  }

  async function sendOrExplain(call: ObCall): Promise<ObAnswer> {
    try {
      return await transport(call);
    } catch (error) {
      if (error instanceof BankTransportError) log(quoteRedacted(error.message, [call.token], { ...BANK_TEXT, max: 600 }));
      throw error;
    }
  }

  async function getPayment(paymentId: string, expected: Expected): Promise<AccountPaymentResult | null> {
    const what = `GET /domestic-payments/${paymentId}`;
    const answer = await clientCall({ method: 'GET', path: `/domestic-payments/${encodeURIComponent(paymentId)}`, what });
    if (answer.status === 200 && answer.signatureProblem === null) {
      const read = readPaymentAnswer(answer.body, expected);
      if ('value' in read) return read.value;
      throw unknown(what, read.problem);
    }
    const error = signedObError(answer);
    if (error && answer.status === 400 && hasErrorCode(error, 'U011')) return null;
    if (error && (answer.status === 400 || answer.status === 403)) throw misconfigured(what, answer, 'HTTP 200 with the payment');
    throw unknown(what, describeAnswer(answer));
  }

  async function readConsent(consentId: string, expected: Expected = {}) {
    const what = `GET /domestic-payment-consents/${consentId}`;
    const answer = await clientCall({ method: 'GET', path: `/domestic-payment-consents/${encodeURIComponent(consentId)}`, what });
    if (answer.status === 200 && answer.signatureProblem === null) {
      const read = readConsentAnswer(answer.body, { ...expected, consentId });
      if ('value' in read) return read.value;
      throw unknown(what, read.problem);
    }
    if (signedObError(answer) && (answer.status === 400 || answer.status === 403)) throw misconfigured(what, answer, 'HTTP 200 with one of our consents');
    throw unknown(what, describeAnswer(answer));
  }

  /** POST /domestic-payments, with the shopper's grant; also the replay of a submission whose answer was lost. */
  async function postPayment(submission: PaymentSubmission): Promise<AccountPaymentResult> {
    const what = `POST /domestic-payments (consent ${submission.consentId}, reference ${submission.reference})`;
    const token = submission.authorization.accessToken();
    const expected: Expected = { consentId: submission.consentId, reference: submission.reference, amount: submission.amount, currency: submission.currency };
    const answer = await sendOrExplain({
      method: 'POST',
      path: '/domestic-payments',
      token,
      body: JSON.stringify(paymentRequestBody(submission.consentId, submission, risk)),
      idempotencyKey: submission.idempotencyKey,
      authDate: submission.shopperAuthenticatedAt,
      what,
    });
    const secrets = [token];
    if ((answer.status === 201 || answer.status === 200) && answer.signatureProblem === null) {
      const read = readPaymentAnswer(answer.body, expected);
      if ('value' in read) return read.value;
      throw unknown(what, read.problem, secrets);
    }
    const error = signedObError(answer);
    if (error && answer.status === 409 && hasErrorCode(error, 'U029')) {
      // The consent was paid already (by this submission, its answer lost, or by another key): that payment is the answer.
      const paymentId = error.Errors.map((e) => PAID_BY.exec(e.Message)?.[1]).find(Boolean);
      if (!paymentId) throw unknown(what, `HTTP 409 U029 without the DomesticPaymentId: ${describeAnswer(answer, secrets)}`, secrets);
      const existing = await getPayment(paymentId, expected);
      if (!existing) throw unknown(what, `HTTP 409 U029 named payment ${paymentId}, which the bank does not show`, secrets);
      return existing;
    }
    if (error && answer.status === 400 && hasErrorCode(error, 'U009')) {
      return consentExpired(submission, `The bank no longer accepts this consent for payment (U009); ask the shopper to approve a new one.`);
    }
    if (error && (answer.status === 400 || answer.status === 403)) throw misconfigured(what, answer, 'HTTP 201 with the payment', secrets);
    throw unknown(what, describeAnswer(answer, secrets), secrets);
  }

  /** The submission's grant when it is still live (5 s to spare); `null` when it has expired. */
  const grantOf = (submission: PaymentSubmission): AccountPaymentAuthorization | null => {
    const grant = submission.authorization;
    if (grant.consentId !== submission.consentId) {
      throw new BankConfigurationError(`${bank}: expected the shopper's grant for consent ${submission.consentId}, received one for ${grant.consentId}`);
    }
    const live = grant.expiresAt.getTime() - 5_000 > now().getTime();
    return live ? grant : null;
  };

  return {
    id,
    limits: options.limits,
    refunds: 'not_supported',

    async brand() {
      return options.brand;
    },

    async createConsent(request) {
      checkOrder(request, options.limits, bank);
      const what = `POST /domestic-payment-consents (reference ${request.reference})`;
      const answer = await clientCall({
        method: 'POST',
        path: '/domestic-payment-consents',
        body: JSON.stringify(consentRequestBody(request, risk)),
        idempotencyKey: request.idempotencyKey,
        authDate: request.shopperAuthenticatedAt,
        what,
      });
      if ((answer.status === 201 || answer.status === 200) && answer.signatureProblem === null) {
        // A replay answers the consent as it is now (perhaps authorised or paid since): the same consent either way.
        const read = readConsentAnswer(answer.body, { reference: request.reference, amount: request.amount, currency: request.currency });
        if ('value' in read) return { consentId: read.value.consentId, reference: request.reference };
        throw unknown(what, read.problem);
      }
      if (signedObError(answer) && (answer.status === 400 || answer.status === 403)) throw misconfigured(what, answer, 'HTTP 201 with a consent');
      throw unknown(what, describeAnswer(answer));
    },

    async authorizationUrl({ consentId, state, redirectUri = options.redirectUri }) {
      if (!state || state.length < 16) throw new BankConfigurationError(`${bank}: expected an unguessable state of at least 16 characters, received ${state ? state.length : 'none'}`);
      const request = signRequestObject(signingKey, { clientId, audience: endpoints.issuer, redirectUri, consentId, state }, now());
      const url = new URL(endpoints.authorizationEndpoint);
      url.search = new URLSearchParams({ client_id: clientId, response_type: 'code', scope: 'openid payments', request }).toString();
      return url.toString();
    },

    async completeAuthorization({ consentId, expectedState, callback, redirectUri = options.redirectUri }): Promise<AuthorizationResult> {
      if (!sameSecret(callback.state, expectedState)) throw new AuthorizationCallbackError(`${bank}: expected the state sent with consent ${consentId}, received another`);
      if (callback.iss !== undefined && callback.iss !== endpoints.issuer) {
        throw new AuthorizationCallbackError(`${bank}: expected iss ${endpoints.issuer}, received ${JSON.stringify(callback.iss.slice(0, 200))}`);
      }
      if (callback.error !== undefined) {
        const said = quoteRedacted(`${callback.error}${callback.error_description ? `: ${callback.error_description}` : ''}`, [], { ...BANK_TEXT, max: 200 });
        if (callback.error === 'access_denied') return { status: 'declined', consentId, code: 'consent_rejected', message: `The shopper or the bank refused the payment (${said}).` };
        throw unknown(`the shopper's return for consent ${consentId}`, `error ${said}`);
      }
      if (!callback.code) throw new AuthorizationCallbackError(`${bank}: expected a code or an error on the shopper's return for consent ${consentId}, received neither`);
      const exchange = await tokens.exchangeCode(callback.code, redirectUri);
      if (exchange.status === 'invalid_grant') {
        return { status: 'declined', consentId, code: 'consent_expired', message: `The bank no longer accepts this approval (${exchange.message}); ask the shopper to approve again.` };
      }
      if (exchange.consentId !== null && exchange.consentId !== consentId) {
        throw new AuthorizationCallbackError(`${bank}: expected a code for consent ${consentId}, received one for ${exchange.consentId}`);
      }
      return { status: 'authorized', authorization: new BankAccessGrant(consentId, exchange.accessToken, exchange.expiresAt) };
    },

    async consentState(consentId): Promise<ConsentState> {
      return (await readConsent(consentId)).state;
    },

    async submitPayment(submission) {
      checkOrder(submission, options.limits, bank);
      if (!grantOf(submission)) {
        return consentExpired(submission, `The shopper's approval expired at ${submission.authorization.expiresAt.toISOString()} before the payment was sent; nothing was sent.`);
      }
      return postPayment(submission);
    },

    async lookupPayment({ reference, consentId, bankPaymentId, submission }) {
      if (bankPaymentId) {
        const payment = await getPayment(bankPaymentId, { consentId, reference });
        if (payment) return payment;
      }
      const consent = await readConsent(consentId, { reference });
      switch (consent.state) {
        case 'awaiting_authorization':
        case 'authorized':
          return null;
        case 'rejected':
          return { status: 'declined', bankPaymentId: null, consentId, reference, code: 'consent_rejected', message: `The bank shows the consent rejected${consent.reason ? ` (${consent.reason})` : ''}.` };
        case 'consumed':
          if (submission && submission.consentId === consentId && submission.reference === reference && grantOf(submission)) return postPayment(submission);
          throw unknown(
            `look-up of reference ${reference}`,
            `consent ${consentId} was paid, but the payment's id is unknown and ${submission ? "the shopper's grant has expired" : 'no submission was given to replay'}; the bank shows the payment by reference ${reference}`,
          );
      }
    },
  };
}

function sameSecret(received: string | undefined, expected: string): boolean {
  if (received === undefined || !expected) return false;
  const hash = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(hash(received), hash(expected));
}
