import { randomId } from '../security/secrets.ts';
import type { WalletDb } from '../store/database.ts';
import { reusableQuery } from '../store/reusable-query.ts';

/** Every event a merchant can receive. */
export const WEBHOOK_EVENT_TYPES = [
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
  'payment_intent.requires_review',
  'refund.succeeded',
  'refund.failed',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The body every endpoint receives; `id` is stable across retries so receivers deduplicate by it. */
export interface WebhookEventBody {
  id: string;
  type: WebhookEventType;
  /** Unix seconds. */
  created: number;
  data: { object: unknown };
}

/**
 * Records an event and one pending delivery per endpoint of the merchant that
 * subscribes to its type. Call it inside the transaction that made the state
 * change: the event exists exactly when the change does (a durable queue,
 * delivered at least once by the webhook worker).
 */
export async function enqueueWebhookEvent(
  trx: WalletDb,
  event: { merchantId: string; type: WebhookEventType; object: unknown; now: Date },
): Promise<WebhookEventBody> {
  const body: WebhookEventBody = {
    id: randomId('evt'),
    type: event.type,
    created: Math.floor(event.now.getTime() / 1000),
    data: { object: event.object },
  };
  const now = event.now.toISOString();
  await insertEvent.run(trx, { id: body.id, merchantId: event.merchantId, type: body.type, payload: JSON.stringify(body), now });
  const endpoints = (await endpointsOf.run(trx, { merchantId: event.merchantId })).rows;
  const subscribed = endpoints.filter((endpoint) => (JSON.parse(endpoint.events) as string[]).includes(body.type));
  if (subscribed.length > 0) {
    await trx
      .insertInto('webhook_deliveries')
      .values(
        subscribed.map((endpoint) => ({
          id: randomId('whd'),
          event_id: body.id,
          endpoint_id: endpoint.id,
          status: 'pending' as const,
          next_run_at: now,
          locked_by: null,
          locked_until: null,
          last_error: null,
          last_status_code: null,
          created_at: now,
          done_at: null,
        })),
      )
      .execute();
  }
  return body;
}

// Every payment's outcome runs these: built and compiled once (reusable-query.ts).
const insertEvent = reusableQuery(['id', 'merchantId', 'type', 'payload', 'now'] as const, (db, p) =>
  db.insertInto('webhook_events').values({ id: p.id, merchant_id: p.merchantId, type: p.type, payload: p.payload, created_at: p.now }),
);
const endpointsOf = reusableQuery(['merchantId'] as const, (db, p) =>
  db.selectFrom('webhook_endpoints').select(['id', 'events']).where('merchant_id', '=', p.merchantId).where('deleted_at', 'is', null),
);
