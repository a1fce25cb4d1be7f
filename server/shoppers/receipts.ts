import type { Selectable } from 'kysely';
import type { BankAdapter, LocalizedText } from '../adapters/bank-adapter.ts';
import { offerEffect, type OfferRedemption, type OfferValue } from '../adapters/bank-offers.ts';
import type { BankDirectory } from '../adapters/registry.ts';
import { PaykeyError } from '../errors/paykey-error.ts';
import { minorUnitDigits } from '../payments/money.ts';
import type { WalletDb } from '../store/database.ts';
import { reusableQuery } from '../store/reusable-query.ts';
import type { AccountPaymentsTable, PaymentAttemptsTable, PaymentIntentStatus } from '../store/schema.ts';
import type { PaymentListResponse, Receipt, ReceiptOffer } from '../../widget/shopper-api.ts';
import { categoryOfMcc } from '../../widget/merchant-categories.ts';

/**
 * Receipts: what a shopper paid, as they saw and signed it, read back from the payment's own records. A payment is
 * the shopper's when one of its attempts is: a card attempt through `payment_attempts.card_id → cards.shopper_id`, a
 * pay-by-bank one through `account_payments.shopper_id`. A receipt shows the shopper's latest attempt of the intent.
 */
export interface ReceiptDeps {
  db: WalletDb;
  /** The name, per locale, of the bank an attempt went to (a card's bank or the pay-by-bank bank), by adapter id. */
  bankName(bankId: string): Promise<LocalizedText>;
  /**
   * The card banks, to ask where an applied offer's cashback stands (`offerRedemption`); without them a receipt shows
   * cashback as the wallet last knew it.
   */
  banks?: Pick<BankDirectory, 'has' | 'get'>;
}

/** How long a receipt waits for a bank to say whether cashback was credited; after it, the cashback is still "expected". */
export const CASHBACK_LOOKUP_DEADLINE_MS = 500;

/** What a card attempt recorded of the terms the shopper signed (fee, rate, debit; null debit: the intent's amount). */
type SignedTerms = Pick<Selectable<PaymentAttemptsTable>, 'fee_amount' | 'debit_amount' | 'debit_currency' | 'fx_rate' | 'fx_source'>;

type CardAttempt = Pick<
  Selectable<PaymentAttemptsTable>,
  'id' | 'reference' | 'status' | 'created_at' | 'updated_at' | 'quote_id' | 'offer_redemption_id' | 'offer_revoked_at' | 'offer_cashback_credited_at'
> &
  SignedTerms & { kind: 'card'; bank: string; brand: string; last4: string };
type BankAttempt = Pick<AccountPaymentsTable, 'reference' | 'status' | 'created_at' | 'updated_at' | 'bank'> & { kind: 'bank' };

export const DEFAULT_PAYMENTS_PAGE = 20;
export const MAX_PAYMENTS_PAGE = 100;

/**
 * The receipt of one payment for this shopper, or `null` when the shopper never attempted it (another shopper's
 * payment looks exactly like one that does not exist). Wire it into `ConfirmResponse.receipt` once the outcome is
 * final: `status` `succeeded` or `failed`.
 */
