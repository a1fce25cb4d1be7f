/**
 * The HTTP half of a bank adapter, shared by every bank that speaks JSON over HTTP
 * (ActiveMerchant's `commit`/`ssl_post`): `send` → `parse`, the bank's own mapping
 * (its paths, bodies and refusal table) lives in the adapter file.
 *
 * What `send` decides for every bank, before the mapping sees an answer:
 * - no answer within `timeoutMs`, a refused or reset connection, a 5xx, 408 or 429,
 *   an answer that is not JSON → `BankTransportError`: the outcome is unknown (the
 *   bank may have booked), resolve it with a lookup by our reference;
 * - 401/403 → `BankConfigurationError`: the key is wrong (an operator problem);
 * - anything `isWrongRoute` recognises (a 404 from no route) → `BankConfigurationError`.
 * Every message passes through the one redactor with the API key and the call's own
 * secrets (card number, CVC, token, account number): none is ever in an error.
 */
import type { z } from 'zod';
import { BankConfigurationError, BankTransportError } from '../bank-adapter.ts';
import { redactSecrets } from '../redact-secrets.ts';
import { httpExchange } from './node-http-exchange.ts';
import { parseBankBaseUrl } from './parse-bank-base-url.ts';

export interface BankHttpTransportOptions {
  /** How messages name the bank, e.g. "sandbox bank". */
  bankName: string;
  /** e.g. `http://127.0.0.1:8788`; calls resolve under it. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey: string;
  /** The setting an operator fixes when the key is refused, e.g. "BANK_API_KEY". */
  apiKeySetting: string;
  /** The setting an operator fixes when the URL is wrong, e.g. "BANK_URL". */
  baseUrlSetting: string;
  /** Per call, covering connect + answer. */
  timeoutMs: number;
  /** A refusal that means the base URL is wrong (e.g. the bank's 404 for no such route). */
  isWrongRoute?: (answer: BankAnswer) => boolean;
  /**
   * Canned tests replay recorded answers through this; recordings wrap it. Default: `httpExchange` (`node:http` with
   * kept-alive connections), which does the same for a fraction of fetch's CPU on the payment path.
   */
  fetch?: typeof fetch;
}

export interface BankAnswer {
  status: number;
  body: unknown;
}

export interface BankCall {
  body?: unknown;
  idempotencyKey?: string;
  /** What this call carries that must never appear in a message (card number, CVC, token, account number). */
  secrets?: readonly string[];
}

export interface BankHttpTransport {
  readonly bankName: string;
  send(method: 'GET' | 'POST' | 'DELETE', path: string, call?: BankCall): Promise<BankAnswer>;
  /** A 2xx body of the expected shape; any other shape is an unknown outcome (the bank may have acted). */
  parse<T>(schema: z.ZodType<T>, answer: BankAnswer, what: string, secrets?: readonly string[]): T;
  /** The text without the API key, the given secrets or anything shaped like a card number or bearer secret. */
  redact(text: string, secrets?: readonly string[]): string;
  /** The adapter and the bank disagree on the API: an answer no rule of the mapping covers. */
  unexpected(answer: BankAnswer, what: string, code?: string): never;
}

