/**
 * The bank's token endpoint (RFC 6749), the wallet authenticated by private_key_jwt:
 * - `clientToken()`: a client_credentials token (scope payments) for consents and look-ups, cached until 30 s
 *   before it expires; `forget(token)` drops it after the bank refused it (401).
 * - `exchangeCode(code, redirectUri)`: the shopper's authorization_code for a token bound to their consent.
 *
 * 401 invalid_client (our key or client id is not the bank's) and other 400s are `BankConfigurationError`;
 * 400 invalid_grant on a code is a value (the code is used, expired or unknown); no answer, 5xx or an
 * unreadable answer is `BankTransportError`. Tokens, codes and assertions never reach a message.
 */
import { z } from 'zod';
import { BankConfigurationError, BankTransportError } from '../bank-adapter.ts';
import { clientAssertion, CLIENT_ASSERTION_TYPE } from './client-assertion.ts';
import { noAnswer } from './ob-transport.ts';
import { BANK_TEXT, quoteRedacted } from '../redact-secrets.ts';
import type { WalletSigningKey } from './wallet-signing-key.ts';

export interface BankTokenClientOptions {
  tokenEndpoint: string;
  clientId: string;
  key: WalletSigningKey;
  timeoutMs: number;
  bank: string;
  /** Default the global fetch. */
  fetch?: typeof fetch;
  /** The clock for assertions and token expiry; default the system clock. */
  now?: () => Date;
}

export type CodeExchange =
  | { status: 'granted'; accessToken: string; expiresAt: Date; consentId: string | null }
  | { status: 'invalid_grant'; message: string };

export interface BankTokenClient {
  clientToken(): Promise<string>;
  forget(token: string): void;
  exchangeCode(code: string, redirectUri: string): Promise<CodeExchange>;
}

const tokenAnswer = z.object({
  access_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i),
  expires_in: z.number().int().positive(),
  consent_id: z.string().optional(),
});
const oauthError = z.object({ error: z.string(), error_description: z.string().optional() });

const EARLY_MS = 30_000;

export function createBankTokenClient(options: BankTokenClientOptions): BankTokenClient {
  const { tokenEndpoint, clientId, key, timeoutMs, bank } = options;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const now = options.now ?? (() => new Date());
  let cached: { token: string; expiresAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  async function post(form: Record<string, string>, what: string, secrets: string[]) {
    const assertion = clientAssertion(key, clientId, tokenEndpoint, now());
    secrets.push(assertion);
    let status: number;
    let text: string;
    try {
      const response = await fetchImpl(tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ ...form, client_id: clientId, client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion }),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw new BankTransportError(`${bank}: ${what}: ${noAnswer(error, timeoutMs)}`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const error = oauthError.safeParse(body);
    const said = error.success ? `${error.data.error}: ${quoteRedacted(error.data.error_description ?? '', secrets, BANK_TEXT)}` : `a body that is not an OAuth answer (${text.length} characters)`;
    if (status === 200) {
      const parsed = tokenAnswer.safeParse(body);
      if (!parsed.success) throw new BankTransportError(`${bank}: ${what}: expected { access_token, token_type: Bearer, expires_in }, received HTTP 200 with ${parsed.error.issues.map((i) => i.path.join('.') || 'body').join(', ')} not as expected`);
      return { kind: 'token' as const, token: parsed.data };
    }
    if (status === 401 || (status === 400 && error.success && error.data.error === 'invalid_client')) {
      throw new BankConfigurationError(`${bank}: ${what}: the bank does not accept the wallet as client ${clientId} (expected our key at our JWKS URL to be registered for it); received HTTP ${status} ${said}`);
    }
    if (status === 400 && error.success) return { kind: 'refused' as const, error: error.data.error, said };
    throw new BankTransportError(`${bank}: ${what}: expected HTTP 200 with a token, received HTTP ${status} ${said}`);
  }

  async function fetchClientToken(): Promise<string> {
    const secrets: string[] = [];
    const answer = await post({ grant_type: 'client_credentials', scope: 'payments' }, 'POST /token (client_credentials)', secrets);
    if (answer.kind === 'refused') {
      throw new BankConfigurationError(`${bank}: POST /token (client_credentials): expected a token for scope payments, received HTTP 400 ${answer.said}`);
    }
    cached = { token: answer.token.access_token, expiresAt: now().getTime() + answer.token.expires_in * 1000 - EARLY_MS };
    return cached.token;
  }

  return {
    async clientToken() {
      if (cached && cached.expiresAt > now().getTime()) return cached.token;
      inFlight ??= fetchClientToken().finally(() => (inFlight = undefined));
      return inFlight;
    },
    forget(token) {
      if (cached?.token === token) cached = undefined;
    },
    async exchangeCode(code, redirectUri) {
      const secrets = [code];
      const answer = await post({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }, 'POST /token (authorization_code)', secrets);
      if (answer.kind === 'refused') {
        if (answer.error === 'invalid_grant') return { status: 'invalid_grant', message: answer.said };
        throw new BankConfigurationError(`${bank}: POST /token (authorization_code): expected a token for the shopper's code, received HTTP 400 ${answer.said}`);
      }
      return {
        status: 'granted',
        accessToken: answer.token.access_token,
        expiresAt: new Date(now().getTime() + answer.token.expires_in * 1000),
        consentId: answer.token.consent_id ?? null,
      };
    },
  };
}
