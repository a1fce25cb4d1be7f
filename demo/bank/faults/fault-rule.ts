/**
 * A fault rule of the sandbox bank's fault injector (see fault-injector.ts), and
 * the zod schema the admin API checks it with.
 */
import { z } from 'zod';

/** Which calls a rule matches: `any` is all five. */
export const FAULT_ROUTES = ['charge', 'charge_lookup', 'refund', 'refund_lookup', 'token', 'any'] as const;
export type FaultRoute = (typeof FAULT_ROUTES)[number];
export type BankRoute = Exclude<FaultRoute, 'any'>;

/**
 * - latency: wait `ms`, then handle normally.
 * - timeout: hold the request `ms` before handling it, then handle and answer anyway.
 * - error_before: 503 without handling (nothing booked).
 * - error_after / drop_after / conflict_after / garbled_after: handle (book), then
 *   answer 502 HTML / close the socket without an answer / 409 non-decline / 200 broken JSON.
 * - duplicate: handle twice back to back; the caller gets the second answer.
 */
export const FAULT_KINDS = [
  'latency',
  'timeout',
  'error_before',
  'error_after',
  'drop_after',
  'conflict_after',
  'garbled_after',
  'duplicate',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Kinds that wait, and how long by default. */
export const DEFAULT_WAIT_MS: Partial<Record<FaultKind, number>> = { latency: 1_000, timeout: 15_000 };
export const MAX_WAIT_MS = 10 * 60_000;
export const MAX_RULES = 100;

export const faultRuleSchema = z
  .strictObject({
    route: z.enum(FAULT_ROUTES),
    kind: z.enum(FAULT_KINDS),
    rate: z.number().min(0).max(1).optional(),
    count: z.number().int().min(1).max(1_000_000_000).optional(),
    ms: z.number().int().min(0).max(MAX_WAIT_MS).optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.ms !== undefined && DEFAULT_WAIT_MS[rule.kind] === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['ms'],
        message: `expected no ms for kind ${rule.kind} (only latency and timeout wait), received ${rule.ms}`,
      });
    }
  });
export type FaultRuleInput = z.infer<typeof faultRuleSchema>;

export const faultListSchema = z.strictObject({ faults: z.array(faultRuleSchema).max(MAX_RULES) });

/** A rule as stored and shown: defaults filled in, absent options as null. */
export interface FaultRule {
  route: FaultRoute;
  kind: FaultKind;
  /** Probability per matching request, 0..1. */
  rate: number;
  /** The rule covers at most this many more matching requests; null = no limit. */
  count: number | null;
  /** How long latency/timeout wait; null for the other kinds. */
  ms: number | null;
}

export function normalizeFaultRule(input: FaultRuleInput): FaultRule {
  return {
    route: input.route,
    kind: input.kind,
    rate: input.rate ?? 1,
    count: input.count ?? null,
    ms: DEFAULT_WAIT_MS[input.kind] === undefined ? null : (input.ms ?? DEFAULT_WAIT_MS[input.kind]!),
  };
}
