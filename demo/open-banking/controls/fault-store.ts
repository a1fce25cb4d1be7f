/**
 * Meridian's fault rules, in memory (a restart clears them). The first rule that matches the route, is not
 * spent and wins its `rate` roll fires; a rule with a `count` covers that many matching requests.
 */
import { randomBytes } from 'node:crypto';
import type { ObFaultRuleInput, ObRoute, StoredObFault } from './fault-rule.ts';

export interface ObFaultStore {
  replace(rules: ObFaultRuleInput[]): StoredObFault[];
  append(rule: ObFaultRuleInput): StoredObFault;
  list(): StoredObFault[];
  clear(): void;
  pick(route: ObRoute): StoredObFault | undefined;
}

export function createObFaultStore(random: () => number = Math.random): ObFaultStore {
  let rules: StoredObFault[] = [];
  const store = (input: ObFaultRuleInput): StoredObFault => ({
    id: `flt_${randomBytes(9).toString('base64url')}`,
    route: input.route,
    kind: input.kind,
    rate: input.rate ?? 1,
    count: input.count ?? null,
    ms: input.kind === 'latency' ? (input.ms ?? 1_000) : null,
    hits: 0,
    remaining: input.count ?? null,
  });
  return {
    replace(next) {
      rules = next.map(store);
      return rules.map((r) => ({ ...r }));
    },
    append(input) {
      const rule = store(input);
      rules.push(rule);
      return { ...rule };
    },
    list: () => rules.map((r) => ({ ...r })),
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
        if (random() < rule.rate) {
          rule.hits += 1;
          return { ...rule };
        }
      }
      return undefined;
    },
  };
}
