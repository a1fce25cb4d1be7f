import type { CheckoutView, PaymentStatus } from '../../shopper-api.ts';

/** A payment's state as `/confirmations` and `/checkout` report it. */
export type PaymentState = Pick<CheckoutView, 'paymentIntentId' | 'status' | 'lastError'>;

/** How the frame waits for an outcome (ms); see `flowTiming`. */
export interface OutcomeTiming {
  quickTries: number;
  quickEvery: number;
  watchFrom: number;
  watchMax: number;
  watchFor: number;
}

/** The shopper has confirmed but the outcome is not known: the bank has not answered, or an operator reviews it. */
export const isPending = (status: PaymentStatus) => status === 'processing' || status === 'requires_review';

/** `poll()`, or null if it failed: a lost poll is no news, the next one asks again. */
const tryPoll = (poll: () => Promise<PaymentState>) => poll().catch(() => null);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A few polls `quickEvery` apart while the shopper still looks at the Pay button: most banks answer in a second. */
export async function pollQuickly(state: PaymentState, poll: () => Promise<PaymentState>, t: OutcomeTiming): Promise<PaymentState> {
  for (let i = 0; isPending(state.status) && i < t.quickTries; i++) {
    await sleep(t.quickEvery);
    state = (await tryPoll(poll)) ?? state;
  }
  return state;
}

/**
 * Polls with backoff (doubling from `watchFrom` to `watchMax`) until the outcome is known or `watchFor` has passed —
 * the merchant's server learns it anyway. `onPoll` sees every answer; returns the last state, or null once `stopped()`.
 */
export async function watchOutcome(
  state: PaymentState,
  poll: () => Promise<PaymentState>,
  t: OutcomeTiming,
  stopped: () => boolean,
  onPoll: (state: PaymentState) => void,
): Promise<PaymentState | null> {
  const end = Date.now() + t.watchFor;
  for (let wait = t.watchFrom; isPending(state.status) && Date.now() + wait <= end; wait = Math.min(wait * 2, t.watchMax)) {
    await sleep(wait);
    if (stopped()) return null;
    state = (await tryPoll(poll)) ?? state;
    if (stopped()) return null;
    onPoll(state);
  }
  return state;
}
