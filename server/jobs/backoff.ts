export interface BackoffPolicy {
  /** The first retry waits about this long. */
  baseMs: number;
  /** No wait is longer than this. */
  maxMs: number;
}

/**
 * How long to wait before try number `tries + 1`: base·2^tries, capped, with
 * jitter (between half and all of it) so many jobs that failed together do not
 * retry together.
 */
export function backoffDelay(tries: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(Math.max(tries, 0), 40));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
