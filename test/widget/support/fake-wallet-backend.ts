/**
 * Stand-ins for what the wallet frame talks to, handed to it as its collaborators (nothing global is patched):
 * `/api/frame/*` answered by a routing table through the real `WalletApi` (each answer may wait on a `Deferred`),
 * passkey ceremonies held until the test says, the loader's channel (its `init`, and a record of what the frame posts).
 * The device cache is the real IndexedDB one.
 */
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/browser';
import type { FrameToParentMessage, ParentToFrameMessage } from '../../../widget/protocol.ts';
import type { PaymentTerms } from '../../../widget/shopper-api.ts';
import { WalletApi, type Fetch } from '../../../widget/frame/api/wallet-api.ts';
import type { OutgoingMessage, Passkeys } from '../../../widget/frame/app/flow-deps.ts';
import type { WalletDeps } from '../../../widget/frame/app/paykey-wallet.ts';
import { CLIENT_SECRET, brandsView, checkoutAnswer, checkoutView } from './fixtures.ts';

export class Deferred<T = void> {
  resolve!: (value: T) => void;
  reject!: (reason: unknown) => void;
  readonly promise = new Promise<T>((resolve, reject) => Object.assign(this, { resolve, reject }));
}

/** An answer with an error status and the API's `{ error: { code, message } }` body. */
export class ApiFailure {
  constructor(readonly status: number, readonly code: string, readonly message = code) {}
}

/** One request as the backend saw it. */
export interface SeenRequest {
  method: string;
  /** Under `/api/frame`, with its query. */
  path: string;
  headers: Headers;
  body: Record<string, unknown> | null;
}

const requestOptions = { challengeId: 'ch_1', options: { challenge: 'AAAA', allowCredentials: [], userVerification: 'required' } };

/** Terms of paying `checkoutView` with `cardId`: no fee, no exchange, valid for ten minutes (override any field). */
export const termsFor = (cardId: string, overrides: Partial<PaymentTerms> = {}): PaymentTerms => ({
  quoteId: `quo_${cardId}`,
  cardId,
  amount: checkoutView.amount,
  currency: checkoutView.currency,
  fee: 0,
  fx: null,
  debit: { amount: checkoutView.amount, currency: checkoutView.currency, currencyDigits: checkoutView.currencyDigits },
  expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
  offer: null,
  ...overrides,
});

/**
 * A JSON body, an `ApiFailure`, a raw `Response` (say, a proxy's HTML error page), or a function of the request giving
 * one (a thrown error is a lost answer: `fetch` rejects). Keys: the path for POST (`/cards`), else `METHOD /path`
 * (`DELETE /cards/card_1`, `GET /payments?limit=20`).
 */
type Answer = unknown | ((request: SeenRequest) => unknown | Promise<unknown>);

const assertion: AuthenticationResponseJSON = {
  id: 'AQID', rawId: 'AQID', type: 'public-key', authenticatorAttachment: 'platform', clientExtensionResults: {},
  response: { authenticatorData: 'AQID', clientDataJSON: 'AQID', signature: 'AQID', userHandle: 'AQID' },
};
const attestation: RegistrationResponseJSON = {
  id: 'AQID', rawId: 'AQID', type: 'public-key', authenticatorAttachment: 'platform', clientExtensionResults: {},
  response: { attestationObject: 'AQID', clientDataJSON: 'AQID', transports: ['internal'] },
};

/** The fake backend; `deps` are what the wallet element or the checkout flow take. */
export function installFakeBackend(routes: Record<string, Answer> = {}) {
  const calls: Record<string, number> = {};
  const table: Record<string, Answer> = {
    '/checkout': checkoutAnswer,
    'GET /brands': brandsView,
    '/sessions/options': requestOptions,
    '/registrations/options': requestOptions,
    '/confirmations/options': requestOptions,
    '/quotes': (request: SeenRequest) => ({ terms: termsFor(String(request.body?.card_id)) }),
    ...routes,
  };
  /** Every request, in order. */
  const requests: SeenRequest[] = [];
  const fetcher: Fetch = async (input, init) => {
    const path = input.replace(/^\/api\/frame/, '');
    const method = init.method ?? 'GET';
    const key = method === 'POST' ? path : `${method} ${path}`;
    calls[key] = (calls[key] ?? 0) + 1;
    const request: SeenRequest = { method, path, headers: new Headers(init.headers), body: init.body ? JSON.parse(String(init.body)) : null };
    requests.push(request);
    const answer = table[key];
    if (answer === undefined) return new Response(JSON.stringify({ error: { code: 'not_found', message: key } }), { status: 404 });
    const body = typeof answer === 'function' ? await (answer as (r: SeenRequest) => unknown)(request) : answer;
    if (body instanceof Response) return body;
    if (body instanceof ApiFailure) {
      return new Response(JSON.stringify({ error: { code: body.code, message: body.message } }), { status: body.status });
    }
    if (body === null) return new Response(null, { status: 204 });
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };

  /** Each passkey ceremony waits on the next deferred the test hands out (rejecting one is the shopper's refusal). */
  const passkeys: Deferred[] = [];
  const ceremony = async <T>(result: T) => {
    const wait = new Deferred();
    passkeys.push(wait);
    await wait.promise;
    return result;
  };
  let warmed = 0;
  const webauthn: Passkeys = {
    warm: () => void warmed++,
    authenticate: () => ceremony(assertion),
    register: () => ceremony(attestation),
  };

  /** What the frame posts to the loader. */
  const posted: FrameToParentMessage[] = [];
  let onInit: ((message: ParentToFrameMessage) => void) | undefined;
  const channel = {
    post(message: OutgoingMessage) {
      posted.push({ paykey: 1, ...message } as FrameToParentMessage);
    },
    onInit(handler: (message: ParentToFrameMessage) => void) {
      onInit = handler;
      return () => (onInit = undefined);
    },
  };

  const deps = {
    api: new WalletApi('/api/frame', fetcher),
    channel,
    webauthn,
    // The frame checks that its path names the intent of the client secret.
    frameIntentId: checkoutView.paymentIntentId,
    languages: ['en-GB'],
  } satisfies Partial<WalletDeps>;

  return {
    calls,
    requests,
    /** The pending passkey prompts, oldest first. */
    passkeys,
    posted,
    deps,
    /** How often the frame asked to warm the passkey code. */
    get warmed() {
      return warmed;
    },
    /** Sends the loader's `init`, as the parent window would. */
    init(locale = 'en', extra: Pick<ParentToFrameMessage, 'dir' | 'layout'> = {}) {
      onInit?.({ paykey: 1, type: 'init', clientSecret: CLIENT_SECRET, locale, ...extra });
    },
    /** Nothing global was patched: kept so tests read the same either way. */
    restore() {},
  };
}

/** A wallet element wired to `backend` (not yet connected: `mount` it, then `backend.init()`). */
export function walletOn(backend: ReturnType<typeof installFakeBackend>): HTMLElementTagNameMap['paykey-wallet'] {
  const wallet = document.createElement('paykey-wallet');
  wallet.deps = backend.deps;
  return wallet;
}

/** Resolves once `check` returns a truthy value (polling every 10 ms, up to 3 s). */
export async function until<T>(check: () => T, what = 'condition'): Promise<NonNullable<T>> {
  for (let i = 0; i < 300; i++) {
    const value = check();
    if (value) return value as NonNullable<T>;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
