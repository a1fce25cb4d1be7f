import { sql } from 'kysely';
import { writeLossTolerant, type WalletDb } from '../store/database.ts';
import { reusableQuery } from '../store/reusable-query.ts';
import { deleteInBatches } from '../store/delete-in-batches.ts';
import type { RateLimitRule } from './rate-limit-policy.ts';

export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts one hit on `bucket` and says whether it is within `rule`, on a sliding window: the hits of the current
 * fixed window plus the previous window's, weighted by how much of it still overlaps the last `windowMs`
 * (Cloudflare's estimate). One atomic upsert counts the hit, rolls the window over and returns both counts, so
 * concurrent requests and several server processes on one database never lose a hit. Refused hits count too:
 * a client that keeps hammering stays refused.
 */
export async function hitRateLimit(db: WalletDb, bucket: string, rule: RateLimitRule, now: Date): Promise<RateLimitVerdict> {
  return (await hitRateLimits(db, [{ bucket, rule }], now))[0];
}

/**
 * `hitRateLimit` for several buckets at once, verdicts in the order given, counted by one statement (a multi-row
 * upsert; each bucket rolls over on its own rule's window): a payment's IP address, intent and shopper write once.
 */
export async function hitRateLimits(db: WalletDb, hits: { bucket: string; rule: RateLimitRule }[], now: Date): Promise<RateLimitVerdict[]> {
  const t = now.getTime();
  const windows = new Map<string, Window>();
  for (const { bucket, rule } of hits) if (!windows.has(bucket)) windows.set(bucket, windowOf(bucket, rule.windowMs, t));
  const counted = new Map((await countHits(db, [...windows.values()])).map((row) => [row.bucket, row]));
  return hits.map(({ bucket, rule }) => {
    const row = counted.get(bucket);
    if (!row) throw new Error(`rate limit: expected a counted row for bucket ${bucket}, received none`);
    return verdict(rule, t, Date.parse(row.window_start), Number(row.hits), Number(row.previous_hits));
  });
}

/** A bucket's fixed window at `t`: where it starts, where the one before started, when its row may go. */
interface Window {
  bucket: string;
  current: string;
  previous: string;
  expiresAt: string;
}

function windowOf(bucket: string, windowMs: number, t: number): Window {
  const start = Math.floor(t / windowMs) * windowMs;
  return {
    bucket,
    current: new Date(start).toISOString(),
    previous: new Date(start - windowMs).toISOString(),
    expiresAt: new Date(start + 2 * windowMs).toISOString(),
  };
}

/**
 * One atomic upsert counting a hit on each bucket, answering each bucket's counts. On SQLite it does not wait for
 * the disk (issue 7: a payment's three requests each waited for an fsync of their hit before doing anything): a hit
 * lost in a crash only makes a limit looser by one, and it is not payment state (database.ts's `writeLossTolerant`).
 * Compiled once per number of buckets.
 */
async function countHits(db: WalletDb, windows: Window[]) {
  const values: Record<string, string> = {};
  windows.forEach((w, i) => {
    values[`bucket${i}`] = w.bucket;
    values[`current${i}`] = w.current;
    values[`previous${i}`] = w.previous;
    values[`expires${i}`] = w.expiresAt;
  });
  return (await writeLossTolerant(db, countHitsQuery(windows.length).compile(db, values))).rows;
}

const countHitsQueries: ReturnType<typeof buildCountHitsQuery>[] = [];

/** The upsert for `n` buckets, built once (a request counts one to three). */
function countHitsQuery(n: number) {
  return (countHitsQueries[n] ??= buildCountHitsQuery(n));
}

function buildCountHitsQuery(n: number) {
  const slots = Array.from({ length: n }, (_, i) => i);
  const names = slots.flatMap((i) => [`bucket${i}`, `current${i}`, `previous${i}`, `expires${i}`]);
  return reusableQuery(names, (db, p) => {
    // Stored window at or after ours (another process's clock a little ahead): count the hit there.
    const sameOrNewer = sql`rate_limit_windows.window_start >= excluded.window_start`;
    // Each bucket's previous window, by bucket: the rules of one request's buckets may have windows of different lengths.
    const previous = sql`CASE excluded.bucket ${sql.join(slots.map((i) => sql`WHEN ${p[`bucket${i}`]} THEN ${p[`previous${i}`]}`), sql` `)} END`;
    return db
      .insertInto('rate_limit_windows')
      .values(slots.map((i) => ({ bucket: p[`bucket${i}`], window_start: p[`current${i}`], hits: sql<number>`1`, previous_hits: sql<number>`0`, expires_at: p[`expires${i}`] })))
      .onConflict((oc) =>
        oc.column('bucket').doUpdateSet({
          hits: sql<number>`CASE WHEN ${sameOrNewer} THEN rate_limit_windows.hits + 1 ELSE 1 END`,
          previous_hits: sql<number>`CASE WHEN ${sameOrNewer} THEN rate_limit_windows.previous_hits
            WHEN rate_limit_windows.window_start = ${previous} THEN rate_limit_windows.hits ELSE 0 END`,
          window_start: sql<string>`CASE WHEN ${sameOrNewer} THEN rate_limit_windows.window_start ELSE excluded.window_start END`,
          expires_at: sql<string>`CASE WHEN ${sameOrNewer} THEN rate_limit_windows.expires_at ELSE excluded.expires_at END`,
        }),
      )
      .returning(['bucket', 'window_start', 'hits', 'previous_hits']);
  });
}

/** Whether `hits` (this one included) and `previousHits` fit the rule at time `t`; if not, when one more would. */
function verdict(rule: RateLimitRule, t: number, windowStart: number, hits: number, previousHits: number): RateLimitVerdict {
  const { limit, windowMs } = rule;
  const elapsed = Math.min(Math.max(t - windowStart, 0), windowMs);
  if (previousHits * (1 - elapsed / windowMs) + hits <= limit) return { allowed: true };
  // With no further hits, the estimate falls as the previous window slides out of view, then as this one does.
  const freeAt =
    hits < limit
      ? windowStart + windowMs * (1 - (limit - hits - 1) / previousHits)
      : windowStart + windowMs + windowMs * (1 - (limit - 1) / hits);
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - t) / 1000)) };
}

/** Deletes buckets whose windows are over (a row older than two windows counts nothing). */
export async function pruneRateLimitWindows(db: WalletDb, now: Date): Promise<number> {
  return deleteInBatches(async (limit) => Number((await expiredRateLimitWindowsBatch(db, now, limit).executeTakeFirst()).numDeletedRows));
}

/** One batch of `pruneRateLimitWindows`: at most `limit` expired windows, oldest first, by `rate_limit_windows_expiry`. */
export function expiredRateLimitWindowsBatch(db: WalletDb, now: Date, limit: number) {
  const expired = db.selectFrom('rate_limit_windows').select('bucket').where('expires_at', '<=', now.toISOString()).orderBy('expires_at').limit(limit);
  return db.deleteFrom('rate_limit_windows').where('bucket', 'in', expired);
}
