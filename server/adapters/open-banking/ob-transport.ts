/**
 * One Open Banking API call over HTTP, with the headers the standard names: Authorization: Bearer,
 * x-fapi-interaction-id (a fresh UUID, quoted in errors so the bank can find the call), x-fapi-auth-date, and on
 * POST x-idempotency-key and x-jws-signature (signed here, over the exact body sent). The answer's
 * x-jws-signature is checked against the bank's JWKS.
 *
 * Throws `BankTransportError` only when there is no answer (timeout, reset, a body cut off); every answer is
 * returned as it came, with whether the bank signed it, for the caller to classify.
 */
import { randomUUID } from 'node:crypto';
import { BankTransportError } from '../bank-adapter.ts';
import type { BankJwksCache } from './bank-jwks-cache.ts';
import { signRequestBody } from './sign-request-body.ts';
import { checkBankSignature, type BankSignatureExpectations } from './verify-bank-signature.ts';
import type { WalletSigningKey } from './wallet-signing-key.ts';

export interface ObCall {
  method: 'GET' | 'POST';
  /** Under the API root, e.g. `/domestic-payment-consents`. */
  path: string;
  token: string;
  /** The exact JSON text to send (POST). */
  body?: string;
  idempotencyKey?: string;
  /** When the shopper last authenticated with the wallet (x-fapi-auth-date); default now. */
  authDate?: Date;
  /** e.g. "POST /domestic-payments", for messages. */
  what: string;
}

export interface ObAnswer {
  status: number;
  text: string;
  /** The parsed JSON, or `undefined` when the body is empty or not JSON. */
  body: unknown;
  interactionId: string;
  /** `null` when the bank's signature holds; else why it does not (absent, wrong key, another body). */
  signatureProblem: string | null;
}

export interface ObTransportOptions {
  apiRoot: string;
  clientId: string;
  key: WalletSigningKey;
  trustAnchor: string;
  bankSignature: BankSignatureExpectations;
  jwks: BankJwksCache;
  timeoutMs: number;
  /** The bank's name, for messages. */
  bank: string;
  /** Default the global fetch. */
  fetch?: typeof fetch;
  /** The clock for x-fapi-auth-date, request signatures and the bank's signature times; default the system clock. */
  now?: () => Date;
}

export type ObTransport = (call: ObCall) => Promise<ObAnswer>;

export function createObTransport(options: ObTransportOptions): ObTransport {
  const { apiRoot, clientId, key, trustAnchor, bankSignature, jwks, timeoutMs, bank } = options;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const now = options.now ?? (() => new Date());

  return async function obCall(call) {
    const interactionId = randomUUID();
    const headers: Record<string, string> = {
      authorization: `Bearer ${call.token}`,
      accept: 'application/json',
      'x-fapi-interaction-id': interactionId,
      'x-fapi-auth-date': (call.authDate ?? now()).toUTCString(),
    };
    if (call.method === 'POST') {
      headers['content-type'] = 'application/json';
      if (call.idempotencyKey) headers['x-idempotency-key'] = call.idempotencyKey;
      headers['x-jws-signature'] = signRequestBody(call.body ?? '', key, clientId, trustAnchor, now());
    }
    let response: Response;
    let bytes: Uint8Array;
    try {
      response = await fetchImpl(`${apiRoot}${call.path}`, {
        method: call.method,
        headers,
        body: call.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      throw new BankTransportError(`${bank}: ${call.what} (interaction ${interactionId}): ${noAnswer(error, timeoutMs)}; the outcome is unknown`);
    }
    const text = Buffer.from(bytes).toString('utf8');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const signatureProblem = bytes.length === 0 ? 'expected a signed body, received none' : await checkBankSignature(response.headers.get('x-jws-signature'), bytes, jwks, bankSignature, now());
    return { status: response.status, text, body, interactionId, signatureProblem };
  };
}

/** Why there is no answer, from the error's name and its socket-level code only (never a header value). */
export function noAnswer(error: unknown, timeoutMs: number): string {
  const name = (error as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message.slice(0, 80) : undefined;
  return `no answer (${code ?? name ?? 'connection failed'})`;
}
