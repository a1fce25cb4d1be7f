/**
 * The mapping onto `BankAdapter` of the card bank API the demo banks speak (the sandbox bank and Lotus Bank run
 * the same code, `demo/bank/`, from their profiles): paths, bodies, the shapes of its answers and one refusal table,
 * over the shared HTTP transport (bank-http-transport.ts decides timeouts, 5xx, bad keys and garbled answers).
 * A bank file (`sandbox-bank.ts`, `lotus-bank.ts`) gives its name, settings, limits, BINs and which optional
 * capabilities it has (FX quotes and fees; offers, mapped in card-bank-offers.ts).
 */
import { z } from 'zod';
import {
  BankConfigurationError,
  BankTransportError,
  type BankAdapter,
  type BankBrand,
  type CardBrand,
  type ChargeResult,
} from '../bank-adapter.ts';
import { checkBankLimits, type BankLimits } from '../bank-limits.ts';
import { isCardDeclineCode } from '../bank-result-code.ts';
import type { FeeSchedule } from '../fee-schedule.ts';
import { convertedAmount, type FxQuote } from '../fx-quote.ts';
import { createBankHttpTransport, type BankAnswer } from './bank-http-transport.ts';
import { readRefusal, type RefusalTable } from './refusal-table.ts';
import { cardBankOffers } from './card-bank-offers.ts';

/** Where a wallet finds one demo card bank, and how it calls it: each bank's adapter options extend this. */
export interface CardBankConnection {
  /** e.g. `http://127.0.0.1:8788` */
  baseUrl: string;
  apiKey: string;
  /** Per call, covering connect + answer; default 10 s. */
  timeoutMs?: number;
  /** Stored with each card; default the bank's own (e.g. "sandbox", "lotus"). */
  id?: string;
  /** Default: the global fetch (canned tests replay recorded answers through their own). */
  fetch?: typeof fetch;
}

/** What one bank speaking this API is: how it is named and configured, what it carries and issues, what it can do. */
export interface CardBankApiBank {
  /** The adapter id unless the connection gives one. */
  defaultId: string;
  /** How messages name the bank, e.g. "sandbox bank". */
  bankName: string;
  /** The settings an operator fixes for a refused key or a wrong URL, e.g. "BANK_API_KEY", "BANK_URL". */
  apiKeySetting: string;
  baseUrlSetting: string;
  limits: BankLimits;
  /** The leading digits of the card numbers the bank issues (see `BankAdapter.bins`). */
  bins: readonly string[];
  /** The bank quotes exchange rates (`POST /v1/fx-quotes`) and publishes its fees (`GET /v1/fee-schedule`). */
  fxAndFees: boolean;
  /** The bank has offers for its card holders (`/v1/offers/*`, capability `offers`: card-bank-offers.ts). */
  offers: boolean;
}

type CardBankCall = 'tokenize' | 'charge' | 'refund';

/** The bank's documented refusals of a charge naming an FX quote: checked before booking, nothing moved. */
export const FX_QUOTE_REFUSALS = ['fx_quote_required', 'fx_quote_not_found', 'fx_quote_expired', 'fx_quote_mismatch'] as const;

/** Every refusal of the card bank API, and what it means (README "The sandbox bank"). */
const refusals: RefusalTable<CardBankCall> = [
  // A card the issuer refuses, a charge it declines, a refund over what was charged: definite, with the bank's code.
  { status: [402], calls: ['tokenize', 'charge', 'refund'], means: 'decline', standardCodeOnly: true },
  // A charge whose FX quote is missing, unknown, expired or not its debit: refused before anything was booked.
  { status: [422], calls: ['charge'], means: 'decline', code: 'processing_error', bankCodes: FX_QUOTE_REFUSALS },
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
const currencyCode = z.string().regex(/^[A-Z]{3}$/);
const errorAnswer = z.object({ error: z.object({ code: z.string(), message: z.string().optional() }) });
const tokenAnswer = z.object({
  token: z.string().min(1),
  brand: z.string(),
  last4: z.string().regex(/^\d{4}$/),
  exp_month: z.number().int(),
  exp_year: z.number().int(),
  // Absent from a bank older than card currencies: charged in any currency.
  currency: currencyCode.nullable().optional(),
});
const releaseAnswer = z.object({ token: z.string(), released: z.literal(true) });
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
/** The shape only; whether the brand may be shown (contrast, sizes) is checked where it is loaded (server/banks/). */
const brandAnswer = z.object({
  name: z.object({ en: z.string().min(1), 'zh-CN': z.string().min(1).optional() }),
  logo: z.string().startsWith('data:'),
  colors: z.object({
    primary: z.string(),
    onPrimary: z.string(),
    accent: z.string(),
    background: z.string(),
    text: z.string(),
    border: z.string(),
  }),
  radius: z.string(),
  fontStack: z.string(),
  support: z.object({ phone: z.string().optional(), email: z.string().optional(), url: z.string().optional() }),
});
const minorUnits = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const fxQuoteAnswer = z.object({
  id: z.string().min(1),
  from: currencyCode,
  to: currencyCode,
  rate: z.string().regex(/^\d+(\.\d+)?$/),
  ratio: z.object({ numerator: minorUnits, denominator: minorUnits }),
  source: z.string().min(1),
  expires_at: z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'expected an ISO 8601 time'),
  amount: minorUnits,
  debit: minorUnits,
});
const feeScheduleAnswer = z.object({
  entries: z.array(
    z.object({
      method: z.enum(['card', 'account_payment']),
      currency: currencyCode,
      fixed: z.number().int().min(0),
      basis_points: z.number().int().min(0),
      applies: z.enum(['any', 'cross_currency']).optional(),
    }),
  ),
});
const lookupOf = <T extends z.ZodType>(row: T) => z.object({ data: z.array(row).max(1) });
const pageOf = <T extends z.ZodType>(row: T) => z.object({ data: z.array(row), has_more: z.boolean() });

