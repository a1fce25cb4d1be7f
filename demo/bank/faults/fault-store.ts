/**
 * The sandbox bank's fault rules, in memory only (a restart clears them): the shared fault rule store
 * (demo/shared/fault-rule-store.ts) over the bank's routes and kinds.
 */
import { createFaultRuleStore, type FaultRuleStore, type StoredFaultFields } from '../../shared/fault-rule-store.ts';
import type { BankRoute, FaultRule } from './fault-rule.ts';

export interface StoredFault extends FaultRule, StoredFaultFields {}

export type FaultStore = FaultRuleStore<FaultRule, StoredFault, BankRoute>;

/** `random` is injectable for tests; it must return a number in [0, 1). */
export function createFaultStore(random: () => number = Math.random): FaultStore {
  return createFaultRuleStore<FaultRule, FaultRule, BankRoute>((rule) => rule, random);
}
