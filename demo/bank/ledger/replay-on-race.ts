/** Creating a row keyed by the caller's reference, safely against a concurrent writer. */
import { isUniqueViolation } from './is-unique-violation.ts';

/**
 * Runs `createOrReplay`; when a concurrent writer inserted the same reference
 * first (the unique index refused ours), runs it again, which now replays theirs.
 */
export async function replayOnRace<T>(createOrReplay: () => Promise<T>): Promise<T> {
  try {
    return await createOrReplay();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return createOrReplay();
  }
}
