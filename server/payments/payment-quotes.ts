import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Selectable } from 'kysely';
import { BankTransportError, type BankAdapter } from '../adapters/bank-adapter.ts';
import { offerEffect, type OfferQuote, type OfferValue } from '../adapters/bank-offers.ts';
import { feeFor } from '../adapters/fee-schedule.ts';
import type { FxQuote, FxQuoteRequest } from '../adapters/fx-quote.ts';
import { PaykeyError } from '../errors/paykey-error.ts';
import { randomId } from '../security/secrets.ts';
import type { CardRow } from '../shoppers/cards.ts';
import { inTransaction, type WalletDb } from '../store/database.ts';
import type { PaymentQuotesTable } from '../store/schema.ts';
import type { SignedOffer, SignedTerms } from '../webauthn/payment-hash.ts';
import type { AppliedOffer, PaymentTerms } from '../../widget/shopper-api.ts';
import { fxQuoteProblem } from './check-fx-quote.ts';
import type { FeeScheduleLookup } from './fee-schedule-cache.ts';
import { minorUnitDigits } from './money.ts';
import { assertBankCarries } from './payable-by-banks.ts';
import type { PaymentIntent } from './payment-intents.ts';
import { insertRow, reusableQuery } from '../store/reusable-query.ts';

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
 * With `offer` (one of this bank's current quotes for this card, which the shopper applied): the card is charged
 * `offerEffect(amount, value).charged` instead of the amount — the fee is computed on that, the conversion is of that
 * plus the fee — the quote expires no later than the offer, and the offer is stored with it (the only offer Paykey
 * ever stores is one the shopper applied).
 */
export async function quotePayment(
  deps: QuoteDeps,
  input: { intent: PaymentIntent; card: CardRow; bank: BankAdapter; offer?: OfferQuote },
): Promise<PaymentQuote> {
  const { intent, card, bank, offer } = input;
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
  const charged = offer ? offerEffect(intent.amount, offer.value).charged : intent.amount;
  const schedule = await deps.feeSchedules(bank);
  const fee = (schedule && feeFor(schedule, 'card', intent.currency, charged, { crossCurrency })) ?? 0;
  const toConvert = charged + fee;

  let expiresAt = now.getTime() + QUOTE_TTL_MS;
  if (offer) expiresAt = Math.min(expiresAt, Date.parse(offer.expiresAt));
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
    ...offerColumns(offer, charged),
  };
  await inTransaction(deps.db, async (trx) => {
    await insertRow(trx, 'payment_quotes', quote);
    await retireOldestQuotes(trx, intent.id, quote.id);
  });
  return quote;
}

/** The `offer_*` columns of a quote: the applied offer as the bank quoted it, or all null. */
function offerColumns(offer: OfferQuote | undefined, charged: number): Pick<
  PaymentQuote,
  | 'offer_bank_quote_id' | 'offer_id' | 'offer_version' | 'offer_terms_hash' | 'offer_kind' | 'offer_funded_by' | 'offer_personalized'
  | 'offer_title' | 'offer_terms' | 'offer_value' | 'offer_refund_policy' | 'offer_charged'
> {
  return {
    offer_bank_quote_id: offer?.quoteId ?? null,
    offer_id: offer?.offerId ?? null,
    offer_version: offer?.version ?? null,
    offer_terms_hash: offer?.termsHash ?? null,
    offer_kind: offer?.value.kind ?? null,
    offer_funded_by: offer?.fundedBy ?? null,
    offer_personalized: offer ? (offer.personalized ? 1 : 0) : null,
    offer_title: offer?.title ?? null,
    offer_terms: offer?.terms ?? null,
    offer_value: offer ? JSON.stringify(offer.value) : null,
    offer_refund_policy: offer?.refundPolicy ?? null,
    offer_charged: offer ? charged : null,
  };
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
  const quotes = (await unpaidQuotesOf.run(db, { intentId, keep })).rows;
  const retired = quotes.slice(MAX_QUOTES_PER_INTENT - 1).map((row) => row.id);
  if (retired.length > 0) await db.deleteFrom('payment_quotes').where('id', 'in', retired).execute();
}

// Every quote runs these: built and compiled once (reusable-query.ts).
const unpaidQuotesOf = reusableQuery(['intentId', 'keep'] as const, (db, p) =>
  db
    .selectFrom('payment_quotes')
    .select('id')
    .where('intent_id', '=', p.intentId)
    .where('id', '!=', p.keep)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('payment_attempts').select('payment_attempts.id').whereRef('payment_attempts.quote_id', '=', 'payment_quotes.id'))),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc'),
);

