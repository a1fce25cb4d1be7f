import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/** Rows one housekeeping statement deletes at most: each statement holds the write lock (SQLite) only briefly. */
export const HOUSEKEEPING_BATCH = 500;
/** At most this many batches per pass (250k rows at the default batch); what is left waits for the next pass. */
const MAX_BATCHES_PER_PASS = 500;

/**
 * Housekeeping's delete loop: `deleteBatch(limit)` deletes at most `limit` rows (oldest first, found by an index) and
 * returns how many it deleted; it runs again, after yielding to the event loop so requests go first, until a batch
 * deletes fewer than `limit`. Returns the rows deleted in all.
 */
export async function deleteInBatches(deleteBatch: (limit: number) => Promise<number>, limit = HOUSEKEEPING_BATCH): Promise<number> {
  let deleted = 0;
  for (let pass = 0; pass < MAX_BATCHES_PER_PASS; pass++) {
    const n = await deleteBatch(limit);
    deleted += n;
    if (n < limit) break;
    await yieldToEventLoop();
  }
  return deleted;
}