const readError = (body: unknown) => {
  const parsed = errorAnswer.safeParse(body);
  return parsed.success ? parsed.data.error : null;
};

export function createCardBankApiAdapter(connection: CardBankConnection, options: CardBankApiBank): BankAdapter {
  const { bankName } = options;
  const id = connection.id ?? options.defaultId;
  const bank = createBankHttpTransport({
    bankName,
    baseUrl: connection.baseUrl,
    apiKey: connection.apiKey,
    apiKeySetting: options.apiKeySetting,
    baseUrlSetting: options.baseUrlSetting,
    timeoutMs: connection.timeoutMs ?? 10_000,
    isWrongRoute: (answer) => answer.status === 404 && readError(answer.body)?.code === 'not_found',
    fetch: connection.fetch,
  });
  let limits: BankLimits;
  try {
    limits = checkBankLimits(id, options.limits);
  } catch (error) {
    throw new BankConfigurationError(`${bankName} adapter: ${(error as Error).message}`);
  }
  const bins = Object.freeze([...options.bins]);

  /** A refusal of a money-moving call: a definite decline, or an unknown outcome carrying the refusal. */
  function refused(call: CardBankCall, answer: BankAnswer, what: string, secrets: readonly string[]) {
    const meaning = readRefusal(refusals, call, answer, readError, (text) => bank.redact(text, secrets));
    if (meaning.means === 'unexpected') return bank.unexpected(answer, what, meaning.bankCode);
    if (meaning.means === 'unknown') {
      throw new BankTransportError(
        `${bankName}: expected a result or a definite decline to ${what}, received HTTP ${answer.status} (${meaning.message}); the outcome is unknown`,
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
        `${bankName}: expected ${what} for reference ${JSON.stringify(asked)}, received one for ${JSON.stringify(answered)}; the outcome is unknown`,
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

  const adapter: BankAdapter = {
    id,
    limits,
    bins,

    brand() {
      brandCache ??= read(brandAnswer, 'v1/brand').catch((error: unknown) => {
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
          card: { token: token.token, brand, last4: token.last4, expMonth: token.exp_month, expYear: token.exp_year, currency: token.currency ?? null },
        };
      }
      return { status: 'rejected', ...refused('tokenize', answer, 'POST /v1/tokens', secrets) };
    },

    async releaseToken(token) {
      if (typeof token !== 'string' || token.length === 0) {
        throw new TypeError(`releaseToken: expected a non-empty token, received ${typeof token === 'string' ? 'an empty string' : typeof token}`);
      }
      const secrets = [token];
      const what = 'DELETE /v1/tokens/:token';
      const answer = await bank.send('DELETE', `v1/tokens/${encodeURIComponent(token)}`, { secrets });
      if (answer.status === 200) {
        bank.parse(releaseAnswer, answer, what, secrets);
        return;
      }
      // A token the bank does not know holds no card: nothing is left to release.
      if (answer.status === 404 && readError(answer.body)?.code === 'token_not_found') return;
      return bank.unexpected(answer, what, readError(answer.body)?.code);
    },

    async charge(request) {
      const secrets = [request.token];
      const { token, amount, currency, reference, description, fxQuoteId, offer } = request;
      const body = {
        token,
        amount,
        currency,
        reference,
        ...(description === undefined ? {} : { description }),
        ...(fxQuoteId === undefined ? {} : { fx_quote_id: fxQuoteId }),
        ...(offer === undefined
          ? {}
          : { offer: { redemption_id: offer.redemptionId, gross_amount: offer.grossAmount, gross_currency: offer.grossCurrency } }),
      };
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
  const withOffers: BankAdapter = options.offers ? { ...adapter, ...cardBankOffers(bank, readError) } : adapter;
  if (!options.fxAndFees) return withOffers;

  let feeCache: Promise<FeeSchedule> | undefined;
  return {
    ...withOffers,

    async quoteFx(request) {
      const what = 'POST /v1/fx-quotes';
      const answer = await bank.send('POST', 'v1/fx-quotes', { body: { from: request.from, to: request.to, amount: request.amount } });
      if (answer.status !== 201 && answer.status !== 200) return bank.unexpected(answer, what, readError(answer.body)?.code);
      const body = bank.parse(fxQuoteAnswer, answer, what);
      const quote: FxQuote = {
        quoteId: body.id,
        from: body.from,
        to: body.to,
        rate: body.rate,
        ratio: body.ratio,
        source: body.source,
        expiresAt: new Date(body.expires_at).toISOString(),
        amount: body.amount,
        debit: body.debit,
      };
      // A quote for another conversion, or whose debit is not its own rate applied, is not an answer to this call.
      const expectedDebit = convertedAmount(quote, quote.amount);
      if (quote.from !== request.from || quote.to !== request.to || quote.amount !== request.amount || quote.debit !== expectedDebit) {
        throw new BankTransportError(
          `${bankName}: expected a quote of ${request.amount} ${request.from} into ${request.to} debiting ${expectedDebit}, received ${quote.amount} ${quote.from} into ${quote.to} debiting ${quote.debit}`,
        );
      }
      return quote;
    },

    feeSchedule() {
      feeCache ??= read(feeScheduleAnswer, 'v1/fee-schedule').then(
        ({ entries }) => ({
          entries: entries.map((entry) => ({
            method: entry.method,
            currency: entry.currency,
            fixed: entry.fixed,
            basisPoints: entry.basis_points,
            applies: entry.applies ?? 'any',
          })),
        }),
        (error: unknown) => {
          feeCache = undefined; // Try again next time.
          throw error;
        },
      );
      return feeCache;
    },
  };
}
