import { sql, type Selectable } from 'kysely';
import type { PaymentStatus } from '../../widget/shopper-api.ts';
import { intentIdFromClientSecret } from '../../widget/protocol.ts';
import { PaykeyError } from '../errors/paykey-error.ts';
import type { ClientSecrets } from '../security/client-secrets.ts';
import { digestsEqual, randomId, sha256Hex } from '../security/secrets.ts';
import type { WalletDb } from '../store/database.ts';
import type { PaymentIntentsTable } from '../store/schema.ts';
import { statesMovingTo } from './payment-state.ts';
import { insertRow, reusableQuery } from '../store/reusable-query.ts';

/** This module owns the `payment_intents` table: every read and write of it goes through here. */
export type PaymentIntent = Selectable<PaymentIntentsTable>;

/** The merchant-facing representation (`GET /v1/payment_intents/:id`, webhook `data.object`). */
export interface PaymentIntentJson {
  id: string;
  object: 'payment_intent';
  amount: number;
  currency: string;
  status: PaymentStatus;
  /** Refunds pending or succeeded, in minor units. */
  amount_refunded: number;
  client_secret?: string;
  description: string | null;
  reference: string | null;
  created_at: string;
  last_error: { code: string; message: string } | null;
  /**
   * Only when the shopper paid with a bank offer the merchant funds (alone or shared): its id and the instant
   * discount (0 for another kind). Absent otherwise: a bank-funded offer is not the merchant's business.
   */
  offer?: MerchantOffer;
}

/** What a merchant learns of a merchant-funded offer applied to its payment. */
export interface MerchantOffer {
  id: string;
  discount: number;
}

export interface NewPaymentIntent {
  merchantId: string;
  amount: number;
  currency: string;
  description: string | null;
  reference: string | null;
}

/** Creates an intent; its client secret is derived from the id and only its hash is kept. */
export async function createPaymentIntent(
  db: WalletDb,
  secrets: ClientSecrets,
  input: NewPaymentIntent,
  now: Date,
): Promise<{ intent: PaymentIntent; clientSecret: string }> {
  const id = randomId('pi');
  const clientSecret = secrets.forIntent(id);
  const intent: PaymentIntent = {
    id,
    merchant_id: input.merchantId,
    amount: input.amount,
    currency: input.currency,
    description: input.description,
    reference: input.reference,
    status: 'requires_confirmation',
    client_secret_hash: sha256Hex(clientSecret),
    last_error_code: null,
    last_error_message: null,
    amount_refunded: 0,
    failed_authentications: 0,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  };
  await insertRow(db, 'payment_intents', intent);
  return { intent, clientSecret };
}

export async function findPaymentIntent(db: WalletDb, id: string): Promise<PaymentIntent | undefined> {
  return intentById.first(db, { id });
}

// Read several times by every payment: built and compiled once (reusable-query.ts).
const intentById = reusableQuery(['id'] as const, (db, p) => db.selectFrom('payment_intents').selectAll().where('id', '=', p.id));

/** A merchant sees only its own intents; another merchant's id is indistinguishable from an unknown one. */
export async function getMerchantPaymentIntent(db: WalletDb, merchantId: string, id: string): Promise<PaymentIntent> {
  const intent = await merchantIntentById.first(db, { id, merchantId });
  if (!intent) throw new PaykeyError('resource_missing', `No payment intent ${id}`);
  return intent;
}

const merchantIntentById = reusableQuery(['id', 'merchantId'] as const, (db, p) =>
  db.selectFrom('payment_intents').selectAll().where('id', '=', p.id).where('merchant_id', '=', p.merchantId),
);

/**
 * The frame authenticates with the client secret. The id part selects the row,
 * the whole secret is compared by hash in constant time.
 */
export async function getPaymentIntentByClientSecret(db: WalletDb, clientSecret: string): Promise<PaymentIntent> {
  const id = intentIdFromClientSecret(clientSecret);
  const intent = id ? await findPaymentIntent(db, id) : undefined;
  if (!intent || !digestsEqual(intent.client_secret_hash, sha256Hex(clientSecret))) {
    throw new PaykeyError('invalid_client_secret', 'The client secret does not match a payment intent');
  }
  return intent;
}

/**
 * Moves an intent to `to` if it is in a state that may move there (see
 * payment-state.ts). Conditional, so of two racing writers one wins; returns
 * whether this one did. `lastError` is set on `failed` and cleared otherwise.
 */
export async function moveIntent(
  db: WalletDb,
  id: string,
  to: PaymentStatus,
  now: Date,
  lastError: { code: string; message: string } | null = null,
): Promise<boolean> {
  const result = await moveIntentQueries(to).plain.run(db, moveValues(id, now, lastError));
  return Boolean(result.numAffectedRows);
}

/** `moveIntent` answering with the intent as it moved (RETURNING: no read after the write), or undefined when it did not move. */
export async function moveIntentReturning(
  db: WalletDb,
  id: string,
  to: PaymentStatus,
  now: Date,
  lastError: { code: string; message: string } | null = null,
): Promise<PaymentIntent | undefined> {
  return moveIntentQueries(to).returning.first(db, moveValues(id, now, lastError));
}

const moveValues = (id: string, now: Date, lastError: { code: string; message: string } | null) => ({
  id,
  code: lastError?.code ?? null,
  message: lastError?.message ?? null,
  now: now.toISOString(),
});

const moveIntentQueriesTo = new Map<PaymentStatus, ReturnType<typeof buildMoveIntentQueries>>();

/** The conditional UPDATEs to `to`, with and without RETURNING: built and compiled once per target state (every payment moves twice). */
function moveIntentQueries(to: PaymentStatus) {
  let queries = moveIntentQueriesTo.get(to);
  if (!queries) moveIntentQueriesTo.set(to, (queries = buildMoveIntentQueries(to)));
  return queries;
}

