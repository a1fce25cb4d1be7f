/**
 * Stand-ins for what the wallet frame talks to, so the orchestrator can run in a component test:
 * `/api/frame/*` answered by a routing table (each answer may wait on a `Deferred`), `navigator.credentials.get`
 * held until the test says, the loader's `init` message, and a record of what the frame posts back to the loader.
 */
import type { FrameToParentMessage } from '../../../widget/protocol.ts';
import { ParentChannel } from '../../../widget/frame/parent-channel.ts';
import { CLIENT_SECRET, checkoutView } from './fixtures.ts';

export class Deferred<T = void> {
  resolve!: (value: T) => void;
  reject!: (reason: unknown) => void;
  readonly promise = new Promise<T>((resolve, reject) => Object.assign(this, { resolve, reject }));
}

/** An answer with an error status and the API's `{ error: { code, message } }` body. */
export class ApiFailure {
  constructor(readonly status: number, readonly code: string, readonly message = code) {}
}

const requestOptions = { challengeId: 'ch_1', options: { challenge: 'AAAA', allowCredentials: [], userVerification: 'required' } };

/** A JSON body, an `ApiFailure`, a raw `Response` (say, a proxy's HTML error page), or a function giving one. */
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
    if (body instanceof Response) return body;
    if (body instanceof ApiFailure) {
      return new Response(JSON.stringify({ error: { code: body.code, message: body.message } }), { status: body.status });
    }
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

  /** What the frame posts to the loader (the test page is its own parent, so nothing would really be sent). */
  const posted: FrameToParentMessage[] = [];
  const realPost = ParentChannel.prototype.post;
  ParentChannel.prototype.post = function (message) {
    posted.push({ paykey: 1, ...message } as FrameToParentMessage);
  };

  // The frame checks that its path names the intent of the client secret.
  const realPath = location.pathname + location.search;
  history.replaceState(null, '', '/frame/pi_test1');

  return {
    calls,
    requests,
    /** The pending passkey prompts, oldest first. */
    passkeys,
    posted,
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
      ParentChannel.prototype.post = realPost;
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
