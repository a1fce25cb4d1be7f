/**
 * The sandbox partner bank (`demo/bank/`), spoken to over HTTP.
 *
 * Shape (as every bank file): `send` → `parse` → map the answer to a result.
 * - 2xx → the result. Charges and refunds: only a 402 with a known decline
 *   code is a declined / failed value; any other refusal (409, 404, a 4xx
 *   without a decline body) may hide money that moved, so it is a
 *   `BankTransportError` carrying the refusal, resolved by a lookup.
 *   Tokenizing moves no money: its refusals are `rejected` values.
 * - 401/403, an unknown route → `BankConfigurationError` (key or URL is wrong).
 * - Timeouts, connection errors, 5xx, 408/429, unreadable answers →
 *   `BankTransportError`: the outcome is unknown; resolve it with `lookupCharge`.
 * Error messages and bank messages pass through `redact`: never a card number,
 * CVC or API key.
 * Its `limits` are the bank's own (`demo/bank/sandbox-bank-limits.ts`, also
 * published at `GET /v1/limits`), unless it is pointed at a bank started with others.
 */
import { z } from 'zod';
import { sandboxBankLimits } from '../../demo/bank/sandbox-bank-limits.ts';
import {
  BankConfigurationError,
  BankTransportError,
  type BankAdapter,
  type BankBrand,
  type BankChargeRecord,
  type BankRefundRecord,
  type BankDeclineCode,
  type CardBrand,
  type CardDetails,
  type ChargeRequest,
  type ChargeResult,
  type RefundRequest,
  type RefundResult,
  type TokenizeResult,
} from './bank-adapter.ts';
import { checkBankLimits, type BankLimits } from './bank-limits.ts';

export interface SandboxBankAdapterOptions {
  /** e.g. `http://127.0.0.1:8788` */
  baseUrl: string;
  apiKey: string;
  /** Per call, covering connect + answer; default 10 s. */
  timeoutMs?: number;
  /** Stored with each card; default "sandbox". */
  id?: string;
  /** What the bank carries: the sandbox bank's own limits by default; give the same `BANK_LIMITS` a narrower bank was started with. */
  limits?: BankLimits;
}

const declineCodes: readonly BankDeclineCode[] = [
  'card_declined',
  'insufficient_funds',
  'expired_card',
  'incorrect_cvc',
  'invalid_card',
  'processing_error',
];
const cardBrands: readonly CardBrand[] = ['visa', 'mastercard', 'amex', 'discover', 'jcb', 'unionpay', 'unknown'];

const errorAnswer = z.object({ error: z.object({ code: z.string(), message: z.string().optional() }) });
const tokenAnswer = z.object({
  token: z.string().min(1),
  brand: z.string(),
  last4: z.string().regex(/^\d{4}$/),
  exp_month: z.number().int(),
  exp_year: z.number().int(),
});
const chargeAnswer = z.object({
  id: z.string().min(1),
  reference: z.string(),
  status: z.enum(['approved', 'declined']),
  decline_code: z.string().nullable(),
  decline_message: z.string().nullable(),
});
const lookupAnswer = z.object({ data: z.array(chargeAnswer).max(1) });
const refundAnswer = z.object({ id: z.string().min(1), reference: z.string(), status: z.literal('succeeded') });
const refundLookupAnswer = z.object({ data: z.array(refundAnswer).max(1) });
const chargeRecord = chargeAnswer.extend({ amount: z.number().int(), currency: z.string(), created_at: z.string() });
const chargeListAnswer = z.object({ data: z.array(chargeRecord), has_more: z.boolean() });
const refundRecord = z.object({
  id: z.string().min(1),
  charge_id: z.string(),
  reference: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  created_at: z.string(),
});
const refundListAnswer = z.object({ data: z.array(refundRecord), has_more: z.boolean() });
const brandAnswer = z.object({
  name: z.string().min(1),
  logo: z.string().startsWith('data:'),
  colors: z.object({ primary: z.string(), onPrimary: z.string(), accent: z.string() }),
});

interface BankAnswer {
  status: number;
  body: unknown;
}