export async function receiptFor(deps: ReceiptDeps, intentId: string, shopperId: string): Promise<Receipt | null> {
  const [card, bank] = await Promise.all([latestCardAttempt(deps.db, intentId, shopperId), latestBankAttempt(deps.db, intentId, shopperId)]);
  const attempt = card && bank ? (bank.created_at > card.created_at ? bank : card) : (card ?? bank);
  if (!attempt) return null;
  const intent = await receiptIntent.first(deps.db, { intentId });
  if (!intent) throw new Error(`receipt: expected payment intent ${intentId} of an attempt to exist, received none`);
  // Pay by bank has no fee and no conversion: the account is debited the intent's amount.
  const terms: SignedTerms = attempt.kind === 'card' ? attempt : { fee_amount: 0, debit_amount: null, debit_currency: null, fx_rate: null, fx_source: null };
  const fee = Number(terms.fee_amount);
  const debitCurrency = terms.debit_currency ?? intent.currency;
  return {
    paymentIntentId: intent.id,
    reference: attempt.reference,
    payee: intent.display_name,
    description: intent.description,
    status: receiptStatus(attempt.status, intent.status),
    amount: intent.amount,
    currency: intent.currency,
    currencyDigits: digitsOf(intent.currency),
    fee,
    fx: terms.fx_rate && terms.fx_source ? { rate: terms.fx_rate, source: terms.fx_source } : null,
    debit: {
      amount: terms.debit_amount == null ? intent.amount + fee : Number(terms.debit_amount),
      currency: debitCurrency,
      currencyDigits: digitsOf(debitCurrency),
    },
    card: attempt.kind === 'card' ? { bank: attempt.bank, brand: attempt.brand, last4: attempt.last4, bankName: await deps.bankName(attempt.bank) } : null,
    payByBank: attempt.kind === 'bank' ? await deps.bankName(attempt.bank) : null,
    createdAt: attempt.created_at,
    settledAt: attempt.status === 'pending' ? null : attempt.updated_at,
    offer: attempt.kind === 'card' ? await receiptOfferOf(deps, attempt, intent.amount) : null,
    category: categoryOfMcc(intent.mcc),
  };
}

/** What the confirmation that just made the intent's latest attempt knows: whose it is, and the intent's status after it. */
export interface KnownPayment {
  shopperId: string;
  status: string;
}

/**
 * For the confirmation's answer (`ConfirmResponse.receipt`): the receipt of the intent's latest attempt, for the
 * shopper who made it — the caller proved the payment with its client secret, signed in or not. `null` while no
 * attempt exists or the outcome is not final (processing, under review).
 */
export async function finalReceiptOf(deps: ReceiptDeps, intentId: string, known?: KnownPayment): Promise<Receipt | null> {
  if (known) {
    // The confirmation that made the latest attempt says who made it and how it stands: nothing to look up for that.
    if (known.status !== 'succeeded' && known.status !== 'failed') return null;
    const receipt = await receiptFor(deps, intentId, known.shopperId);
    return receipt && (receipt.status === 'succeeded' || receipt.status === 'failed') ? receipt : null;
  }
  const [card, bank] = await Promise.all([
    deps.db
      .selectFrom('payment_attempts')
      .innerJoin('cards', 'cards.id', 'payment_attempts.card_id')
      .select(['cards.shopper_id', 'payment_attempts.created_at'])
      .where('payment_attempts.intent_id', '=', intentId)
      .orderBy('payment_attempts.attempt_number', 'desc')
      .executeTakeFirst(),
    deps.db
      .selectFrom('account_payments')
      .select(['shopper_id', 'created_at'])
      .where('intent_id', '=', intentId)
      .orderBy('attempt_number', 'desc')
      .executeTakeFirst(),
  ]);
  const latest = card && bank ? (bank.created_at > card.created_at ? bank : card) : (card ?? bank);
  if (!latest) return null;
  const receipt = await receiptFor(deps, intentId, latest.shopper_id);
  return receipt && (receipt.status === 'succeeded' || receipt.status === 'failed') ? receipt : null;
}

/** `receiptFor`, or 404 `resource_missing` for a payment that is not this shopper's. */
export async function getReceipt(deps: ReceiptDeps, intentId: string, shopperId: string): Promise<Receipt> {
  const receipt = await receiptFor(deps, intentId, shopperId);
  if (!receipt) throw new PaykeyError('resource_missing', `No payment ${JSON.stringify(intentId.slice(0, 100))} in this wallet`);
  return receipt;
}

/**
 * The shopper's payments across every merchant, newest first (by the shopper's latest attempt), `limit` at a time;
 * `startingAfter` is the last `paymentIntentId` of the previous page.
 */