export function createBankHttpTransport(options: BankHttpTransportOptions): BankHttpTransport {
  const { bankName, apiKey, apiKeySetting, baseUrlSetting, timeoutMs, isWrongRoute } = options;
  const exchange = options.fetch ? viaFetch(options.fetch) : httpExchange;
  const baseUrl = parseBankBaseUrl(bankName, options.baseUrl);
  if (typeof apiKey !== 'string' || apiKey.trim().length === 0) {
    throw new BankConfigurationError(`${bankName} adapter: expected a non-empty apiKey (${apiKeySetting}), received none`);
  }
  // fetch and node:http would reject such a header with the key in its message; say so without it.
  if (!/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new BankConfigurationError(
      `${bankName} adapter: expected apiKey to be printable ASCII without spaces, received ${apiKey.length} characters that are not`,
    );
  }
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new BankConfigurationError(`${bankName} adapter: expected timeoutMs to be a positive integer, received ${String(timeoutMs)}`);
  }
  const redact = (text: string, secrets: readonly string[] = []) => redactSecrets(text, [apiKey, ...secrets]);

  return {
    bankName,
    redact,

    async send(method, path, call = {}) {
      const what = `${method} /${path.split('?')[0]}`;
      const headers: Record<string, string> = { authorization: `Bearer ${apiKey}`, accept: 'application/json' };
      if (call.body !== undefined) headers['content-type'] = 'application/json';
      if (call.idempotencyKey !== undefined) headers['idempotency-key'] = call.idempotencyKey;

      let status: number;
      let text: string;
      try {
        ({ status, text } = await exchange(new URL(path, baseUrl), {
          method,
          headers,
          body: call.body === undefined ? undefined : JSON.stringify(call.body),
          timeoutMs,
        }));
      } catch (error) {
        if (isTimeout(error)) {
          throw new BankTransportError(`${bankName}: no answer to ${what} within ${timeoutMs} ms; the outcome is unknown`);
        }
        throw new BankTransportError(
          `${bankName}: could not reach ${baseUrl.origin} for ${what} (${networkErrorCode(error)}); the outcome is unknown`,
          // Only the socket-level cause (code, address, port): fetch's own error could quote header values.
          { cause: socketCause(error) },
        );
      }

      if (status === 401 || status === 403) {
        throw new BankConfigurationError(`${bankName} refused the API key on ${what} (HTTP ${status}); check ${apiKeySetting}`);
      }
      if (status >= 500 || status === 408 || status === 429) {
        throw new BankTransportError(`${bankName} answered HTTP ${status} to ${what}; the outcome is unknown`);
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new BankTransportError(
          `${bankName}: expected a JSON answer to ${what}, received HTTP ${status} with ${text.length} bytes of something else; the outcome is unknown`,
        );
      }
      const answer = { status, body };
      if (isWrongRoute?.(answer)) {
        throw new BankConfigurationError(`${bankName} at ${baseUrl.origin} has no route for ${what}; check ${baseUrlSetting}`);
      }
      return answer;
    },

    parse(schema, answer, what, secrets) {
      const parsed = schema.safeParse(answer.body);
      if (parsed.success) return parsed.data;
      const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
      throw new BankTransportError(`${bankName}: unexpected answer to ${what} (HTTP ${answer.status}): ${redact(detail, secrets)}; the outcome is unknown`);
    },

    unexpected(answer, what, code) {
      throw new BankConfigurationError(
        `${bankName}: expected a known answer to ${what}, received HTTP ${answer.status}${code ? ` ${redact(code)}` : ''}; the adapter and the bank disagree on the API`,
      );
    },
  };
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/** A fetch-shaped call as `httpExchange`'s: the whole answer as text, the timeout as fetch's abort signal. */
function viaFetch(send: typeof fetch): typeof httpExchange {
  return async (url, { method, headers, body, timeoutMs }) => {
    const response = await send(url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    return { status: response.status, text: await response.text() };
  };
}

/** The socket-level error: fetch wraps it as `cause`, `node:http` rejects with it. */
function socketError(error: unknown): { code?: unknown; syscall?: unknown; address?: unknown; port?: unknown } | undefined {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') return cause;
  return typeof (error as { code?: unknown } | null)?.code === 'string' ? (error as { code: string }) : undefined;
}

function socketCause(error: unknown): unknown {
  const socket = socketError(error);
  return socket ? { code: socket.code, syscall: socket.syscall, address: socket.address, port: socket.port } : undefined;
}

function networkErrorCode(error: unknown): string {
  const code = socketError(error)?.code;
  return typeof code === 'string' ? code : 'network error';
}