export function createSandboxBankAdapter(options: SandboxBankAdapterOptions): BankAdapter {
  const { apiKey, timeoutMs = 10_000, id = 'sandbox' } = options;
  const baseUrl = parseBaseUrl(options.baseUrl);
  if (typeof apiKey !== 'string' || apiKey.trim().length === 0) {
    throw new BankConfigurationError('sandbox bank adapter: expected a non-empty apiKey (BANK_API_KEY), received none');
  }
  // fetch would reject such a header with the key in its message; say so without it.
  if (!/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new BankConfigurationError(
      `sandbox bank adapter: expected apiKey to be printable ASCII without spaces, received ${apiKey.length} characters that are not`,
    );
  }
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new BankConfigurationError(`sandbox bank adapter: expected timeoutMs to be a positive integer, received ${String(timeoutMs)}`);
  }
  let limits: BankLimits;
  try {
    limits = checkBankLimits(id, options.limits ?? sandboxBankLimits);
  } catch (error) {
    throw new BankConfigurationError(`sandbox bank adapter: ${(error as Error).message}`);
  }
  const redactKey = (text: string, extra: string[] = []) => redact(text, [apiKey, ...extra]);

  async function send(
    method: 'GET' | 'POST',
    path: string,
    request: { body?: unknown; idempotencyKey?: string } = {},
  ): Promise<BankAnswer> {
    const what = `${method} ${path.split('?')[0]}`;
    const headers: Record<string, string> = { authorization: `Bearer ${apiKey}`, accept: 'application/json' };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    if (request.idempotencyKey !== undefined) headers['idempotency-key'] = request.idempotencyKey;

    let status: number;
    let text: string;
    try {
      const response = await fetch(new URL(path, baseUrl), {
        method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      if (isTimeout(error)) {
        throw new BankTransportError(`sandbox bank: no answer to ${what} within ${timeoutMs} ms; the outcome is unknown`);
      }
      throw new BankTransportError(
        `sandbox bank: could not reach ${baseUrl.origin} for ${what} (${networkErrorCode(error)}); the outcome is unknown`,
        // Only the socket-level cause (code, address, port): fetch's own error could quote header values.
        { cause: socketCause(error) },
      );
    }

    if (status === 401 || status === 403) {
      throw new BankConfigurationError(`sandbox bank refused the API key on ${what} (HTTP ${status}); check BANK_API_KEY`);
    }
    if (status >= 500 || status === 408 || status === 429) {
      throw new BankTransportError(`sandbox bank answered HTTP ${status} to ${what}; the outcome is unknown`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new BankTransportError(
        `sandbox bank: expected a JSON answer to ${what}, received HTTP ${status} with ${text.length} bytes of something else; the outcome is unknown`,
      );
    }
    if (status === 404 && errorCode(body) === 'not_found') {
      throw new BankConfigurationError(`sandbox bank at ${baseUrl.origin} has no route for ${what}; check BANK_URL`);
    }
    return { status, body };
  }

  /** A 2xx body of the wrong shape: the bank may have acted, so the outcome is unknown. */
  function parse<T>(schema: z.ZodType<T>, answer: BankAnswer, what: string): T {
    const parsed = schema.safeParse(answer.body);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
      throw new BankTransportError(`sandbox bank: unexpected answer to ${what} (HTTP ${answer.status}): ${redactKey(detail)}`);
    }
    return parsed.data;
  }

  function unexpected(answer: BankAnswer, what: string): never {
    throw new BankConfigurationError(
      `sandbox bank: expected a known answer to ${what}, received HTTP ${answer.status} ${errorCode(answer.body) ?? ''}`.trim() +
        '; the adapter and the bank disagree on the API',
    );
  }

  let brandCache: Promise<BankBrand> | undefined;

  return {
    id,
    limits,

    brand() {
      brandCache ??= (async () => {
        const answer = await send('GET', 'brand');
        if (answer.status !== 200) unexpected(answer, 'GET /brand');
        return parse(brandAnswer, answer, 'GET /brand');
      })().catch((error: unknown) => {
        brandCache = undefined; // Try again next time.
        throw error;
      });
      return brandCache;
    },

    async tokenizeCard(card: CardDetails, idempotencyKey: string): Promise<TokenizeResult> {
      const secrets = [card.number, card.cvc];
      const answer = await send('POST', 'v1/tokens', {
        idempotencyKey,
        body: { number: card.number, exp_month: card.expMonth, exp_year: card.expYear, cvc: card.cvc, name: card.name },
      });
      if (answer.status === 200 || answer.status === 201) {
        const token = parse(tokenAnswer, answer, 'POST /v1/tokens');
        return {
          status: 'tokenized',
          card: {
            token: token.token,
            brand: (cardBrands as readonly string[]).includes(token.brand) ? (token.brand as CardBrand) : 'unknown',
            last4: token.last4,
            expMonth: token.exp_month,
            expYear: token.exp_year,
          },
        };
      }
      const refusal = refusalFrom(answer, (text) => redactKey(text, secrets));
      if (answer.status === 402) return { status: 'rejected', ...refusal };
      // 422: the details cannot make a card (e.g. month 13).
      if (answer.status === 422) return { status: 'rejected', code: 'invalid_card', message: refusal.message };
      if (answer.status === 400 || answer.status === 409 || answer.status === 413) {
        return { status: 'rejected', code: 'processing_error', message: refusal.message };
      }
      return unexpected(answer, 'POST /v1/tokens');
    },

    async charge(request: ChargeRequest): Promise<ChargeResult> {
      const answer = await send('POST', 'v1/charges', {
        idempotencyKey: request.idempotencyKey,
        body: {
          token: request.token,
          amount: request.amount,
          currency: request.currency,
          reference: request.reference,
          ...(request.description === undefined ? {} : { description: request.description }),
        },
      });
      if (answer.status === 200 || answer.status === 201) {
        const charge = parse(chargeAnswer, answer, 'POST /v1/charges');
        if (charge.reference !== request.reference) {
          throw new BankTransportError(
            `sandbox bank: expected a charge for reference ${JSON.stringify(request.reference)}, received one for ${JSON.stringify(charge.reference)}; the outcome is unknown`,
          );
        }
        return chargeResultFrom(charge, redactKey);
      }
      // Only a well-formed decline is a decline; anything else may hide a booked charge.
      const decline = definiteDecline(answer, redactKey);
      if (decline) return { status: 'declined', bankChargeId: null, reference: request.reference, ...decline };
      throw notDefinite(answer, 'POST /v1/charges', redactKey);
    },

    async lookupCharge(reference: string): Promise<ChargeResult | null> {
      if (typeof reference !== 'string' || reference.length === 0) {
        throw new TypeError(`lookupCharge: expected a non-empty reference, received ${JSON.stringify(reference)}`);
      }
      const answer = await send('GET', `v1/charges?reference=${encodeURIComponent(reference)}`);
      if (answer.status !== 200) unexpected(answer, 'GET /v1/charges');
      const [charge] = parse(lookupAnswer, answer, 'GET /v1/charges').data;
      if (!charge) return null;
      if (charge.reference !== reference) {
        throw new BankTransportError(`sandbox bank: lookup for reference ${JSON.stringify(reference)} returned another reference`);
      }
      return chargeResultFrom(charge, redactKey);
    },

    async refund(request: RefundRequest): Promise<RefundResult> {
      const answer = await send('POST', 'v1/refunds', {
        idempotencyKey: request.idempotencyKey,
        body: { charge_id: request.bankChargeId, amount: request.amount, currency: request.currency, reference: request.reference },
      });
      if (answer.status === 200 || answer.status === 201) {
        const refund = parse(refundAnswer, answer, 'POST /v1/refunds');
        return { status: 'succeeded', bankRefundId: refund.id, reference: request.reference };
      }
      const refusal = definiteDecline(answer, redactKey);
      if (refusal) return { status: 'failed', bankRefundId: null, reference: request.reference, ...refusal };
      throw notDefinite(answer, 'POST /v1/refunds', redactKey);
    },

    async lookupRefund(reference: string): Promise<RefundResult | null> {
      const answer = await send('GET', `v1/refunds?reference=${encodeURIComponent(reference)}`);
      if (answer.status !== 200) unexpected(answer, 'GET /v1/refunds');
      const [refund] = parse(refundLookupAnswer, answer, 'GET /v1/refunds').data;
      if (!refund) return null;
      if (refund.reference !== reference) {
        throw new BankTransportError(`sandbox bank: lookup for refund ${JSON.stringify(reference)} returned another reference`);
      }
      return { status: 'succeeded', bankRefundId: refund.id, reference: refund.reference };
    },

    async *listCharges(since: Date): AsyncIterable<BankChargeRecord> {
      for await (const charge of listPages(chargeListAnswer, 'v1/charges', since)) {
        yield {
          bankChargeId: charge.id,
          reference: charge.reference,
          status: charge.status,
          amount: charge.amount,
          currency: charge.currency,
          createdAt: charge.created_at,
        };
      }
    },

    async *listRefunds(since: Date): AsyncIterable<BankRefundRecord> {
      for await (const refund of listPages(refundListAnswer, 'v1/refunds', since)) {
        yield {
          bankRefundId: refund.id,
          bankChargeId: refund.charge_id,
          reference: refund.reference,
          amount: refund.amount,
          currency: refund.currency,
          createdAt: refund.created_at,
        };
      }
    },
  };

  /** Keyset pages of a ledger listing, oldest first. */
  async function* listPages<T extends { id: string }>(
    schema: z.ZodType<{ data: T[]; has_more: boolean }>,
    path: string,
    since: Date,
  ): AsyncGenerator<T> {
    let after: string | undefined;
    for (;;) {
      const query = new URLSearchParams({ created_since: since.toISOString(), limit: '500' });
      if (after) query.set('starting_after', after);
      const answer = await send('GET', `${path}?${query}`);
      if (answer.status !== 200) unexpected(answer, `GET /${path}`);
      const page = parse(schema, answer, `GET /${path}`);
      yield* page.data;
      if (!page.has_more || page.data.length === 0) return;
      after = page.data[page.data.length - 1].id;
    }
  }
}

/** A 402 with a decline code we know: the bank's definite refusal, nothing moved. */
function definiteDecline(answer: BankAnswer, scrub: (text: string) => string): { code: BankDeclineCode; message: string } | null {
  if (answer.status !== 402) return null;
  const parsed = errorAnswer.safeParse(answer.body);
  if (!parsed.success || !(declineCodes as readonly string[]).includes(parsed.data.error.code)) return null;
  return { code: parsed.data.error.code as BankDeclineCode, message: scrub(parsed.data.error.message ?? parsed.data.error.code) };
}

/** Any other refusal: the outcome is unknown until a lookup by reference says otherwise. */
function notDefinite(answer: BankAnswer, what: string, scrub: (text: string) => string): BankTransportError {
  // A bank that does not know the card (404) has said what a decline would, if a lookup confirms nothing was booked.
  const refusal = answer.status === 404 ? { ...refusalFrom(answer, scrub), code: 'invalid_card' as const } : refusalFrom(answer, scrub);
  return new BankTransportError(
    `sandbox bank: expected a result or a definite decline to ${what}, received HTTP ${answer.status} (${refusal.message}); the outcome is unknown`,
    { refusal },
  );
}

function chargeResultFrom(charge: z.infer<typeof chargeAnswer>, scrub: (text: string) => string): ChargeResult {
  if (charge.status === 'approved') return { status: 'approved', bankChargeId: charge.id, reference: charge.reference };
  return {
    status: 'declined',
    bankChargeId: charge.id,
    reference: charge.reference,
    code: toDeclineCode(charge.decline_code),
    message: scrub(charge.decline_message ?? 'The card was declined.'),
  };
}

/** `{ error: { code, message } }` → a code from the closed set and a scrubbed message. */
function refusalFrom(answer: BankAnswer, scrub: (text: string) => string): { code: BankDeclineCode; message: string } {
  const parsed = errorAnswer.safeParse(answer.body);
  if (!parsed.success) return { code: 'processing_error', message: `the bank refused the request (HTTP ${answer.status})` };
  const { code, message } = parsed.data.error;
  return { code: toDeclineCode(code), message: scrub(message ?? code) };
}

function toDeclineCode(code: string | null): BankDeclineCode {
  return (declineCodes as readonly (string | null)[]).includes(code) ? (code as BankDeclineCode) : 'processing_error';
}

function errorCode(body: unknown): string | undefined {
  const parsed = errorAnswer.safeParse(body);
  return parsed.success ? parsed.data.error.code : undefined;
}

function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new BankConfigurationError(`sandbox bank adapter: expected baseUrl to be an http(s) URL, received ${JSON.stringify(String(baseUrl))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BankConfigurationError(`sandbox bank adapter: expected an http: or https: baseUrl, received ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new BankConfigurationError('sandbox bank adapter: expected a baseUrl without credentials; pass apiKey instead');
  }
  // Paths resolve relative to the base, so it must end in a slash.
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

function socketCause(error: unknown): unknown {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' ? cause : undefined;
}

function networkErrorCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' ? cause.code : 'network error';
}

/** Removes the given secrets and anything that looks like a card number (12–19 digits, spaces or dashes allowed). */
function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 3) out = out.split(secret).join('[REDACTED]');
  }
  return out.replace(/\d(?:[ -]?\d){11,18}/g, '[REDACTED]');
}