function buildMoveIntentQueries(to: PaymentStatus) {
  const names = ['id', 'code', 'message', 'now'] as const;
  // Only from a state that may move to `to`: the target and its sources are constants of this SQL, not parameters.
  const query = (db: WalletDb, p: Record<(typeof names)[number], string>) =>
    db
      .updateTable('payment_intents')
      .set({ status: sql.lit(to), last_error_code: p.code, last_error_message: p.message, updated_at: p.now })
      .where('id', '=', p.id)
      .where('status', 'in', statesMovingTo(to).map((from) => sql.lit(from)));
  return {
    plain: reusableQuery(names, query),
    returning: reusableQuery(names, (db, p) => query(db, p).returningAll()),
  };
}

/**
 * Sets `amount` aside for a refund: only on a succeeded intent and only while
 * pending plus succeeded refunds stay within what was captured. One
 * conditional update, so concurrent refunds cannot together exceed it.
 */
export async function reserveRefundAmount(db: WalletDb, id: string, amount: number, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('payment_intents')
    .set((eb) => ({ amount_refunded: eb('amount_refunded', '+', amount), updated_at: now.toISOString() }))
    .where('id', '=', id)
    .where('status', '=', 'succeeded')
    .where((eb) => eb(eb('amount_refunded', '+', amount), '<=', eb.ref('amount')))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Gives back what a failed refund had set aside. */
export async function releaseRefundAmount(db: WalletDb, id: string, amount: number, now: Date): Promise<void> {
  await db
    .updateTable('payment_intents')
    .set((eb) => ({ amount_refunded: eb('amount_refunded', '-', amount), updated_at: now.toISOString() }))
    .where('id', '=', id)
    .execute();
}

/** After this many failed passkey verifications a payment accepts no more confirmations (PSD2 RTS Art. 4). */
export const MAX_FAILED_AUTHENTICATIONS = 5;

/** Counts one failed passkey verification of a confirmation of this intent. */
export async function recordFailedAuthentication(db: WalletDb, id: string, now: Date): Promise<void> {
  await db
    .updateTable('payment_intents')
    .set((eb) => ({ failed_authentications: eb('failed_authentications', '+', 1), updated_at: now.toISOString() }))
    .where('id', '=', id)
    .execute();
}

export function isAuthenticationLocked(intent: PaymentIntent): boolean {
  return Number(intent.failed_authentications) >= MAX_FAILED_AUTHENTICATIONS;
}

/** How many intents are in each state (metrics). */
export async function countIntentsByStatus(db: WalletDb): Promise<Array<{ status: PaymentStatus; count: number }>> {
  const rows = await db
    .selectFrom('payment_intents')
    .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy('status')
    .execute();
  return rows.map((row) => ({ status: row.status, count: Number(row.count) }));
}

/** Intents created at or after `since` (ledger reconciliation). */
export async function intentsCreatedSince(db: WalletDb, since: Date): Promise<PaymentIntent[]> {
  return db.selectFrom('payment_intents').selectAll().where('created_at', '>=', since.toISOString()).execute();
}

export function lastErrorOf(intent: PaymentIntent): { code: string; message: string } | null {
  return intent.last_error_code ? { code: intent.last_error_code, message: intent.last_error_message ?? '' } : null;
}

/**
 * The merchant-funded (or shared) offer applied to the intent's succeeded charge, as the merchant may see it; `null`
 * when there is none — no offer, a bank-funded one, or no succeeded charge.
 */
export async function merchantOfferOf(db: WalletDb, intentId: string): Promise<MerchantOffer | null> {
  const row = await merchantOfferRow.first(db, { intentId });
  if (!row?.offer_id || !row.offer_value) return null;
  const value = JSON.parse(row.offer_value) as { kind: string; discount?: number };
  return { id: row.offer_id, discount: value.kind === 'instant_discount' ? Number(value.discount) : 0 };
}

// Every webhook of a payment with an offer reads it: built and compiled once (reusable-query.ts).
const merchantOfferRow = reusableQuery(['intentId'] as const, (db, p) =>
  db
    .selectFrom('payment_attempts')
    .innerJoin('payment_quotes', 'payment_quotes.id', 'payment_attempts.quote_id')
    .select(['payment_quotes.offer_id', 'payment_quotes.offer_value'])
    .where('payment_attempts.intent_id', '=', p.intentId)
    .where('payment_attempts.status', '=', sql.lit('approved'))
    .where('payment_attempts.offer_redemption_id', 'is not', null)
    .where('payment_quotes.offer_funded_by', 'in', [sql.lit('merchant' as const), sql.lit('shared' as const)]),
);

/** `GET /v1/payment_intents/:id`: the intent as the merchant sees it, a merchant-funded offer included. */
export async function paymentIntentJsonFor(db: WalletDb, intent: PaymentIntent): Promise<PaymentIntentJson> {
  return toPaymentIntentJson(intent, undefined, intent.status === 'succeeded' ? await merchantOfferOf(db, intent.id) : null);
}

export function toPaymentIntentJson(intent: PaymentIntent, clientSecret?: string, offer: MerchantOffer | null = null): PaymentIntentJson {
  return {
    id: intent.id,
    object: 'payment_intent',
    amount: intent.amount,
    currency: intent.currency,
    status: intent.status,
    amount_refunded: Number(intent.amount_refunded),
    ...(clientSecret ? { client_secret: clientSecret } : {}),
    description: intent.description,
    reference: intent.reference,
    created_at: intent.created_at,
    last_error: lastErrorOf(intent),
    ...(offer ? { offer } : {}),
  };
}
