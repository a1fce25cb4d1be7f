/**
 * The source of a new adapter (server/adapters/<name>.ts): a complete card bank over
 * the shared HTTP transport, speaking an API shaped like the sandbox bank's
 * (README "The sandbox bank") — so it runs, type-checks and passes the suite's shape
 * checks at once. Its author then changes the paths, bodies, answer shapes and the
 * refusal table to their bank's, the limits to exactly what their bank accepts and the BINs to the numbers it
 * issues; a bank that converts currencies adds `quoteFx` and `feeSchedule` (see lotus-bank.ts), one with offers for its
 * card holders the five members of capability `offers` (see http/card-bank-offers.ts, docs/adapters.md section 7).
 */
import type { AdapterNames } from './adapter-names.ts';

/** `imports` maps each module the file needs to its import path from the file's folder. */
export function renderAdapterFile(names: AdapterNames, imports: { adapters: string }): string {
  const { id, pascal, env, display } = names;
  const from = (module: string) => `${imports.adapters}/${module}`;
  return `/**
 * ${display}: its mapping onto \`BankAdapter\`, over the shared HTTP transport
 * (server/adapters/http/bank-http-transport.ts decides timeouts, 5xx, bad keys and garbled answers).
 * What is specific to ${display}: its paths and bodies, the shapes of its answers, one refusal table
 * and its limits. Scaffolded by \`npm run new-adapter -- ${id}\` with an API shaped like the sandbox
 * bank's; change each to ${display}'s, then prove it: test/adapters/${id}.test.ts with
 * ${env}_SANDBOX_URL and ${env}_API_KEY set (docs/adapters.md).
 */
import { z } from 'zod';
import { BankConfigurationError, BankTransportError, type BankAdapter, type BankBrand, type CardBrand, type ChargeResult } from '${from('bank-adapter.ts')}';
import { checkBankLimits, type BankLimits } from '${from('bank-limits.ts')}';
import { isCardDeclineCode } from '${from('bank-result-code.ts')}';
import { createBankHttpTransport, type BankAnswer } from '${from('http/bank-http-transport.ts')}';
import { readRefusal, type RefusalTable } from '${from('http/refusal-table.ts')}';

export interface ${pascal}AdapterOptions {
  baseUrl: string;
  apiKey: string;
  /** Per call, covering connect + answer; default 10 s. */
  timeoutMs?: number;
  /** Default: the global fetch (canned tests replay recorded answers through their own). */
  fetch?: typeof fetch;
}

/** The leading digits of the card numbers ${display} issues (1 to 8 digits each): the wallet routes a card number to the bank with the longest matching one. */
export const ${names.camel}Bins: readonly string[] = ['4'];

/** Exactly what ${display} accepts: the conformance suite charges at each limit against the sandbox. */
export const ${names.camel}Limits: BankLimits = {
  currencies: ['EUR'],
  amount: { min: 1, max: 1_000_000 },
  maxDescriptionLength: 22,
};

type ${pascal}Call = 'tokenize' | 'charge' | 'refund';

/** Every refusal of ${display}, and what it means (first matching row wins; see http/refusal-table.ts). */
const refusals: RefusalTable<${pascal}Call> = [
  { status: [402], calls: ['tokenize', 'charge', 'refund'], means: 'decline', standardCodeOnly: true },
  { status: [402, 400, 409, 413], calls: ['tokenize'], means: 'decline', code: 'processing_error' },
  { status: [422], calls: ['tokenize'], means: 'decline', code: 'invalid_card' },
  { status: [404], calls: ['charge', 'refund'], means: 'unknown', code: 'invalid_card' },
  // Anything else on a money-moving call may hide money that moved: unknown, resolved by a lookup.
  { status: 'other', calls: ['charge', 'refund'], means: 'unknown' },
];

const cardBrands: readonly CardBrand[] = ['visa', 'mastercard', 'amex', 'discover', 'jcb', 'unionpay', 'unknown'];
const errorAnswer = z.object({ error: z.object({ code: z.string(), message: z.string().optional() }) });
const tokenAnswer = z.object({
  token: z.string().min(1),
  brand: z.string(),
  last4: z.string().regex(/^\\d{4}$/),
  exp_month: z.number().int(),
  exp_year: z.number().int(),
  // The currency of the account the card draws on; null: charged in whatever currency it is asked to.
  currency: z.string().regex(/^[A-Z]{3}$/).nullable(),
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
const refundRecord = z.object({ id: z.string().min(1), charge_id: z.string(), reference: z.string(), amount: z.number().int(), currency: z.string(), created_at: z.string() });
const brandAnswer = z.object({
  name: z.object({ en: z.string().min(1), 'zh-CN': z.string().min(1).optional() }),
  logo: z.string().startsWith('data:'),
  colors: z.object({ primary: z.string(), onPrimary: z.string(), accent: z.string(), background: z.string(), text: z.string(), border: z.string() }),
  radius: z.string(),
  fontStack: z.string(),
  support: z.object({ phone: z.string().optional(), email: z.string().optional(), url: z.string().optional() }),
});
const lookupOf = <T extends z.ZodType>(row: T) => z.object({ data: z.array(row).max(1) });
const pageOf = <T extends z.ZodType>(row: T) => z.object({ data: z.array(row), has_more: z.boolean() });
const readError = (body: unknown) => {
  const parsed = errorAnswer.safeParse(body);
  return parsed.success ? parsed.data.error : null;
};

export function create${pascal}Adapter(options: ${pascal}AdapterOptions): BankAdapter {
  const bank = createBankHttpTransport({
    bankName: '${display}',
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    apiKeySetting: '${env}_API_KEY',
    baseUrlSetting: '${env}_URL',
    timeoutMs: options.timeoutMs ?? 10_000,
    isWrongRoute: (answer) => answer.status === 404 && readError(answer.body)?.code === 'not_found',
    fetch: options.fetch,
  });
  let limits: BankLimits;
  try {
    limits = checkBankLimits('${id}', ${names.camel}Limits);
  } catch (error) {
    throw new BankConfigurationError(\`${display} adapter: \${(error as Error).message}\`);
  }

  function refused(call: ${pascal}Call, answer: BankAnswer, what: string, secrets: readonly string[]) {
    const meaning = readRefusal(refusals, call, answer, readError, (text) => bank.redact(text, secrets));
    if (meaning.means === 'unexpected') return bank.unexpected(answer, what, meaning.bankCode);
    if (meaning.means === 'unknown') {
      throw new BankTransportError(\`${display}: expected a result or a definite decline to \${what}, received HTTP \${answer.status} (\${meaning.message}); the outcome is unknown\`, {
        refusal: { code: meaning.code, message: meaning.message },
      });
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

  const sameReference = (asked: string, answered: string) => {
    if (answered !== asked) {
      throw new BankTransportError(\`${display}: expected an answer for reference \${JSON.stringify(asked)}, received one for \${JSON.stringify(answered)}; the outcome is unknown\`);
    }
  };

  async function read<T>(schema: z.ZodType<T>, path: string): Promise<T> {
    const answer = await bank.send('GET', path);
    const what = \`GET /\${path.split('?')[0]}\`;
    if (answer.status !== 200) return bank.unexpected(answer, what, readError(answer.body)?.code);
    return bank.parse(schema, answer, what);
  }

  async function* pages<T extends { id: string }>(schema: z.ZodType<{ data: T[]; has_more: boolean }>, path: string, since: Date) {
    let after: string | undefined;
    for (;;) {
      const query = new URLSearchParams({ created_since: since.toISOString(), limit: '500' });
      if (after) query.set('starting_after', after);
      const page = await read(schema, \`\${path}?\${query}\`);
      yield* page.data;
      if (!page.has_more || page.data.length === 0) return;
      after = page.data[page.data.length - 1].id;
    }
  }

  let brandCache: Promise<BankBrand> | undefined;

  return {
    id: '${id}',
    limits,
    bins: ${names.camel}Bins,

    brand() {
      brandCache ??= read(brandAnswer, 'v1/brand').catch((error: unknown) => {
        brandCache = undefined;
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
          card: { token: token.token, brand, last4: token.last4, expMonth: token.exp_month, expYear: token.exp_year, currency: token.currency },
        };
      }
      return { status: 'rejected', ...refused('tokenize', answer, 'POST /v1/tokens', secrets) };
    },

    async releaseToken(token) {
      const what = 'DELETE /v1/tokens/:token';
      const answer = await bank.send('DELETE', \`v1/tokens/\${encodeURIComponent(token)}\`, { secrets: [token] });
      if (answer.status === 200) {
        bank.parse(releaseAnswer, answer, what, [token]);
        return;
      }
      // Idempotent: a token the bank does not know (released long ago) holds no card.
      if (answer.status === 404 && readError(answer.body)?.code === 'token_not_found') return;
      return bank.unexpected(answer, what, readError(answer.body)?.code);
    },

    async charge(request) {
      const secrets = [request.token];
      const { token, amount, currency, reference, description, fxQuoteId } = request;
      const body = {
        token,
        amount,
        currency,
        reference,
        ...(description === undefined ? {} : { description }),
        // Set when the card's currency differs from the payment's: the charge is then exactly the quote's debit.
        ...(fxQuoteId === undefined ? {} : { fx_quote_id: fxQuoteId }),
      };
      const answer = await bank.send('POST', 'v1/charges', { idempotencyKey: request.idempotencyKey, body, secrets });
      if (answer.status === 200 || answer.status === 201) {
        const charge = bank.parse(chargeAnswer, answer, 'POST /v1/charges', secrets);
        sameReference(reference, charge.reference);
        return chargeResultFrom(charge, secrets);
      }
      return { status: 'declined', bankChargeId: null, reference, ...refused('charge', answer, 'POST /v1/charges', secrets) };
    },

    async lookupCharge(reference) {
      const [charge] = (await read(lookupOf(chargeAnswer), \`v1/charges?reference=\${encodeURIComponent(reference)}\`)).data;
      if (!charge) return null;
      sameReference(reference, charge.reference);
      return chargeResultFrom(charge, []);
    },

    async refund(request) {
      const { bankChargeId, amount, currency, reference } = request;
      const answer = await bank.send('POST', 'v1/refunds', { idempotencyKey: request.idempotencyKey, body: { charge_id: bankChargeId, amount, currency, reference } });
      if (answer.status === 200 || answer.status === 201) {
        const refund = bank.parse(refundAnswer, answer, 'POST /v1/refunds');
        return { status: 'succeeded', bankRefundId: refund.id, reference };
      }
      return { status: 'failed', bankRefundId: null, reference, ...refused('refund', answer, 'POST /v1/refunds', []) };
    },

    async lookupRefund(reference) {
      const [refund] = (await read(lookupOf(refundAnswer), \`v1/refunds?reference=\${encodeURIComponent(reference)}\`)).data;
      if (!refund) return null;
      sameReference(reference, refund.reference);
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
`;
}
