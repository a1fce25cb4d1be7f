import type { Selectable } from 'kysely';
import { randomId } from '../security/secrets.ts';
import type { WalletDb } from '../store/database.ts';
import { insertRow } from '../store/reusable-query.ts';
import type { BankJobsTable } from '../store/schema.ts';

/** This module owns `bank_jobs`: the outbox of calls to make to banks. */
export type BankJob = Selectable<BankJobsTable>;

/**
 * Queues a charge or refund for the bank inside the caller's transaction (the
 * one that made the attempt or refund), due at once. `leaseFor` claims it for
 * the request that made it, which runs it right away; if that request dies,
 * the lease runs out and a worker takes the job.
 */
export async function enqueueBankJob(
  trx: WalletDb,
  job: { kind: BankJob['kind']; subjectId: string; now: Date; leaseFor?: { workerId: string; leaseMs: number } },
): Promise<string> {
  return (await enqueueBankJobRow(trx, job)).id;
}

/** `enqueueBankJob`, answering with the row as stored (the caller that holds its lease can run it without reading it back). */
export async function enqueueBankJobRow(
  trx: WalletDb,
  job: { kind: BankJob['kind']; subjectId: string; now: Date; leaseFor?: { workerId: string; leaseMs: number } },
): Promise<BankJob> {
  const now = job.now.toISOString();
  const row: BankJob = {
    id: randomId('bj'),
    kind: job.kind,
    subject_id: job.subjectId,
    tries: 0,
    next_run_at: now,
    locked_by: job.leaseFor?.workerId ?? null,
    locked_until: job.leaseFor ? new Date(job.now.getTime() + job.leaseFor.leaseMs).toISOString() : null,
    last_error: null,
    created_at: now,
    done_at: null,
  };
  const { tries: _default, ...values } = row;
  await insertRow(trx, 'bank_jobs', values);
  return row;
}

/**
 * Queues a job at most once per subject (`bank_jobs (kind, subject_id)` is unique), due at once, unclaimed, inside the
 * caller's transaction: a second queueing (a second refund, a replayed outcome) is a no-op.
 */
export async function enqueueBankJobOnce(trx: WalletDb, job: { kind: BankJob['kind']; subjectId: string; now: Date }): Promise<void> {
  const now = job.now.toISOString();
  await trx
    .insertInto('bank_jobs')
    .values({ id: randomId('bj'), kind: job.kind, subject_id: job.subjectId, next_run_at: now, locked_by: null, locked_until: null, last_error: null, created_at: now, done_at: null })
    .onConflict((oc) => oc.columns(['kind', 'subject_id']).doNothing())
    .execute();
}

export async function findBankJob(db: WalletDb, id: string): Promise<BankJob | undefined> {
  return db.selectFrom('bank_jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The job of an attempt or refund. */
export async function bankJobFor(db: WalletDb, kind: BankJob['kind'], subjectId: string): Promise<BankJob | undefined> {
  return db.selectFrom('bank_jobs').selectAll().where('kind', '=', kind).where('subject_id', '=', subjectId).executeTakeFirst();
}
