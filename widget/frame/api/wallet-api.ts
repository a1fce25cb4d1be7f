import type { BrandsView, CheckoutAnswer } from '../../shopper-api.ts';
import type { ErrorCode } from '../../error-codes.ts';
import { serverCode } from './server-code.ts';

/**
 * A failed shopper-API call; `code` is a code the server sends, or `network_error` (no answer) / `bad_response` (an
 * answer that is not Paykey's: no JSON, or a code not in the closed set, say a proxy's error page).
 */
export class WalletApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status = 0,
  ) {
    super(message);
    this.name = 'WalletApiError';
  }
}

/** The `fetch` the client sends with: the page's own unless a test hands in another (a fake backend). */
export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

interface SendOptions {
  body?: unknown;
  sessionToken?: string;
  headers?: Record<string, string>;
}

/**
 * Typed client of `/api/frame/*` (same origin as the frame), the only code in the frame that calls `fetch`.
 * Intent-scoped calls carry the client secret in the JSON body, shopper-scoped ones the session token as a Bearer
 * header; nothing secret goes into a URL (ids of cards and payments are not secrets).
 */
export class WalletApi {
  constructor(
    private readonly base = '/api/frame',
    private readonly fetcher: Fetch = (input, init) => fetch(input, init),
  ) {}

  /** The payment as its first screen shows it; the card banks' brands come from `brands()`. */
  checkout(clientSecret: string): Promise<CheckoutAnswer> {
    return this.call('/checkout', { client_secret: clientSecret });
  }

  /**
   * Every card bank's brand (logos, colours): no shopper or payment data, so the browser's HTTP cache keeps it and
   * revalidates it by ETag. Asked for after `paykey-ready` (sign-in shows none of it), or beside the checkout when
   * the first screen is confirm.
   */
  brands(): Promise<BrandsView> {
    return this.send('GET', '/brands', {}) as Promise<BrandsView>;
  }

  /** Any other `POST /api/frame` call (signing in and the later screens' calls, `shopper-calls.ts`, and flows loaded on demand, such as pay by bank). */
  async call<T>(path: string, body: unknown, sessionToken?: string, extraHeaders: Record<string, string> = {}): Promise<T> {
    const data = await this.send('POST', path, { body, sessionToken, headers: extraHeaders });
    if (data === undefined) throw new WalletApiError('bad_response', 'Empty response');
    return data as T;
  }

  /** One request; resolves with the JSON body, or undefined for a 204 (`call` for a POST; the later screens' calls, `shopper-calls.ts`, use both). */
  async send(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options: SendOptions): Promise<unknown> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.sessionToken) headers.authorization = `Bearer ${options.sessionToken}`;
    let response: Response;
    try {
      response = await this.fetcher(this.base + path, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        credentials: 'omit',
      });
    } catch (cause) {
      throw new WalletApiError('network_error', String(cause));
    }
    if (response.status === 204) return undefined;
    let data: unknown = null;
    try {
      data = await response.json();
    } catch {
      // An empty or non-JSON body is judged by the status alone below.
    }
    if (!response.ok) {
      const error = (data as { error?: { code?: unknown; message?: unknown } } | null)?.error;
      throw new WalletApiError(
        await serverCode(error?.code),
        typeof error?.message === 'string' ? error.message : response.statusText,
        response.status,
      );
    }
    if (data === null) throw new WalletApiError('bad_response', 'Empty response', response.status);
    return data;
  }
}
