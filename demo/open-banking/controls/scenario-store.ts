/**
 * Forced outcomes for tests and demos, switched over `/admin/scenarios` (in memory; a restart clears them):
 *
 * - `reject_consent`: the next consent the shopper approves at /authorize is rejected by the bank
 *   (consent RJCT, redirect with error=access_denied).
 * - `insufficient_funds`: the next payment submitted is rejected (RJCT, reason AM04) whatever the balance.
 * - `pending_then_settled`: the next payment is accepted as ACSP (AcceptedSettlementInProcess) and becomes
 *   ACSC (AcceptedSettlementCompleted) `settleAfterMs` later, or when `POST /admin/payments/{id}/settle` says so.
 *
 * Each scenario covers `count` matching events (default 1), oldest first.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

export const SCENARIO_KINDS = ['reject_consent', 'insufficient_funds', 'pending_then_settled'] as const;
export type ScenarioKind = (typeof SCENARIO_KINDS)[number];

export const scenarioInputSchema = z
  .strictObject({
    kind: z.enum(SCENARIO_KINDS),
    count: z.number().int().min(1).max(1_000_000).optional(),
    settleAfterMs: z.number().int().min(0).max(24 * 3_600_000).optional(),
  })
  .refine((s) => s.settleAfterMs === undefined || s.kind === 'pending_then_settled', {
    message: 'expected settleAfterMs only for kind pending_then_settled',
    path: ['settleAfterMs'],
  });
export type ScenarioInput = z.infer<typeof scenarioInputSchema>;

export interface Scenario {
  id: string;
  kind: ScenarioKind;
  /** Matching events still covered. */
  remaining: number;
  /** pending_then_settled only: null = settles only on the admin call. */
  settleAfterMs: number | null;
}

export interface ScenarioStore {
  add(input: ScenarioInput): Scenario;
  list(): Scenario[];
  clear(): void;
  /** Spends one event of the oldest scenario of a kind in `kinds`, if any. */
  take(kinds: readonly ScenarioKind[]): Scenario | undefined;
}

export function createScenarioStore(): ScenarioStore {
  let scenarios: Scenario[] = [];
  return {
    add(input) {
      const scenario: Scenario = {
        id: `scn_${randomBytes(9).toString('base64url')}`,
        kind: input.kind,
        remaining: input.count ?? 1,
        settleAfterMs: input.kind === 'pending_then_settled' ? (input.settleAfterMs ?? null) : null,
      };
      scenarios.push(scenario);
      return { ...scenario };
    },
    list: () => scenarios.map((s) => ({ ...s })),
    clear() {
      scenarios = [];
    },
    take(kinds) {
      const scenario = scenarios.find((s) => kinds.includes(s.kind) && s.remaining > 0);
      if (!scenario) return undefined;
      scenario.remaining -= 1;
      const taken = { ...scenario };
      scenarios = scenarios.filter((s) => s.remaining > 0);
      return taken;
    },
  };
}
