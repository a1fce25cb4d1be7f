/**
 * Stand-ins for what the wallet frame talks to, so the orchestrator can run in a component test:
 * `/api/frame/*` answered by a routing table (each answer may wait on a `Deferred`), `navigator.credentials.get`
 * held until the test says, and the loader's `init` message.
 */
import type { CheckoutView, SavedCard } from '../../../widget/shopper-api.ts';

export class Deferred<T = void> {
  resolve!: (value: T) => void;
  reject!: (reason: unknown) => void;
  readonly promise = new Promise<T>((resolve, reject) => Object.assign(this, { resolve, reject }));
}

export const CLIENT_SECRET = 'pi_test1_secret_abc';

export const checkoutView: CheckoutView = {
  paymentIntentId: 'pi_test1',
  amount: 1999,
  currency: 'USD',
  description: 'Paykey Tee',
  payee: 'Demo Shop',
  status: 'requires_confirmation',
  lastError: null,
  bank: { id: 'sandbox', name: 'Sandbox Bank', logo: '', colors: { primary: '#0f4c81', onPrimary: '#ffffff', accent: '#f2a900' } },
};

export const visa4242: SavedCard = {
  id: 'card_1', bank: 'sandbox', bankName: 'Sandbox Bank', bankToken: 'tok_1', brand: 'visa', last4: '4242', expMonth: 12, expYear: 2034,
};

const requestOptions = { challengeId: 'ch_1', options: { challenge: 'AAAA', allowCredentials: [], userVerification: 'required' } };

type Answer = unknown | (() => unknown | Promise<unknown>);

/** Installs the fakes; `calls` counts requests by path. `restore()` puts the real ones back. */
export function installFakeBackend(routes: Record<string, Answer> = {}) {
  const calls: Record<string, number> = {};
  const table: Record<string, Answer> = {
    '/checkout': checkoutView,
    '/sessions/options': requestOptions,
    '/confirmations/options': requestOptions,
    ...routes,
  };
  /** Every request, in order, with its headers. */
  const requests: Array<{ path: string; headers: Headers }> = [];
  const realFetch = window.fetch;
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = String(input).replace(/^\/api\/frame/, '');
    calls[path] = (calls[path] ?? 0) + 1;
    requests.push({ path, headers: new Headers(init?.headers) });
    const answer = table[path];
    if (answer === undefined) return new Response(JSON.stringify({ error: { code: 'not_found', message: path } }), { status: 404 });
    const body = typeof answer === 'function' ? await (answer as () => unknown)() : answer;
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };

  /** Each `navigator.credentials.get` waits on the next deferred the test hands out. */
  const passkeys: Deferred[] = [];
  const credentials = navigator.credentials;
  const realGet = credentials.get;
  credentials.get = async () => {
    const wait = new Deferred();
    passkeys.push(wait);
    await wait.promise;
    const bytes = new Uint8Array([1, 2, 3]).buffer;
    return {
      id: 'AQID', rawId: bytes, type: 'public-key', authenticatorAttachment: 'platform',
      response: { authenticatorData: bytes, clientDataJSON: bytes, signature: bytes, userHandle: bytes },
      getClientExtensionResults: () => ({}),
    } as unknown as Credential;
  };

  // The frame checks that its path names the intent of the client secret.
  const realPath = location.pathname + location.search;
  history.replaceState(null, '', '/frame/pi_test1');

  return {
    calls,
    requests,
    /** The pending passkey prompts, oldest first. */
    passkeys,
    /** Sends the loader's `init`, as the parent window would. */
    init() {
      // Run as the top window, the test page is its own parent; with no `origin` parameter the expected origin is ''.
      window.dispatchEvent(new MessageEvent('message', {
        data: { paykey: 1, type: 'init', clientSecret: CLIENT_SECRET, locale: 'en' },
        origin: '',
        source: window,
      }));
    },
    restore() {
      window.fetch = realFetch;
      credentials.get = realGet;
      history.replaceState(null, '', realPath);
    },
  };
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
