import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import { randomId } from '../security/secrets.ts';
import type { WalletDb } from '../store/database.ts';
import type { WebhookEndpointsTable } from '../store/schema.ts';
import type { WebhookEventType } from './enqueue-webhook-event.ts';

export type WebhookEndpoint = Selectable<WebhookEndpointsTable>;

/** The merchant API's view of an endpoint; `secret` only in the answer to its creation. */
export interface WebhookEndpointJson {
  id: string;
  object: 'webhook_endpoint';
  url: string;
  events: WebhookEventType[];
  secret?: string;
  created_at: string;
}

/** Each event is signed for each endpoint with its own secret; fan-out stays bounded. */
export const MAX_ENDPOINTS_PER_MERCHANT = 16;

export async function createWebhookEndpoint(
  db: WalletDb,
  input: { merchantId: string; url: string; events: WebhookEventType[] },
  now: Date,
): Promise<WebhookEndpoint> {
  const row: WebhookEndpoint = {
    id: randomId('we'),
    merchant_id: input.merchantId,
    url: input.url,
    secret: `whsec_${randomBytes(32).toString('base64url')}`,
    events: JSON.stringify(input.events),
    created_at: now.toISOString(),
    deleted_at: null,
  };
  await db.insertInto('webhook_endpoints').values(row).execute();
  return row;
}

/** The merchant's live endpoints, oldest first. */
export function listWebhookEndpoints(db: WalletDb, merchantId: string): Promise<WebhookEndpoint[]> {
  return db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** One of the merchant's live endpoints. */
export function findWebhookEndpoint(db: WalletDb, merchantId: string, id: string): Promise<WebhookEndpoint | undefined> {
  return db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('id', '=', id)
    .where('merchant_id', '=', merchantId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/**
 * Soft-deletes one of the merchant's endpoints and drops its pending
 * deliveries (failed, done) in the same transaction, so nothing more is sent
 * to it. False when the merchant has no such live endpoint.
 */
export async function deleteWebhookEndpoint(db: WalletDb, merchantId: string, id: string, now: Date): Promise<boolean> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const deleted = await trx
      .updateTable('webhook_endpoints')
      .set({ deleted_at: at })
      .where('id', '=', id)
      .where('merchant_id', '=', merchantId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (deleted.numUpdatedRows === 0n) return false;
    await trx
      .updateTable('webhook_deliveries')
      .set({ status: 'failed', last_error: 'endpoint_deleted', done_at: at, locked_by: null, locked_until: null })
      .where('endpoint_id', '=', id)
      .where('done_at', 'is', null)
      .execute();
    return true;
  });
}

export function toWebhookEndpointJson(endpoint: WebhookEndpoint, options: { withSecret?: boolean } = {}): WebhookEndpointJson {
  return {
    id: endpoint.id,
    object: 'webhook_endpoint',
    url: endpoint.url,
    events: JSON.parse(endpoint.events) as WebhookEventType[],
    ...(options.withSecret ? { secret: endpoint.secret } : {}),
    created_at: endpoint.created_at,
  };
}
