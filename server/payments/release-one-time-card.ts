import type { BankDirectory } from '../adapters/registry.ts';
import type { Logger } from '../http/logger.ts';
import { backoffDelay } from '../jobs/backoff.ts';
import { finishJob, retryJobLater } from '../jobs/leased-queue.ts';
import { findCard } from '../shoppers/cards.ts';
import { inTransaction, type WalletDb } from '../store/database.ts';
import { bankForCard } from './bank-for-card.ts';
import { enqueueBankJobOnce, type BankJob } from './bank-outbox.ts';
import type { SettlementSettings } from './settle-with-bank.ts';

/**
 * Inside the caller's transaction (the one recording a payment's final outcome), for a card the shopper paid with
 * once without saving it: removes it from their cards and queues the release of its token at its bank. A saved card, a card released already, or
 * one queued already is left alone. The bank outbox sends it: a bank outage only delays it.
 */
export async function enqueueTokenRelease(trx: WalletDb, cardId: string, now: Date): Promise<void> {
  const card = await findCard(trx, cardId);
  if (!card || Number(card.saved) !== 0 || card.released_at !== null) return;
  // Paid with once: it leaves the shopper's cards now; its token is released as soon as the bank answers.
  await trx.updateTable('cards').set({ deleted_at: now.toISOString() }).where('id', '=', card.id).where('deleted_at', 'is', null).execute();
  await enqueueBankJobOnce(trx, { kind: 'release_token', subjectId: card.id, now });
}

export interface ReleaseContext {
  db: WalletDb;
  banks: Pick<BankDirectory, 'has' | 'get'>;
  logger: Logger;
  now: () => Date;
  workerId: string;
  settings: Pick<SettlementSettings, 'backoff'>;
}

/**
 * Runs a `release_token` job: the bank releases the token (idempotent at the bank), then, in one transaction, the
 * card is marked released and removed and the job done. An unknown outcome is tried again after a backoff.
 */
export async function releaseOneTimeCard(ctx: ReleaseContext, job: BankJob): Promise<void> {
  const card = await findCard(ctx.db, job.subject_id);
  if (!card || card.released_at !== null) return finishJob(ctx.db, 'bank_jobs', job.id, ctx.now());
  try {
    await bankForCard(ctx.banks, card).releaseToken(card.bank_token);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    ctx.logger.warn('token_release_pending', { card: card.id, tries: job.tries + 1, reason });
    const at = new Date(ctx.now().getTime() + backoffDelay(job.tries, ctx.settings.backoff));
    return retryJobLater(ctx.db, 'bank_jobs', job.id, ctx, { at, error: reason });
  }
  await inTransaction(ctx.db, async (trx) => {
    const now = ctx.now().toISOString();
    await trx
      .updateTable('cards')
      .set((eb) => ({ released_at: now, deleted_at: eb.fn.coalesce('deleted_at', eb.val(now)) }))
      .where('id', '=', card.id)
      .execute();
    await finishJob(trx, 'bank_jobs', job.id, ctx.now());
  });
  ctx.logger.info('token_released', { card: card.id });
}
