/**
 * The sandbox bank's fault rules, in memory only (a restart clears them).
 * Rules are checked in order; the first that matches the route, is not spent,
 * and wins its `rate` roll fires. A rule with a `count` covers that many
 * matching requests (fired or not), then it is spent.
 */
import { randomBytes } from 'node:crypto';
import type { BankRoute, FaultRule } from './fault-rule.ts';

export interface StoredFault extends FaultRule {
  id: string;
  /** How many times this rule fired. */
  hits: number;
  /** How many more matching requests it covers; null = no limit. */
  remaining: number | null;
}

export interface FaultStore {
  replace(rules: FaultRule[]): StoredFault[];
  append(rule: FaultRule): StoredFault;
  list(): StoredFault[];
  clear(): void;
  /** The rule to apply to one request to `route`, if any (and counts it). */
  pick(route: BankRoute): StoredFault | undefined;
}

/** `random` is injectable for tests; it must return a number in [0, 1). */
export function createFaultStore(random: () => number = Math.random): FaultStore {
  let rules: StoredFault[] = [];
  const store = (rule: FaultRule): StoredFault => ({
    id: `flt_${randomBytes(9).toString('base64url')}`,
    ...rule,
    hits: 0,
    remaining: rule.count,
  });
  const snapshot = (rule: StoredFault): StoredFault => ({ ...rule });

  return {
    replace(next) {
      rules = next.map(store);
      return rules.map(snapshot);
    },
    append(rule) {
      const stored = store(rule);
      rules.push(stored);
      return snapshot(stored);
    },
    list: () => rules.map(snapshot),
    clear() {
      rules = [];
    },
    pick(route) {
      for (const rule of rules) {
        if (rule.route !== 'any' && rule.route !== route) continue;
        if (rule.remaining !== null) {
          if (rule.remaining <= 0) continue;
          rule.remaining -= 1;
        }
        // random() < 1 always holds and < 0 never does: rate 1 always fires, rate 0 never.
        if (random() < rule.rate) {
          rule.hits += 1;
          return snapshot(rule);
        }
      }
      return undefined;
    },
  };
}
