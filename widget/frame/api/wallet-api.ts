import type {
  AddCardRequest,
  AddCardResponse,
  CheckoutView,
  ConfirmOptionsResponse,
  ConfirmRequest,
  ConfirmResponse,
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

/**
 * Typed client of `/api/frame/*` (same origin as the frame). Intent-scoped calls carry the client secret in the
 * JSON body, shopper-scoped ones the session token as a Bearer header; nothing secret goes into a URL.
 */
export class WalletApi {
  constructor(private readonly base = '/api/frame') {}

  checkout(clientSecret: string): Promise<CheckoutView> {
    return this.call('/checkout', { client_secret: clientSecret });
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

  /** `idempotencyKey`: the same key for a retry of the same card, so a lost answer never saves it twice. */
  async addCard(sessionToken: string, card: AddCardRequest, idempotencyKey: string): Promise<AddCardResponse> {
    return this.call('/cards', card, sessionToken, { 'idempotency-key': idempotencyKey });
  }

  confirmOptions(clientSecret: string, cardId: string): Promise<ConfirmOptionsResponse> {
    return this.call('/confirmations/options', { client_secret: clientSecret, card_id: cardId });
  }

  confirm(body: ConfirmRequest): Promise<ConfirmResponse> {
    return this.call('/confirmations', body);
  }

  /** Any other `/api/frame` call (flows loaded on demand, such as pay by bank, bring their own). */
  async call<T>(path: string, body: unknown, sessionToken?: string, extraHeaders: Record<string, string> = {}): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...extraHeaders };
    if (sessionToken) headers.authorization = `Bearer ${sessionToken}`;
    let response: Response;
    try {
      response = await fetch(this.base + path, { method: 'POST', headers, body: JSON.stringify(body), credentials: 'omit' });
    } catch (cause) {
      throw new WalletApiError('network_error', String(cause));
    }
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
    return data as T;
  }
}
