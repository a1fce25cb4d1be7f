import type {
  AddCardRequest,
  AddCardResponse,
  BrandsView,
  CheckoutAnswer,
  ConfirmOptionsResponse,
  ConfirmRequest,
  ConfirmResponse,
  OfferSettings,
  OffersResponse,
  PaymentListResponse,
  QuoteResponse,
  ReceiptResponse,
  SpendingSummaryResponse,
  RegistrationOptionsResponse,
  RegistrationVerifyRequest,
  SessionResponse,
  SignInOptionsResponse,
  SignInVerifyRequest,
} from '../../shopper-api.ts';
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

/** The server words offers in the language `Accept-Language` asks: the frame's own, when given. */
const inLanguage = (locale?: string): Record<string, string> => (locale ? { 'accept-language': locale } : {});

/** How many payments one page of the Payments view asks for. */
const PAYMENTS_PAGE = 20;

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

  signInOptions(clientSecret: string): Promise<SignInOptionsResponse> {
    return this.call('/sessions/options', { client_secret: clientSecret });
  }

  signIn(body: SignInVerifyRequest): Promise<SessionResponse> {
    return this.call('/sessions', body);
  }

  registrationOptions(clientSecret: string, email: string): Promise<RegistrationOptionsResponse> {
    return this.call('/registrations/options', { client_secret: clientSecret, email });
  }

  register(body: RegistrationVerifyRequest): Promise<SessionResponse> {
    return this.call('/registrations', body);
  }

  /**
   * `save`: keep the card for later payments (the shopper's explicit choice); without it the card pays once.
   * `idempotencyKey`: the same key for a retry of the same card, so a lost answer never adds it twice.
   */
  addCard(sessionToken: string, card: AddCardRequest, idempotencyKey: string): Promise<AddCardResponse> {
    return this.call('/cards', card, sessionToken, { 'idempotency-key': idempotencyKey });
  }

  /** Removes a saved card: its token is released at the bank, and it leaves the shopper's list. */
  removeCard(sessionToken: string, cardId: string): Promise<void> {
    return this.send('DELETE', `/cards/${encodeURIComponent(cardId)}`, { sessionToken }).then(() => undefined);
  }

  /** "Sign out on this device": the session ends server-side. */
  signOut(sessionToken: string): Promise<void> {
    return this.send('DELETE', '/sessions/current', { sessionToken }).then(() => undefined);
  }

  /**
   * What paying with `cardId` costs (fee, exchange rate, debit), by a quote that the Pay passkey then signs; with
   * `offerId`, with that bank offer applied (409 `offer_unavailable` when it no longer can be), its words in `locale`.
   */
  quote(clientSecret: string, cardId: string, offerId?: string, locale?: string): Promise<QuoteResponse> {
    if (!offerId) return this.call('/quotes', { client_secret: clientSecret, card_id: cardId });
    return this.call('/quotes', { client_secret: clientSecret, card_id: cardId, offer_id: offerId }, undefined, inLanguage(locale));
  }

  // ——— "confirm-ui": bank offers and the shopper's two offer switches ———

  /**
   * Each card's bank offers and costs for this payment (the server gives a bank 800 ms; a card without answer has
   * none), their titles and terms in `locale` (the frame's language, which may not be the browser's).
   */
  offers(clientSecret: string, cardIds: readonly string[], sessionToken?: string, locale?: string): Promise<OffersResponse> {
    return this.call('/offers', { client_secret: clientSecret, card_ids: cardIds }, sessionToken, inLanguage(locale));
  }

  /** The shopper's two offer switches, as the server has them. */
  offerSettings(sessionToken: string): Promise<OfferSettings> {
    return this.send('GET', '/offer-settings', { sessionToken }) as Promise<OfferSettings>;
  }

  /** Sets both switches; resolves with the server's answer (what the switches then show). */
  updateOfferSettings(sessionToken: string, settings: OfferSettings): Promise<OfferSettings> {
    return this.send('PUT', '/offer-settings', { sessionToken, body: settings }) as Promise<OfferSettings>;
  }
  // ——— end "confirm-ui" ———

  /** The passkey challenge for paying with `cardId` on the terms of `quoteId` (409 `quote_expired` once it ran out). */
  confirmOptions(clientSecret: string, cardId: string, quoteId: string): Promise<ConfirmOptionsResponse> {
    return this.call('/confirmations/options', { client_secret: clientSecret, card_id: cardId, quote_id: quoteId });
  }

  confirm(body: ConfirmRequest): Promise<ConfirmResponse> {
    return this.call('/confirmations', body);
  }

  /** The shopper's payments across merchants, newest first; `startingAfter`: the last payment of the previous page. */
  payments(sessionToken: string, startingAfter?: string): Promise<PaymentListResponse> {
    const query = new URLSearchParams({ limit: String(PAYMENTS_PAGE) });
    if (startingAfter) query.set('starting_after', startingAfter);
    return this.send('GET', `/payments?${query}`, { sessionToken }) as Promise<PaymentListResponse>;
  }

  receipt(sessionToken: string, paymentIntentId: string): Promise<ReceiptResponse> {
    return this.send('GET', `/payments/${encodeURIComponent(paymentIntentId)}`, { sessionToken }) as Promise<ReceiptResponse>;
  }

  // ——— "receipt-ui": the spending summary ———

  /** The shopper's own spending this month (UTC), per currency and category, with the projected month-end total. */
  spendingSummary(sessionToken: string): Promise<SpendingSummaryResponse> {
    return this.send('GET', '/spending-summary', { sessionToken }) as Promise<SpendingSummaryResponse>;
  }

  /** Any other `POST /api/frame` call (flows loaded on demand, such as pay by bank, bring their own). */
  async call<T>(path: string, body: unknown, sessionToken?: string, extraHeaders: Record<string, string> = {}): Promise<T> {
    const data = await this.send('POST', path, { body, sessionToken, headers: extraHeaders });
    if (data === undefined) throw new WalletApiError('bad_response', 'Empty response');
    return data as T;
  }

  /** One request; resolves with the JSON body, or undefined for a 204. */
  private async send(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options: SendOptions): Promise<unknown> {
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