export async function findQuote(db: WalletDb, id: string): Promise<PaymentQuote | undefined> {
  return quoteById.first(db, { id });
}

// Read by the challenge and the confirmation of every payment: built and compiled once (reusable-query.ts).
const quoteById = reusableQuery(['id'] as const, (db, p) => db.selectFrom('payment_quotes').selectAll().where('id', '=', p.id));

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
    ...(quote.offer_id !== null ? { offer: signedOfferOf(quote) } : {}),
  };
}

/** The applied offer as the challenge binds it; the gross amount is the intent's (bound separately). */
function signedOfferOf(quote: PaymentQuote): SignedOffer {
  return {
    bankQuoteId: quote.offer_bank_quote_id ?? '',
    offerId: quote.offer_id ?? '',
    version: Number(quote.offer_version),
    termsHash: quote.offer_terms_hash ?? '',
    value: offerValueOf(quote)!,
    charged: Number(quote.offer_charged),
  };
}

/** The stored value of a quote's applied offer (`offer_value`, JSON `OfferValue`); null without one. */
export function offerValueOf(quote: Pick<PaymentQuote, 'offer_value'>): OfferValue | null {
  return quote.offer_value === null ? null : (JSON.parse(quote.offer_value) as OfferValue);
}

/**
 * The applied offer as the confirm screen shows it; null without one. `endsAt` (when the offer itself ends) is not
 * stored with the quote: `/quotes` passes the fresh bank quote's, terms rebuilt from the row alone say null (no end
 * to show — the frame shows an offer's end only when one is known and near).
 */
export function appliedOfferOf(quote: PaymentQuote, endsAt: string | null = null): AppliedOffer | null {
  const value = offerValueOf(quote);
  if (quote.offer_id === null || value === null) return null;
  return {
    offerId: quote.offer_id,
    version: Number(quote.offer_version),
    kind: value.kind,
    personalized: Number(quote.offer_personalized) === 1,
    fundedBy: quote.offer_funded_by ?? 'bank',
    title: quote.offer_title ?? '',
    terms: quote.offer_terms ?? '',
    value,
    effect: offerEffect(quote.amount, value),
    refundPolicy: quote.offer_refund_policy ?? 'revoke_on_any_refund',
    // The quote holds no longer than the bank's offer quote (quotePayment), so its expiry is that quote's as applied.
    expiresAt: quote.expires_at,
    endsAt,
    termsHash: quote.offer_terms_hash ?? '',
  };
}

/**
 * The quote as the confirm screen shows it (widget/shopper-api.ts). `offerEndsAt`: the applied offer's end, from the
 * bank quote it was made with (`OfferQuote.endsAt`); not stored, so null when the terms are rebuilt from the row.
 */
export function toPaymentTerms(quote: PaymentQuote, offerEndsAt: string | null = null): PaymentTerms {
  return {
    quoteId: quote.id,
    cardId: quote.card_id,
    amount: quote.amount,
    currency: quote.currency,
    fee: quote.fee_amount,
    fx: quote.fx_rate !== null ? { rate: quote.fx_rate, source: quote.fx_source ?? '' } : null,
    debit: { amount: quote.debit_amount, currency: quote.debit_currency, currencyDigits: minorUnitDigits(quote.debit_currency) ?? 2 },
    expiresAt: quote.expires_at,
    offer: appliedOfferOf(quote, offerEndsAt),
  };
}

/** Expired quotes deleted per statement of a housekeeping pass (a short write lock each, on SQLite too). */
export const QUOTE_PRUNE_BATCH = 200;
/** At most this many batches per pass; what is left waits for the next pass. */
const QUOTE_PRUNE_MAX_BATCHES = 50;
/**
 * How far behind its own clock a pass leaves the watermark: a quote stored later with an expiry already this close to
 * the past (another instance's clock a little behind, a bank's FX quote about to run out) is still looked at.
 */
export const QUOTE_WATERMARK_LAG_MS = 60_000;

/**
 * Where the last pass on this database handle stopped: every quote expiring at or before `after` has been looked at
 * (deleted, or kept because an attempt was made with it). Kept in memory: a restarted process looks at the whole
 * expired range once, then only at what expired since.
 */
const watermarks = new WeakMap<WalletDb, string>();

