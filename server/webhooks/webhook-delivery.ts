import type { Logger } from '../http/logger.ts';
import { backoffDelay, type BackoffPolicy } from '../jobs/backoff.ts';
import { claimDueJobs, claimJob, finishJob, retryJobLater } from '../jobs/leased-queue.ts';
import type { WalletDb } from '../store/database.ts';
import { signWebhookPayload } from './webhook-signature.ts';

export interface WebhookDeliveryDeps {
  db: WalletDb;
  logger: Logger;
  now: () => Date;
  /** This server process; leases carry it so two processes never send the same try. */
  workerId: string;
  fetch?: typeof fetch;
  /** How long one POST may take before it counts as failed; default 10 s. */
  timeoutMs?: number;
  /** Waits between tries; default 10 s doubling up to 1 h, jittered. */
  backoff?: BackoffPolicy;
  /** A delivery still failing this long after its event gives up; default 3 days. */
  maxAgeMs?: number;
}

export interface WebhookDelivery {
  /** Leases up to `limit` due deliveries to this worker; returns their ids. */
  claim(limit: number): Promise<string[]>;
  /** Sends one delivery and records its outcome or its next try. */
  run(id: string): Promise<void>;
  /** How long one claim lasts: longer than a POST may take. */
  leaseMs: number;
}

export const WEBHOOK_USER_AGENT = 'Paykey-Webhooks/1';
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
export const DEFAULT_WEBHOOK_BACKOFF: BackoffPolicy = { baseMs: 10_000, maxMs: 60 * 60_000 };
export const DEFAULT_WEBHOOK_MAX_AGE_MS = 3 * 24 * 60 * 60_000;
/** Beyond the POST's own timeout, time for the database writes around it before another worker may take over. */
const LEASE_MARGIN_MS = 30_000;

const TABLE = 'webhook_deliveries';

/**
 * The webhook worker's two halves for `startJobWorker`: at-least-once delivery
 * of each event to each subscribed endpoint, signed, retried with backoff.
 * Several server processes can share the table: a delivery is leased to one
 * worker at a time, and the lease outlasts the POST's timeout, so a try is
 * never sent twice at once.
 */
export function createWebhookDelivery(deps: WebhookDeliveryDeps): WebhookDelivery {
  const send = deps.fetch ?? fetch;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const backoff = deps.backoff ?? DEFAULT_WEBHOOK_BACKOFF;
  const maxAgeMs = deps.maxAgeMs ?? DEFAULT_WEBHOOK_MAX_AGE_MS;
  const holder = () => ({ workerId: deps.workerId, now: deps.now(), leaseMs: timeoutMs + LEASE_MARGIN_MS });

  async function run(id: string): Promise<void> {
    // Renews our lease (or takes a free one); false when done or another worker holds it now.
    if (!(await claimJob(deps.db, TABLE, id, holder()))) return;
    const delivery = await loadDelivery(deps.db, id);
    if (!delivery) return;
    // Never `event`: the logger's own key for the line's name.
    const fields = { delivery_id: delivery.id, event_id: delivery.event_id, event_type: delivery.type, endpoint_id: delivery.endpoint_id };

    if (delivery.endpoint_deleted_at !== null) {
      await recordFinal(deps.db, id, deps.now(), { status: 'failed', statusCode: null, error: 'endpoint_deleted', tried: false });
      return;
    }

    const result = await post(send, delivery, deps.now(), timeoutMs);
    const now = deps.now();
    if (result.ok) {
      await recordFinal(deps.db, id, now, { status: 'delivered', statusCode: result.statusCode, error: null, tried: true });
      deps.logger.info('webhook_delivered', { ...fields, status_code: result.statusCode, tries: delivery.tries + 1 });
      return;
    }

    const outcome = { ...fields, status_code: result.statusCode, error: result.error, tries: delivery.tries + 1 };
    if (now.getTime() - Date.parse(delivery.created_at) >= maxAgeMs) {
      if (await recordFinal(deps.db, id, now, { status: 'failed', statusCode: result.statusCode, error: result.error, tried: true }, deps.workerId)) {
        deps.logger.error('webhook_delivery_failed', outcome);
      }
      return;
    }
    const at = new Date(now.getTime() + backoffDelay(delivery.tries, backoff));
    await deps.db.transaction().execute(async (trx) => {
      await trx
        .updateTable(TABLE)
        .set({ last_status_code: result.statusCode })
        .where('id', '=', id)
        .where('locked_by', '=', deps.workerId)
        .where('done_at', 'is', null)
        .execute();
      await retryJobLater(trx, TABLE, id, { workerId: deps.workerId }, { at, error: result.error });
    });
    deps.logger.warn('webhook_delivery_retry', { ...outcome, next_run_at: at.toISOString() });
  }

  return {
    claim: (limit) => claimDueJobs(deps.db, TABLE, holder(), limit),
    run,
    leaseMs: timeoutMs + LEASE_MARGIN_MS,
  };
}

type PostResult = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string };

/** One signed POST of the stored payload, byte for byte. Nothing of the answer is kept but its status. */
async function post(
  send: typeof fetch,
  delivery: { url: string; secret: string; payload: string; event_id: string },
  now: Date,
  timeoutMs: number,
): Promise<PostResult> {
  try {
    const res = await send(delivery.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': WEBHOOK_USER_AGENT,
        'paykey-signature': signWebhookPayload(delivery.payload, delivery.secret, now),
        'paykey-event-id': delivery.event_id,
      },
      body: delivery.payload,
      // A redirect is not an acknowledgement; the merchant should register the final URL.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel().catch(() => {});
    if (res.status >= 200 && res.status < 300) return { ok: true, statusCode: res.status };
    return { ok: false, statusCode: res.status, error: `HTTP ${res.status}` };
  } catch (error) {
    return { ok: false, statusCode: null, error: describeFailure(error, timeoutMs) };
  }
}

/** A transport failure in a few words: a timeout, or the connection error's code. */
function describeFailure(error: unknown, timeoutMs: number): string {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `timeout: no answer within ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : String((error as Error)?.message ?? error);
  return `connection failed: ${detail}`.slice(0, 200);
}

function loadDelivery(db: WalletDb, id: string) {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .innerJoin('webhook_endpoints as w', 'w.id', 'd.endpoint_id')
    .select(['d.id', 'd.tries', 'd.created_at', 'd.event_id', 'e.type', 'e.payload', 'd.endpoint_id', 'w.url', 'w.secret'])
    .select('w.deleted_at as endpoint_deleted_at')
    .where('d.id', '=', id)
    .executeTakeFirst();
}

/**
 * Records the last try and finishes the job. `delivered` is recorded even if
 * our lease was taken over meanwhile (so the other worker's try stops there);
 * giving up needs the lease (`onlyHolder`), lest it end a try still under way.
 */
async function recordFinal(
  db: WalletDb,
  id: string,
  now: Date,
  outcome: { status: 'delivered' | 'failed'; statusCode: number | null; error: string | null; tried: boolean },
  onlyHolder?: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    let update = trx
      .updateTable(TABLE)
      .set((eb) => ({
        status: outcome.status,
        tries: outcome.tried ? eb('tries', '+', 1) : eb.ref('tries'),
        last_status_code: outcome.statusCode,
        last_error: outcome.error,
      }))
      .where('id', '=', id)
      .where('done_at', 'is', null);
    if (onlyHolder) update = update.where('locked_by', '=', onlyHolder);
    const result = await update.executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    await finishJob(trx, TABLE, id, now);
    return true;
  });
}
