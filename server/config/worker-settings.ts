/** How the background workers and the money path wait; each has an environment variable (see read-env-config.ts). */
export interface WorkerSettings {
  /** Idle workers look for due jobs this often (a new job wakes them at once). */
  pollMs: number;
  /** Bank calls (and webhook deliveries) in flight at once per worker. */
  concurrency: number;
  /** How long after the first send a bank's "never seen" is believed and the same charge is sent again. */
  graceMs: number;
  /** An attempt without a definite answer this long goes to `requires_review` (with an alert). */
  reviewAfterMs: number;
  /** Retry backoff: `retryBaseMs` × 2^tries, capped at `retryMaxMs`, jittered. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How often expired challenges, sessions, idempotency keys and rate-limit windows are deleted. */
  housekeepingMs: number;
  /** How often our records are compared with each bank's ledger (0 = never). */
  ledgerCheckMs: number;
}

export const DEFAULT_WORKER_SETTINGS: WorkerSettings = {
  pollMs: 1_000,
  concurrency: 8,
  graceMs: 30_000,
  reviewAfterMs: 24 * 60 * 60 * 1000,
  retryBaseMs: 500,
  retryMaxMs: 30_000,
  housekeepingMs: 60_000,
  ledgerCheckMs: 10 * 60 * 1000,
};

/** Default per-call bank timeout (connect + answer). */
export const DEFAULT_BANK_TIMEOUT_MS = 10_000;
