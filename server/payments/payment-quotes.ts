import type { Selectable } from 'kysely';
import { BankTransportError, type BankAdapter } from '../adapters/bank-adapter.ts';
import { feeFor } from '../adapters/fee-schedule.ts';
import type { FxQuote, FxQuoteRequest } from '../adapters/fx-quote.ts';
import { PaykeyError } from '../errors/paykey-error.ts';
import { randomId } from '../security/secrets.ts';
import type { CardRow } from '../shoppers/cards.ts';
import { inTransaction, type WalletDb } from '../store/database.ts';
import type { PaymentQuotesTable } from '../store/schema.ts';
import type { SignedTerms } from '../webauthn/payment-hash.ts';
import type { PaymentTerms } from '../../widget/shopper-api.ts';
import { fxQuoteProblem } from './check-fx-quote.ts';
import type { FeeScheduleLookup } from './fee-schedule-cache.ts';
import { minorUnitDigits } from './money.ts';
import { assertBankCarries } from './payable-by-banks.ts';
import type { PaymentIntent } from './payment-intents.ts';

/** This module owns `payment_quotes`: the terms of paying one intent with one card, as its bank quoted them. */
export type PaymentQuote = Selectable<PaymentQuotesTable>;

/** How long a quote's fee holds when nothing shorter (the bank's FX quote) limits it. */
export const QUOTE_TTL_MS = 10 * 60 * 1000;

/**
 * Quotes one intent may hold. Asking for another deletes the oldest beyond this (one no attempt was made with; a
 * challenge issued for it then meets `quote_expired` and the frame quotes again): the newest is the one on screen.
 * Rate limits bound how fast they are asked for.
 */
export const MAX_QUOTES_PER_INTENT = 5;

export interface QuoteDeps {
  db: WalletDb;
  now: () => Date;
  feeSchedules: FeeScheduleLookup;
}

/**
 * The terms of paying `intent` with `card` at `bank` (the card's bank): its fee for this payment (a foreign-transaction
 * fee only when the card's currency differs), then, when it differs, the bank's FX quote for amount + fee; stored
 * with an expiry. A bank that cannot convert → 409 `card_unavailable`; a quote that does not add up → treated as no
 * answer (502 `bank_unavailable`), never shown.
 */
export async function quotePayment(deps: QuoteDeps, input: { intent: PaymentIntent; card: CardRow; bank: BankAdapter }): Promise<PaymentQuote> {
  const { intent, card, bank } = input;
  const now = deps.now();
  const cardCurrency = card.currency ?? intent.currency;
  const crossCurrency = cardCurrency !== intent.currency;
  if (crossCurrency && !bank.quoteFx) {
    throw new PaykeyError(
      'card_unavailable',
      `This card is held in ${cardCurrency} and its bank ("${bank.id}") quotes no exchange rate from ${intent.currency}: choose a card in ${intent.currency} or another card`,
    );
  }
  // A bank converts from the currencies its limits declare (Lotus Bank: USD, EUR, GBP, JPY into CNY): refused here,
  // with the bank's list, rather than as an unknown answer from its quote desk.
  if (crossCurrency) assertBankCarries(bank, { amount: intent.amount, currency: intent.currency });
  const schedule = await deps.feeSchedules(bank);
  const fee = (schedule && feeFor(schedule, 'card', intent.currency, intent.amount, { crossCurrency })) ?? 0;
  const toConvert = intent.amount + fee;

  let expiresAt = now.getTime() + QUOTE_TTL_MS;
  let fx: FxQuote | null = null;
  if (crossCurrency) {
    fx = await firmFxQuote(bank, { from: intent.currency, to: cardCurrency, amount: toConvert }, now);
    expiresAt = Math.min(expiresAt, Date.parse(fx.expiresAt));
  }
  const debit = { amount: fx ? fx.debit : toConvert, currency: cardCurrency };
  assertBankCarries(bank, debit);

  const quote: PaymentQuote = {
    id: randomId('quo'),
    intent_id: intent.id,
    card_id: card.id,
    bank: bank.id,
    bank_quote_id: fx ? fx.quoteId : null,
    amount: intent.amount,
    currency: intent.currency,
    fee_amount: fee,
    fx_rate: fx ? fx.rate : null,
    fx_source: fx ? fx.source : null,
    debit_amount: debit.amount,
    debit_currency: debit.currency,
    expires_at: new Date(expiresAt).toISOString(),
    created_at: now.toISOString(),
    offer_bank_quote_id: null,
    offer_id: null,
    offer_version: null,
    offer_terms_hash: null,
    offer_kind: null,
    offer_funded_by: null,
    offer_personalized: null,
    offer_title: null,
    offer_terms: null,
    offer_value: null,
    offer_refund_policy: null,
    offer_charged: null,
  };
  await inTransaction(deps.db, async (trx) => {
    await trx.insertInto('payment_quotes').values(quote).execute();
    await retireOldestQuotes(trx, intent.id, quote.id);
  });
  return quote;
}

/** The bank's quote, checked to add up; anything else is no answer (the frame may ask again). */
async function firmFxQuote(bank: BankAdapter, request: FxQuoteRequest, now: Date): Promise<FxQuote> {
  const quote = await bank.quoteFx!(request);
  const problem = fxQuoteProblem(quote, request, now);
  if (problem) throw new BankTransportError(`Bank "${bank.id}" answered an FX quote that does not add up: ${problem}`);
  return quote;
}

/** Deletes the intent's quotes beyond the newest MAX_QUOTES_PER_INTENT (`keep` among them), except those paid with. */
async function retireOldestQuotes(db: WalletDb, intentId: string, keep: string): Promise<void> {
  const quotes = await db
    .selectFrom('payment_quotes')
    .select('id')
    .where('intent_id', '=', intentId)
    .where('id', '!=', keep)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('payment_attempts').select('payment_attempts.id').whereRef('payment_attempts.quote_id', '=', 'payment_quotes.id'))),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const retired = quotes.slice(MAX_QUOTES_PER_INTENT - 1).map((row) => row.id);
  if (retired.length > 0) await db.deleteFrom('payment_quotes').where('id', 'in', retired).execute();
}

export async function findQuote(db: WalletDb, id: string): Promise<PaymentQuote | undefined> {
  return db.selectFrom('payment_quotes').selectAll().where('id', '=', id).executeTakeFirst();
}

export function isQuoteExpired(quote: PaymentQuote, now: Date): boolean {
  return quote.expires_at <= now.toISOString();
}

/** The quote's figures as the passkey challenge binds them (payment-hash.ts). */
export function signedTermsOf(quote: PaymentQuote): SignedTerms {
  return {
    quoteId: quote.id,
    fee: quote.fee_amount,
    fx: quote.fx_rate !== null ? { rate: quote.fx_rate, source: quote.fx_source ?? '' } : null,
    debit: { amount: quote.debit_amount, currency: quote.debit_currency },
  };
}

/** The quote as the confirm screen shows it (widget/shopper-api.ts). */
export function toPaymentTerms(quote: PaymentQuote): PaymentTerms {
  return {
    quoteId: quote.id,
    cardId: quote.card_id,
    amount: quote.amount,
    currency: quote.currency,
    fee: quote.fee_amount,
    fx: quote.fx_rate !== null ? { rate: quote.fx_rate, source: quote.fx_source ?? '' } : null,
    debit: { amount: quote.debit_amount, currency: quote.debit_currency, currencyDigits: minorUnitDigits(quote.debit_currency) ?? 2 },
    expiresAt: quote.expires_at,
    offer: null,
  };
}
