/**
 * What the wallet frame does, as plain HTTP calls against a test wallet: the
 * shopper API under /api/frame, driven by a software authenticator.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type {
  ConfirmOptionsResponse,
  PaymentTerms,
  QuoteResponse,
  RegistrationOptionsResponse,
  SavedCard,
  SessionResponse,
  SignInOptionsResponse,
} from '../../widget/shopper-api.ts';
import type { CeremonyContext, SoftwareAuthenticator } from './software-authenticator.ts';
import type { TestWallet } from './wallet-harness.ts';

export function bearer(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** The ceremony context of a frame embedded on the merchant page. */
export function inFrame(wallet: TestWallet, overrides: Partial<CeremonyContext> = {}): CeremonyContext {
  return { origin: wallet.url, topOrigin: wallet.merchantOrigin, ...overrides };
}

export async function createIntent(wallet: TestWallet, amount = 1999, currency = 'USD'): Promise<{ id: string; client_secret: string }> {
  const res = await wallet.request('POST', '/v1/payment_intents', { amount, currency, description: 'Test order' }, {
    authorization: `Bearer ${wallet.secretKey}`,
  });
  assert.equal(res.status, 201, await res.clone().text());
  return res.json();
}

export async function getIntent(wallet: TestWallet, id: string) {
  const res = await wallet.request('GET', `/v1/payment_intents/${id}`, undefined, { authorization: `Bearer ${wallet.secretKey}` });
  assert.equal(res.status, 200);
  return res.json();
}

export async function register(
  wallet: TestWallet,
  authenticator: SoftwareAuthenticator,
  clientSecret: string,
  email: string,
  ctx: Partial<CeremonyContext> = {},
): Promise<Response> {
  const optionsRes = await wallet.request('POST', '/api/frame/registrations/options', { client_secret: clientSecret, email });
  assert.equal(optionsRes.status, 200, await optionsRes.clone().text());
  const { challengeId, options } = (await optionsRes.json()) as RegistrationOptionsResponse;
  const response = authenticator.createCredential(options, inFrame(wallet, ctx));
  return wallet.request('POST', '/api/frame/registrations', { client_secret: clientSecret, challenge_id: challengeId, response });
}

export async function registerShopper(
  wallet: TestWallet,
  authenticator: SoftwareAuthenticator,
  clientSecret: string,
  email: string,
): Promise<SessionResponse> {
  const res = await register(wallet, authenticator, clientSecret, email);
  assert.equal(res.status, 201, await res.clone().text());
  return res.json();
}

export async function signIn(
  wallet: TestWallet,
  authenticator: SoftwareAuthenticator,
  clientSecret: string,
  ctx: Partial<CeremonyContext> = {},
): Promise<Response> {
  const optionsRes = await wallet.request('POST', '/api/frame/sessions/options', { client_secret: clientSecret });
  assert.equal(optionsRes.status, 200, await optionsRes.clone().text());
  const { challengeId, options } = (await optionsRes.json()) as SignInOptionsResponse;
  const response = authenticator.getAssertion(options, inFrame(wallet, ctx));
  return wallet.request('POST', '/api/frame/sessions', { client_secret: clientSecret, challenge_id: challengeId, response });
}

/** POST /api/frame/cards; kept (`save: true`) unless the test asks for a one-time card. */
export async function addCard(wallet: TestWallet, sessionToken: string, number = '4242424242424242', save = true): Promise<SavedCard & { saved: boolean }> {
  const res = await wallet.request(
    'POST',
    '/api/frame/cards',
    { number, exp_month: 12, exp_year: new Date().getFullYear() + 3, cvc: '123', name: 'Ada Lovelace', save },
    bearer(sessionToken),
  );
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()).card;
}

/** POST /api/frame/quotes: the terms of paying with the card, as the confirm screen shows them. */
export function requestQuote(wallet: TestWallet, clientSecret: string, cardId: string, sessionToken?: string): Promise<Response> {
  return wallet.request('POST', '/api/frame/quotes', { client_secret: clientSecret, card_id: cardId }, bearer(sessionToken));
}