export async function listReceipts(
  deps: ReceiptDeps,
  shopperId: string,
  page: { limit?: number; startingAfter?: string } = {},
): Promise<PaymentListResponse> {
  const limit = page.limit ?? DEFAULT_PAYMENTS_PAGE;
  const latest = latestAttemptPerIntent(deps.db, shopperId);
  let query = deps.db.selectFrom(latest.as('l')).select(['l.intent_id', 'l.at']);
  if (page.startingAfter !== undefined) {
    const cursor = await deps.db.selectFrom(latest.as('l')).select(['l.intent_id', 'l.at']).where('l.intent_id', '=', page.startingAfter).executeTakeFirst();
    if (!cursor) {
      throw new PaykeyError('invalid_request', `starting_after: expected the paymentIntentId of one of your payments, received ${JSON.stringify(page.startingAfter.slice(0, 100))}`);
    }
    query = query.where((eb) =>
      eb.or([eb('l.at', '<', cursor.at), eb.and([eb('l.at', '=', cursor.at), eb('l.intent_id', '<', cursor.intent_id)])]),
    );
  }
  const rows = await query.orderBy('l.at', 'desc').orderBy('l.intent_id', 'desc').limit(limit + 1).execute();
  const payments: Receipt[] = [];
  for (const row of rows.slice(0, limit)) {
    const receipt = await receiptFor(deps, row.intent_id, shopperId);
    if (receipt) payments.push(receipt);
  }
  return { payments, hasMore: rows.length > limit };
}

/** Each intent the shopper attempted, with the time of their latest attempt at it. */
function latestAttemptPerIntent(db: WalletDb, shopperId: string) {
  const byCard = db
    .selectFrom('payment_attempts')
    .innerJoin('cards', 'cards.id', 'payment_attempts.card_id')
    .select(['payment_attempts.intent_id as intent_id', 'payment_attempts.created_at as at'])
    .where('cards.shopper_id', '=', shopperId);
  const byBank = db.selectFrom('account_payments').select(['intent_id', 'created_at as at']).where('shopper_id', '=', shopperId);
  return db
    .selectFrom(byCard.unionAll(byBank).as('a'))
    .select((eb) => ['a.intent_id', eb.fn.max<string>('a.at').as('at')])
    .groupBy('a.intent_id');
}

async function latestCardAttempt(db: WalletDb, intentId: string, shopperId: string): Promise<CardAttempt | undefined> {
  const row = await latestCardAttemptRow.first(db, { intentId, shopperId });
  return row && { ...row, kind: 'card' };
}

async function latestBankAttempt(db: WalletDb, intentId: string, shopperId: string): Promise<BankAttempt | undefined> {
  const row = await latestBankAttemptRow.first(db, { intentId, shopperId });
  return row && { ...row, kind: 'bank' };
}

// Every payment's answer carries its receipt: these are built and compiled once (reusable-query.ts).
const receiptIntent = reusableQuery(['intentId'] as const, (db, p) =>
  db
    .selectFrom('payment_intents')
    .innerJoin('merchants', 'merchants.id', 'payment_intents.merchant_id')
    .select([
      'payment_intents.id',
      'payment_intents.amount',
      'payment_intents.currency',
      'payment_intents.description',
      'payment_intents.status',
      'merchants.display_name',
      'merchants.mcc',
    ])
    .where('payment_intents.id', '=', p.intentId),
);
const latestCardAttemptRow = reusableQuery(['intentId', 'shopperId'] as const, (db, p) =>
  db
    .selectFrom('payment_attempts')
    .innerJoin('cards', 'cards.id', 'payment_attempts.card_id')
    .selectAll('payment_attempts')
    .select(['cards.bank', 'cards.brand', 'cards.last4'])
    .where('payment_attempts.intent_id', '=', p.intentId)
    .where('cards.shopper_id', '=', p.shopperId)
    .orderBy('payment_attempts.attempt_number', 'desc'),
);
const latestBankAttemptRow = reusableQuery(['intentId', 'shopperId'] as const, (db, p) =>
  db
    .selectFrom('account_payments')
    .select(['reference', 'status', 'created_at', 'updated_at', 'bank'])
    .where('intent_id', '=', p.intentId)
    .where('shopper_id', '=', p.shopperId)
    .orderBy('attempt_number', 'desc'),
);

