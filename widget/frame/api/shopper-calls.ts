import type {
  AddCardRequest,
  AddCardResponse,
  ConfirmOptionsResponse,
  ConfirmRequest,
  ConfirmResponse,
  OfferSettings,
  OffersResponse,
  PaymentListResponse,
  QuoteResponse,
  ReceiptResponse,
  RegistrationOptionsResponse,
  RegistrationVerifyRequest,
  SessionResponse,
  SignInOptionsResponse,
  SignInVerifyRequest,
  SpendingSummaryResponse,
} from '../../shopper-api.ts';
import type { WalletApi } from './wallet-api.ts';

/*
 * The shopper-API calls made once the first screen shows: signing in and registering (on the shopper's press), cards,
 * quotes and offers, confirming a payment, payments and receipts. Functions over the client's transport
 * (`WalletApi.call` / `send`: the same headers, errors and codes), in the later screens' chunk, so the first screen
 * downloads only the calls made before it shows (`WalletApi`).
 */

/** What these calls send through: `WalletApi`, or a test's own. */
export type ApiTransport = Pick<WalletApi, 'call' | 'send'>;

/** The server words offers in the language `Accept-Language` asks: the frame's own, when given. */
const inLanguage = (locale?: string): Record<string, string> => (locale ? { 'accept-language': locale } : {});

/** How many payments one page of the Payments view asks for. */
const PAYMENTS_PAGE = 20;

/** A passkey challenge to sign in with (a discoverable credential: no username). */
export function signInOptions(api: ApiTransport, clientSecret: string): Promise<SignInOptionsResponse> {
  return api.call('/sessions/options', { client_secret: clientSecret });
}

/** The signed challenge for a session. */
export function signIn(api: ApiTransport, body: SignInVerifyRequest): Promise<SessionResponse> {
  return api.call('/sessions', body);
}

/** A passkey to create for a new shopper with `email`. */
export function registrationOptions(api: ApiTransport, clientSecret: string, email: string): Promise<RegistrationOptionsResponse> {
  return api.call('/registrations/options', { client_secret: clientSecret, email });
}

/** The created passkey, for the new shopper's session. */
export function register(api: ApiTransport, body: RegistrationVerifyRequest): Promise<SessionResponse> {
  return api.call('/registrations', body);
}

/**
 * `save`: keep the card for later payments (the shopper's explicit choice); without it the card pays once.
 * `idempotencyKey`: the same key for a retry of the same card, so a lost answer never adds it twice.
 */
export function addCard(api: ApiTransport, sessionToken: string, card: AddCardRequest, idempotencyKey: string): Promise<AddCardResponse> {
  return api.call('/cards', card, sessionToken, { 'idempotency-key': idempotencyKey });
}

/** Removes a saved card: its token is released at the bank, and it leaves the shopper's list. */
export function removeCard(api: ApiTransport, sessionToken: string, cardId: string): Promise<void> {
  return api.send('DELETE', `/cards/${encodeURIComponent(cardId)}`, { sessionToken }).then(() => undefined);
}

/** "Sign out on this device": the session ends server-side. */
export function signOut(api: ApiTransport, sessionToken: string): Promise<void> {
  return api.send('DELETE', '/sessions/current', { sessionToken }).then(() => undefined);
}

/**
 * What paying with `cardId` costs (fee, exchange rate, debit), by a quote that the Pay passkey then signs; with
 * `offerId`, with that bank offer applied (409 `offer_unavailable` when it no longer can be), its words in `locale`.
 */
export function quote(api: ApiTransport, clientSecret: string, cardId: string, offerId?: string, locale?: string): Promise<QuoteResponse> {
  if (!offerId) return api.call('/quotes', { client_secret: clientSecret, card_id: cardId });
  return api.call('/quotes', { client_secret: clientSecret, card_id: cardId, offer_id: offerId }, undefined, inLanguage(locale));
}

// ——— "confirm-ui": bank offers and the shopper's two offer switches ———

/**
 * Each card's bank offers and costs for this payment (the server gives a bank 800 ms; a card without answer has
 * none), their titles and terms in `locale` (the frame's language, which may not be the browser's).
 */
export function offers(api: ApiTransport, clientSecret: string, cardIds: readonly string[], sessionToken?: string, locale?: string): Promise<OffersResponse> {
  return api.call('/offers', { client_secret: clientSecret, card_ids: cardIds }, sessionToken, inLanguage(locale));
}

/** The shopper's two offer switches, as the server has them. */
export function offerSettings(api: ApiTransport, sessionToken: string): Promise<OfferSettings> {
  return api.send('GET', '/offer-settings', { sessionToken }) as Promise<OfferSettings>;
}

/** Sets both switches; resolves with the server's answer (what the switches then show). */
export function updateOfferSettings(api: ApiTransport, sessionToken: string, settings: OfferSettings): Promise<OfferSettings> {
  return api.send('PUT', '/offer-settings', { sessionToken, body: settings }) as Promise<OfferSettings>;
}
// ——— end "confirm-ui" ———

/** The passkey challenge for paying with `cardId` on the terms of `quoteId` (409 `quote_expired` once it ran out). */
export function confirmOptions(api: ApiTransport, clientSecret: string, cardId: string, quoteId: string): Promise<ConfirmOptionsResponse> {
  return api.call('/confirmations/options', { client_secret: clientSecret, card_id: cardId, quote_id: quoteId });
}

export function confirm(api: ApiTransport, body: ConfirmRequest): Promise<ConfirmResponse> {
  return api.call('/confirmations', body);
}

/** The shopper's payments across merchants, newest first; `startingAfter`: the last payment of the previous page. */
export function payments(api: ApiTransport, sessionToken: string, startingAfter?: string): Promise<PaymentListResponse> {
  const query = new URLSearchParams({ limit: String(PAYMENTS_PAGE) });
  if (startingAfter) query.set('starting_after', startingAfter);
  return api.send('GET', `/payments?${query}`, { sessionToken }) as Promise<PaymentListResponse>;
}

export function receipt(api: ApiTransport, sessionToken: string, paymentIntentId: string): Promise<ReceiptResponse> {
  return api.send('GET', `/payments/${encodeURIComponent(paymentIntentId)}`, { sessionToken }) as Promise<ReceiptResponse>;
}

// ——— "receipt-ui": the spending summary ———

/** The shopper's own spending this month (UTC), per currency and category, with the projected month-end total. */
export function spendingSummary(api: ApiTransport, sessionToken: string): Promise<SpendingSummaryResponse> {
  return api.send('GET', '/spending-summary', { sessionToken }) as Promise<SpendingSummaryResponse>;
}