export async function quoteTerms(wallet: TestWallet, clientSecret: string, cardId: string, sessionToken?: string): Promise<PaymentTerms> {
  const res = await requestQuote(wallet, clientSecret, cardId, sessionToken);
  assert.equal(res.status, 200, await res.clone().text());
  return ((await res.json()) as QuoteResponse).terms;
}

/**
 * POST /api/frame/confirmations/options for the card's terms, as the frame sends it: with `quoteId`, or (without
 * one) after fetching the card's terms first. The raw response, for tests about refusals.
 */
export async function requestConfirmationOptions(
  wallet: TestWallet,
  clientSecret: string,
  cardId: string,
  sessionToken?: string,
  quoteId?: string,
): Promise<Response> {
  const quote_id = quoteId ?? (await quoteTerms(wallet, clientSecret, cardId, sessionToken)).quoteId;
  return wallet.request('POST', '/api/frame/confirmations/options', { client_secret: clientSecret, card_id: cardId, quote_id }, bearer(sessionToken));
}

export async function confirmationOptions(
  wallet: TestWallet,
  clientSecret: string,
  cardId: string,
  sessionToken?: string,
  quoteId?: string,
): Promise<ConfirmOptionsResponse> {
  const res = await requestConfirmationOptions(wallet, clientSecret, cardId, sessionToken, quoteId);
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

export function sendConfirmation(
  wallet: TestWallet,
  clientSecret: string,
  challengeId: string,
  response: unknown,
  sessionToken?: string,
): Promise<Response> {
  return wallet.request('POST', '/api/frame/confirmations', { client_secret: clientSecret, challenge_id: challengeId, response }, bearer(sessionToken));
}

/**
 * Terms with their challenge → passkey assertion → confirm, as the Pay button does: the challenge that came with the
 * terms (`QuoteResponse.confirmation`), no `/confirmations/options`.
 */
export async function payWithTermsChallenge(
  wallet: TestWallet,
  authenticator: SoftwareAuthenticator,
  clientSecret: string,
  cardId: string,
  sessionToken?: string,
): Promise<Response> {
  const res = await requestQuote(wallet, clientSecret, cardId, sessionToken);
  assert.equal(res.status, 200, await res.clone().text());
  const { confirmation } = (await res.json()) as QuoteResponse;
  assert.ok(confirmation, 'expected the terms to come with a challenge');
  const response = authenticator.getAssertion(confirmation.options, inFrame(wallet));
  return sendConfirmation(wallet, clientSecret, confirmation.challengeId, response, sessionToken);
}

/**
 * Terms → options → passkey assertion → confirm, as the Pay button does once the challenge that came with the terms
 * is used up (a refused prompt, a second press).
 */
export async function pay(
  wallet: TestWallet,
  authenticator: SoftwareAuthenticator,
  clientSecret: string,
  cardId: string,
  sessionToken?: string,
  ctx: Partial<CeremonyContext> = {},
): Promise<Response> {
  const { challengeId, options } = await confirmationOptions(wallet, clientSecret, cardId, sessionToken);
  const response = authenticator.getAssertion(options, inFrame(wallet, ctx));
  return sendConfirmation(wallet, clientSecret, challengeId, response, sessionToken);
}

export async function expectError(res: Response, status: number, code: string): Promise<void> {
  const text = await res.text();
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status} ${text}`);
  assert.equal(JSON.parse(text).error?.code, code, text);
}

/**
 * The same wallet as seen by a client at another address: requests leave from `localAddress` (any 127.x.y.z
 * reaches the loopback listener on Linux), so the server sees a different TCP peer — as rate limits key by.
 */
export function fromAddress(wallet: TestWallet, localAddress: string): TestWallet {
  return {
    ...wallet,
    get url() {
      return wallet.url;
    },
    request(method, pathname, body, headers = {}) {
      const url = new URL(pathname, wallet.url);
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      return new Promise<Response>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port: url.port,
            path: `${url.pathname}${url.search}`,
            method,
            localAddress,
            headers: { host: url.host, ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('error', reject);
            res.on('end', () => {
              const status = res.statusCode ?? 0;
              const responseHeaders = new Headers();
              for (const [name, value] of Object.entries(res.headers)) {
                for (const one of [value ?? []].flat()) responseHeaders.append(name, one);
              }
              resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers: responseHeaders }));
            });
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    },
  };
}
