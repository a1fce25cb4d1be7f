/**
 * The sandbox partner bank (`demo/bank/`): its mapping onto `BankAdapter`, over the
 * shared HTTP transport (http/bank-http-transport.ts decides timeouts, 5xx, bad keys
 * and garbled answers for every bank). What is specific to this bank: its paths and
 * bodies, the shapes of its answers, and one refusal table.
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
  type CardBrand,
  type ChargeResult,
} from './bank-adapter.ts';
import { checkBankLimits, type BankLimits } from './bank-limits.ts';
import { isCardDeclineCode } from './bank-result-code.ts';
import { createBankHttpTransport, type BankAnswer } from './http/bank-http-transport.ts';
import { readRefusal, type RefusalTable } from './http/refusal-table.ts';

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
  /** Default: the global fetch (canned tests replay recorded answers through their own). */
  fetch?: typeof fetch;
}

type SandboxCall = 'tokenize' | 'charge' | 'refund';

/** Every refusal of the sandbox bank, and what it means (README "The sandbox bank"). */
const refusals: RefusalTable<SandboxCall> = [
  // A card the issuer refuses, a charge it declines, a refund over what was charged: definite, with the bank's code.
  { status: [402], calls: ['tokenize', 'charge', 'refund'], means: 'decline', standardCodeOnly: true },
  // Tokenizing moves no money: whatever else it refuses is a value.
  { status: [402], calls: ['tokenize'], means: 'decline', code: 'processing_error' },
  { status: [422], calls: ['tokenize'], means: 'decline', code: 'invalid_card' },
  { status: [400, 409, 413], calls: ['tokenize'], means: 'decline', code: 'processing_error' },
  // An unknown token or charge says what a decline would, once a lookup confirms nothing was booked.
  { status: [404], calls: ['charge', 'refund'], means: 'unknown', code: 'invalid_card' },
  // Anything else on a money-moving call (a 409 from a proxy, a reused reference) may hide money that moved.
  { status: 'other', calls: ['charge', 'refund'], means: 'unknown' },
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
const refundAnswer = z.object({ id: z.string().min(1), reference: z.string(), status: z.literal('succeeded') });
const chargeRecord = chargeAnswer.extend({ amount: z.number().int(), currency: z.string(), created_at: z.string() });
const refundRecord = z.object({
  id: z.string().min(1),
  charge_id: z.string(),
  reference: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  created_at: z.string(),
});
const brandAnswer = z.object({
  name: z.string().min(1),
  logo: z.string().startsWith('data:'),
  colors: z.object({ primary: z.string(), onPrimary: z.string(), accent: z.string() }),
});
const lookupOf = <T extends z.ZodType>(row: T) => z.object({ data: z.array(row).max(1) });
const pageOf = <T extends z.ZodType>(row: T) => z.object({ data: z.array(row), has_more: z.boolean() });

const readError = (body: unknown) => {
  const parsed = errorAnswer.safeParse(body);
  return parsed.success ? parsed.data.error : null;
};

export function createSandboxBankAdapter(options: SandboxBankAdapterOptions): BankAdapter {
  const { id = 'sandbox' } = options;
  const bank = createBankHttpTransport({
    bankName: 'sandbox bank',
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    apiKeySetting: 'BANK_API_KEY',
    baseUrlSetting: 'BANK_URL',
    timeoutMs: options.timeoutMs ?? 10_000,
    isWrongRoute: (answer) => answer.status === 404 && readError(answer.body)?.code === 'not_found',
    fetch: options.fetch,
  });
  let limits: BankLimits;
  try {
    limits = checkBankLimits(id, options.limits ?? sandboxBankLimits);
  } catch (error) {
    throw new BankConfigurationError(`sandbox bank adapter: ${(error as Error).message}`);
  }

  /** A refusal of a money-moving call: a definite decline, or an unknown outcome carrying the refusal. */
  function refused(call: SandboxCall, answer: BankAnswer, what: string, secrets: readonly string[]) {
    const meaning = readRefusal(refusals, call, answer, readError, (text) => bank.redact(text, secrets));
    if (meaning.means === 'unexpected') return bank.unexpected(answer, what, meaning.bankCode);
    if (meaning.means === 'unknown') {
      throw new BankTransportError(
        `sandbox bank: expected a result or a definite decline to ${what}, received HTTP ${answer.status} (${meaning.message}); the outcome is unknown`,
        { refusal: { code: meaning.code, message: meaning.message } },
      );
    }
    return { code: meaning.code, message: meaning.message };
  }

  const chargeResultFrom = (charge: z.infer<typeof chargeAnswer>, secrets: readonly string[]): ChargeResult =>
    charge.status === 'approved'
      ? { status: 'approved', bankChargeId: charge.id, reference: charge.reference }
      : {
          status: 'declined',
          bankChargeId: charge.id,
          reference: charge.reference,
          code: isCardDeclineCode(charge.decline_code) ? charge.decline_code : 'processing_error',
          message: bank.redact(charge.decline_message ?? 'The card was declined.', secrets),
        };

  /** Our reference must come back: an answer about another one is not an answer to this call. */
  const sameReference = (asked: string, answered: string, what: string) => {
    if (answered !== asked) {
      throw new BankTransportError(
        `sandbox bank: expected ${what} for reference ${JSON.stringify(asked)}, received one for ${JSON.stringify(answered)}; the outcome is unknown`,
      );
    }
  };

  async function read<T>(schema: z.ZodType<T>, path: string): Promise<T> {
    const answer = await bank.send('GET', path);
    const what = `GET /${path.split('?')[0]}`;
    if (answer.status !== 200) return bank.unexpected(answer, what, readError(answer.body)?.code);
    return bank.parse(schema, answer, what);
  }

  /** Keyset pages of a ledger listing, oldest first. */
  async function* pages<T extends { id: string }>(schema: z.ZodType<{ data: T[]; has_more: boolean }>, path: string, since: Date) {
    let after: string | undefined;
    for (;;) {
      const query = new URLSearchParams({ created_since: since.toISOString(), limit: '500' });
      if (after) query.set('starting_after', after);
      const page = await read(schema, `${path}?${query}`);
      yield* page.data;
      if (!page.has_more || page.data.length === 0) return;
      after = page.data[page.data.length - 1].id;
    }
  }

  let brandCache: Promise<BankBrand> | undefined;

  return {
    id,
    limits,

    brand() {
      brandCache ??= read(brandAnswer, 'brand').catch((error: unknown) => {
        brandCache = undefined; // Try again next time.
        throw error;
      });
      return brandCache;
    },

    async tokenizeCard(card, idempotencyKey) {
      const secrets = [card.number, card.cvc];
      const body = { number: card.number, exp_month: card.expMonth, exp_year: card.expYear, cvc: card.cvc, name: card.name };
      const answer = await bank.send('POST', 'v1/tokens', { idempotencyKey, body, secrets });
      if (answer.status === 200 || answer.status === 201) {
        const token = bank.parse(tokenAnswer, answer, 'POST /v1/tokens', secrets);
        const brand = (cardBrands as readonly string[]).includes(token.brand) ? (token.brand as CardBrand) : 'unknown';
        return {
          status: 'tokenized',
          card: { token: token.token, brand, last4: token.last4, expMonth: token.exp_month, expYear: token.exp_year },
        };
      }
      return { status: 'rejected', ...refused('tokenize', answer, 'POST /v1/tokens', secrets) };
    },

    async charge(request) {
      const secrets = [request.token];
      const { token, amount, currency, reference, description } = request;
      const body = { token, amount, currency, reference, ...(description === undefined ? {} : { description }) };
      const answer = await bank.send('POST', 'v1/charges', { idempotencyKey: request.idempotencyKey, body, secrets });
      if (answer.status === 200 || answer.status === 201) {
        const charge = bank.parse(chargeAnswer, answer, 'POST /v1/charges', secrets);
        sameReference(reference, charge.reference, 'a charge');
        return chargeResultFrom(charge, secrets);
      }
      return { status: 'declined', bankChargeId: null, reference, ...refused('charge', answer, 'POST /v1/charges', secrets) };
    },

    async lookupCharge(reference) {
      if (typeof reference !== 'string' || reference.length === 0) {
        throw new TypeError(`lookupCharge: expected a non-empty reference, received ${JSON.stringify(reference)}`);
      }
      const [charge] = (await read(lookupOf(chargeAnswer), `v1/charges?reference=${encodeURIComponent(reference)}`)).data;
      if (!charge) return null;
      sameReference(reference, charge.reference, 'a charge lookup');
      return chargeResultFrom(charge, []);
    },

    async refund(request) {
      const { bankChargeId, amount, currency, reference } = request;
      const body = { charge_id: bankChargeId, amount, currency, reference };
      const answer = await bank.send('POST', 'v1/refunds', { idempotencyKey: request.idempotencyKey, body });
      if (answer.status === 200 || answer.status === 201) {
        const refund = bank.parse(refundAnswer, answer, 'POST /v1/refunds');
        return { status: 'succeeded', bankRefundId: refund.id, reference };
      }
      return { status: 'failed', bankRefundId: null, reference, ...refused('refund', answer, 'POST /v1/refunds', []) };
    },

    async lookupRefund(reference) {
      const [refund] = (await read(lookupOf(refundAnswer), `v1/refunds?reference=${encodeURIComponent(reference)}`)).data;
      if (!refund) return null;
      sameReference(reference, refund.reference, 'a refund lookup');
      return { status: 'succeeded', bankRefundId: refund.id, reference: refund.reference };
    },

    async *listCharges(since) {
      for await (const charge of pages(pageOf(chargeRecord), 'v1/charges', since)) {
        const { id: bankChargeId, reference, status, amount, currency, created_at: createdAt } = charge;
        yield { bankChargeId, reference, status, amount, currency, createdAt };
      }
    },

    async *listRefunds(since) {
      for await (const refund of pages(pageOf(refundRecord), 'v1/refunds', since)) {
        const { id: bankRefundId, charge_id: bankChargeId, reference, amount, currency, created_at: createdAt } = refund;
        yield { bankRefundId, bankChargeId, reference, amount, currency, createdAt };
      }
    },
  };
}