/**
 * Housekeeping: deletes quotes that expired and no attempt was made with (the terms nobody paid with, and with them
 * any offer the shopper applied but did not pay with — Paykey keeps no offer past its quote), oldest first, in small
 * batches by `payment_quotes_expires`. A quote an attempt was made with is the record of what was signed: kept — and
 * never looked at again: each pass reads only the index range that expired since the last pass (a watermark, kept
 * `QUOTE_WATERMARK_LAG_MS` behind), so its work follows what expired, not how many paid quotes history holds.
 * A confirmation that checked its quote just before the expiry and is still in flight meets no quote when it records
 * its attempt (`beginPaymentAttempt` checks the quote is still there in its transaction), so nothing is charged.
 * Returns how many were deleted.
 */
export async function pruneExpiredQuotes(db: WalletDb, now: Date, batch = QUOTE_PRUNE_BATCH): Promise<number> {
  const until = now.toISOString();
  let cursor: QuoteCursor = { after: watermarks.get(db) ?? null, from: null, seenAtFrom: [] };
  let deleted = 0;
  let drained = false;
  for (let pass = 0; pass < QUOTE_PRUNE_MAX_BATCHES; pass++) {
    if (pass > 0) await yieldToEventLoop();
    const rows = await expiredQuotesBatch(db, now, batch, cursor).execute();
    const unpaid = rows.filter((row) => !row.paid).map((row) => row.id);
    if (unpaid.length > 0) {
      // Re-checked in the delete itself: an attempt recorded since the select keeps its quote.
      const result = await db
        .deleteFrom('payment_quotes')
        .where('id', 'in', unpaid)
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('payment_attempts').select('payment_attempts.id').whereRef('payment_attempts.quote_id', '=', 'payment_quotes.id'))),
        )
        .executeTakeFirst();
      deleted += Number(result.numDeletedRows);
    }
    if (rows.length < batch) {
      drained = true;
      break;
    }
    cursor = nextCursor(cursor, rows);
  }
  // Everything up to `until` (drained) or just before the cursor's expiry (a pass cut short) has been looked at.
  const covered = drained ? Date.parse(until) : Date.parse(cursor.from ?? until) - 1;
  const next = new Date(Math.min(covered, now.getTime() - QUOTE_WATERMARK_LAG_MS)).toISOString();
  const previous = watermarks.get(db);
  if (previous === undefined || next > previous) watermarks.set(db, next);
  return deleted;
}

/**
 * Where a batch of the quote pass starts: after the watermark (exclusive), and within a pass from the last batch's
 * last expiry (inclusive, minus the quotes already read at exactly that expiry: several quotes can share one).
 */
export interface QuoteCursor {
  after: string | null;
  from: string | null;
  seenAtFrom: string[];
}

function nextCursor(cursor: QuoteCursor, rows: { id: string; expires_at: string }[]): QuoteCursor {
  const last = rows[rows.length - 1].expires_at;
  const atLast = rows.filter((row) => row.expires_at === last).map((row) => row.id);
  return { after: cursor.after, from: last, seenAtFrom: cursor.from === last ? [...cursor.seenAtFrom, ...atLast] : atLast };
}

/**
 * One batch of `pruneExpiredQuotes`: at most `batch` expired quotes past the cursor, oldest first, by
 * `payment_quotes_expires`, each with whether an attempt was made with it (`payment_attempts_quote`). Every row the
 * database visits is a row returned: the paid ones are skipped by the pass, not searched past by the query.
 */
export function expiredQuotesBatch(db: WalletDb, now: Date, batch: number, cursor: QuoteCursor = { after: null, from: null, seenAtFrom: [] }) {
  let query = db
    .selectFrom('payment_quotes')
    .select(['id', 'expires_at'])
    .select(({ exists, selectFrom }) =>
      exists(selectFrom('payment_attempts').select('payment_attempts.id').whereRef('payment_attempts.quote_id', '=', 'payment_quotes.id')).as('paid'),
    )
    .where('expires_at', '<=', now.toISOString());
  if (cursor.after !== null) query = query.where('expires_at', '>', cursor.after);
  if (cursor.from !== null) query = query.where('expires_at', '>=', cursor.from);
  if (cursor.seenAtFrom.length > 0) {
    const from = cursor.from!;
    const seen = cursor.seenAtFrom;
    query = query.where((eb) => eb.or([eb('expires_at', '>', from), eb('id', 'not in', seen)]));
  }
  return query.orderBy('expires_at').limit(batch);
}
