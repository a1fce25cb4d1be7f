/**
 * A bank's fault rules, in memory only (a restart clears them). Rules are checked in order; the first that
 * matches the route, is not spent, and wins its `rate` roll fires. A rule with a `count` covers that many
 * matching requests (fired or not), then it is spent. The sandbox card bank and Meridian each keep their own
 * routes and kinds; the store is the same.
 */
import { randomBytes } from 'node:crypto';

/** What the store adds to a rule. */
export interface StoredFaultFields {
  id: string;
  /** How many times this rule fired. */
  hits: number;
  /** How many more matching requests it covers; null = no limit. */
  remaining: number | null;
}

/** A rule with its defaults filled in: `route` may be `any`; `count` null = no limit. */
export interface NormalizedFaultRule {
  route: string;
  rate: number;
  count: number | null;
}

export interface FaultRuleStore<Input, Stored, Route extends string> {
  replace(rules: Input[]): Stored[];
  append(rule: Input): Stored;
  list(): Stored[];
  clear(): void;
  /** The rule to apply to one request to `route`, if any (and counts it). */
  pick(route: Route): Stored | undefined;
}

/** `normalize` fills in a rule's defaults; `random` is injectable for tests and must return a number in [0, 1). */
export function createFaultRuleStore<Input, Rule extends NormalizedFaultRule, Route extends string>(
  normalize: (input: Input) => Rule,
  random: () => number = Math.random,
): FaultRuleStore<Input, Rule & StoredFaultFields, Route> {
  type Stored = Rule & StoredFaultFields;
  let rules: Stored[] = [];
  const store = (input: Input): Stored => {
    const rule = normalize(input);
    return { id: `flt_${randomBytes(9).toString('base64url')}`, ...rule, hits: 0, remaining: rule.count };
  };
  const snapshot = (rule: Stored): Stored => ({ ...rule });

  return {
    replace(next) {
      rules = next.map(store);
      return rules.map(snapshot);
    },
    append(input) {
      const stored = store(input);
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
