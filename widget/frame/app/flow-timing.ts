import type { FlowTiming } from './flow-deps.ts';

/**
 * How the frame waits (ms), unless its deps say otherwise (tests). For the outcome: a few quick polls while the shopper
 * still looks at the Pay button; if they do not settle it, the processing screen, the `processing` message, and a
 * slower watch in the background (doubling from `watchFrom` to `watchMax`) that gives up after `watchFor`: the
 * merchant's server learns the outcome anyway. For the terms: a refresh `quoteLead` before a quote expires, a retry
 * `quoteRetry` after a failed one. Read by the card screens' and the outcome's code only, so it loads with them.
 */
export const flowTiming: FlowTiming = {
  quickTries: 5, quickEvery: 1000, watchFrom: 1000, watchMax: 15000, watchFor: 180000, quoteLead: 15000, quoteRetry: 5000,
};
