import { engineOf, type WalletDb } from '../store/database.ts';
import { reusableQuery } from '../store/reusable-query.ts';

/** Tables that are work queues: each row a job with `next_run_at`, a lease and `done_at`. */
export type QueueTable = 'bank_jobs' | 'webhook_deliveries';

export interface LeaseHolder {
  /** This worker (one per server process). */
  workerId: string;
  now: Date;
  /** How long a claim holds before another worker may take the job over (a crashed holder never releases it). */
  leaseMs: number;
}

/**
 * Claims up to `limit` due jobs for this worker. On PostgreSQL several server
 * processes claim from one table: `FOR UPDATE SKIP LOCKED` hands each row to
 * one of them; on SQLite the one connection serializes the transaction.
 */
export async function claimDueJobs(db: WalletDb, table: QueueTable, holder: LeaseHolder, limit: number): Promise<string[]> {
  if (limit <= 0) return [];
  const now = holder.now.toISOString();
  return db.transaction().execute(async (trx) => {
    let due = trx
      .selectFrom(table)
      .select('id')
      .where('done_at', 'is', null)
      .where('next_run_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .orderBy('next_run_at')
      .limit(limit);
    if (engineOf(trx) === 'postgres') due = due.forUpdate().skipLocked();
    const ids = (await due.execute()).map((row) => row.id);
    if (ids.length > 0) {
      await trx.updateTable(table).set(leaseOf(holder)).where('id', 'in', ids).execute();
    }
    return ids;
  });
}

/** Claims one job by id (the request that created it runs it at once); false when it is done or leased elsewhere. */
export async function claimJob(db: WalletDb, table: QueueTable, id: string, holder: LeaseHolder): Promise<boolean> {
  const now = holder.now.toISOString();
  const result = await db
    .updateTable(table)
    .set(leaseOf(holder))
    .where('id', '=', id)
    .where('done_at', 'is', null)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now), eb('locked_by', '=', holder.workerId)]))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Marks a job finished (inside the transaction that recorded its outcome). */
export async function finishJob(db: WalletDb, table: QueueTable, id: string, now: Date): Promise<void> {
  await finishJobIn[table].run(db, { id, now: now.toISOString(), none: null });
}

/** `finishJob` per table: built and compiled once (reusable-query.ts); every payment finishes its charge job. */
const finishJobQuery = (table: QueueTable) =>
  reusableQuery(['id', 'now', 'none'] as const, (db, p) =>
    db
      .updateTable(table)
      .set({ done_at: p.now, locked_by: p.none, locked_until: p.none })
      .where('id', '=', p.id),
  );
const finishJobIn: Record<QueueTable, ReturnType<typeof finishJobQuery>> = { bank_jobs: finishJobQuery('bank_jobs'), webhook_deliveries: finishJobQuery('webhook_deliveries') };

/** Releases this worker's lease and sets the next try; a lease another worker has taken over is left alone. */
export async function retryJobLater(
  db: WalletDb,
  table: QueueTable,
  id: string,
  holder: { workerId: string },
  retry: { at: Date; error: string },
): Promise<void> {
  await db
    .updateTable(table)
    .set((eb) => ({
      tries: eb('tries', '+', 1),
      next_run_at: retry.at.toISOString(),
      last_error: retry.error.slice(0, 500),
      locked_by: null,
      locked_until: null,
    }))
    .where('id', '=', id)
    .where('locked_by', '=', holder.workerId)
    .where('done_at', 'is', null)
    .execute();
}

/**
 * At start-up everything in flight is due at once, so a restarted server
 * settles it within its first pass instead of after a backoff; and leases left
 * by a process that died are void: on SQLite (one process) all of them, on
 * PostgreSQL those of this instance's previous life (same worker id).
 */
export async function recoverJobsAtStartup(
  db: WalletDb,
  table: QueueTable,
  workerId: string,
  now: Date,
  options: { dueNow: boolean } = { dueNow: true },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    let release = trx.updateTable(table).set({ locked_by: null, locked_until: null }).where('done_at', 'is', null);
    if (engineOf(trx) !== 'sqlite') release = release.where('locked_by', '=', workerId);
    await release.execute();
    if (!options.dueNow) return;
    await trx
      .updateTable(table)
      .set({ next_run_at: now.toISOString() })
      .where('done_at', 'is', null)
      .where('next_run_at', '>', now.toISOString())
      .execute();
  });
}

/** Jobs not finished yet (the backlog a metric reports). */
export async function countUnfinishedJobs(db: WalletDb, table: QueueTable): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('done_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function leaseOf(holder: LeaseHolder) {
  return { locked_by: holder.workerId, locked_until: new Date(holder.now.getTime() + holder.leaseMs).toISOString() };
}
