/**
 * Meridian's fault rules, in memory (a restart clears them): the shared fault rule store
 * (demo/shared/fault-rule-store.ts) over Meridian's routes and kinds.
 */
import { createFaultRuleStore, type FaultRuleStore } from '../../shared/fault-rule-store.ts';
import type { ObFaultRuleInput, ObRoute, StoredObFault } from './fault-rule.ts';

export type ObFaultStore = FaultRuleStore<ObFaultRuleInput, StoredObFault, ObRoute>;

export function createObFaultStore(random: () => number = Math.random): ObFaultStore {
  return createFaultRuleStore<ObFaultRuleInput, Omit<StoredObFault, 'id' | 'hits' | 'remaining'>, ObRoute>(
    (input) => ({
      route: input.route,
      kind: input.kind,
      rate: input.rate ?? 1,
      count: input.count ?? null,
      ms: input.kind === 'latency' ? (input.ms ?? 1_000) : null,
    }),
    random,
  );
}