/**
 * The bank offer the attempt was signed with (from its quote), and where it stands: `revoked` once the bank revoked
 * it; cashback `creditedAt` as stored, else — while the charge stands and the offer is not revoked — as the bank says
 * now (bounded by `CASHBACK_LOOKUP_DEADLINE_MS`; no answer leaves it expected), stored once credited.
 */
async function receiptOfferOf(deps: ReceiptDeps, attempt: CardAttempt, amount: number): Promise<ReceiptOffer | null> {
  if (!attempt.quote_id || attempt.offer_redemption_id === null) return null;
  const quote = await deps.db
    .selectFrom('payment_quotes')
    .select(['offer_id', 'offer_kind', 'offer_title', 'offer_personalized', 'offer_value'])
    .where('id', '=', attempt.quote_id)
    .executeTakeFirst();
  if (!quote?.offer_id || !quote.offer_value) return null;
  const value = JSON.parse(quote.offer_value) as OfferValue;
  const revoked = attempt.offer_revoked_at !== null;
  let cashback: ReceiptOffer['cashback'] = null;
  if (value.kind === 'cashback') {
    let creditedAt = attempt.offer_cashback_credited_at;
    if (creditedAt === null && !revoked && attempt.status === 'approved') {
      creditedAt = await cashbackCreditedAt(deps, attempt.bank, attempt.offer_redemption_id);
      if (creditedAt !== null) {
        await deps.db
          .updateTable('payment_attempts')
          .set({ offer_cashback_credited_at: creditedAt })
          .where('id', '=', attempt.id)
          .where('offer_cashback_credited_at', 'is', null)
          .execute();
      }
    }
    cashback = { amount: value.cashback, expectedBy: value.expectedBy, creditedAt };
  }
  return {
    offerId: quote.offer_id,
    kind: value.kind,
    title: quote.offer_title ?? '',
    personalized: Number(quote.offer_personalized) === 1,
    value,
    effect: offerEffect(amount, value),
    status: revoked ? 'revoked' : 'applied',
    cashback,
  };
}

/** When the bank credited the redemption's cashback, or `null` (not yet, no answer in time, no such capability). */
async function cashbackCreditedAt(deps: ReceiptDeps, bankId: string, redemptionId: string): Promise<string | null> {
  if (!deps.banks?.has(bankId)) return null;
  const bank: BankAdapter = deps.banks.get(bankId);
  if (!bank.offerRedemption) return null;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), CASHBACK_LOOKUP_DEADLINE_MS);
  });
  try {
    const redemption: OfferRedemption | null = await Promise.race([bank.offerRedemption(redemptionId).catch(() => null), deadline]);
    const creditedAt = redemption?.cashback?.creditedAt ?? null;
    return creditedAt !== null && Number.isFinite(Date.parse(creditedAt)) ? new Date(creditedAt).toISOString() : null;
  } finally {
    clearTimeout(timer);
  }
}

/** The attempt's own outcome (a later attempt by someone else does not rewrite this shopper's receipt). */
function receiptStatus(attempt: 'pending' | 'approved' | 'declined', intent: PaymentIntentStatus): Receipt['status'] {
  if (attempt === 'approved') return 'succeeded';
  if (attempt === 'declined') return 'failed';
  return intent === 'requires_review' ? 'requires_review' : 'processing';
}

function digitsOf(currency: string): number {
  const digits = minorUnitDigits(currency);
  if (digits === undefined) throw new Error(`receipt: ${JSON.stringify(currency)} is not in the ISO 4217 table of money.ts`);
  return digits;
}
