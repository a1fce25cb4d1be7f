import type { Selectable } from 'kysely';
import { intentIdFromClientSecret } from '../../widget/protocol.ts';
import { ApiError } from '../errors/api-error.ts';
import { digestsEqual, randomId, randomSecret, sha256Hex } from '../security/secrets.ts';
import type { WalletDb } from '../store/database.ts';
import type { PaymentIntentsTable } from '../store/schema.ts';

export type PaymentIntent = Selectable<PaymentIntentsTable>;

/** The merchant-facing representation (`GET /v1/payment_intents/:id`). */
export interface PaymentIntentJson {
  id: string;
  object: 'payment_intent';
  amount: number;
  currency: string;
  status: PaymentIntent['status'];
  client_secret?: string;
  description: string | null;
  reference: string | null;
  created_at: string;
  last_error: { code: string; message: string } | null;
}

export interface NewPaymentIntent {
  merchantId: string;
  amount: number;
  currency: string;
  description: string | null;
  reference: string | null;
}

/** Creates an intent; the client secret is returned once and only its hash is kept. */
export async function createPaymentIntent(
  db: WalletDb,
  input: NewPaymentIntent,
  now: Date,
): Promise<{ intent: PaymentIntent; clientSecret: string }> {
  const id = randomId('pi');
  const clientSecret = `${id}_secret_${randomSecret()}`;
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
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  };
  await db.insertInto('payment_intents').values(intent).execute();
  return { intent, clientSecret };
}

export async function findPaymentIntent(db: WalletDb, id: string): Promise<PaymentIntent | undefined> {
  return db.selectFrom('payment_intents').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A merchant sees only its own intents; another merchant's id is indistinguishable from an unknown one. */
export async function getMerchantPaymentIntent(db: WalletDb, merchantId: string, id: string): Promise<PaymentIntent> {
  const intent = await db
    .selectFrom('payment_intents')
    .selectAll()
    .where('id', '=', id)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  if (!intent) throw new ApiError(404, 'resource_missing', `No payment intent ${id}`);
  return intent;
}

/**
 * The frame authenticates with the client secret. The id part selects the row,
 * the whole secret is compared by hash in constant time.
 */
export async function getPaymentIntentByClientSecret(db: WalletDb, clientSecret: string): Promise<PaymentIntent> {
  const id = intentIdFromClientSecret(clientSecret);
  const intent = id ? await findPaymentIntent(db, id) : undefined;
  if (!intent || !digestsEqual(intent.client_secret_hash, sha256Hex(clientSecret))) {
    throw new ApiError(401, 'invalid_client_secret', 'The client secret does not match a payment intent');
  }
  return intent;
}

export function lastErrorOf(intent: PaymentIntent): { code: string; message: string } | null {
  return intent.last_error_code ? { code: intent.last_error_code, message: intent.last_error_message ?? '' } : null;
}

export function toPaymentIntentJson(intent: PaymentIntent, clientSecret?: string): PaymentIntentJson {
  return {
    id: intent.id,
    object: 'payment_intent',
    amount: intent.amount,
    currency: intent.currency,
    status: intent.status,
    ...(clientSecret ? { client_secret: clientSecret } : {}),
    description: intent.description,
    reference: intent.reference,
    created_at: intent.created_at,
    last_error: lastErrorOf(intent),
  };
}
