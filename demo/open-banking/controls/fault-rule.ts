/**
 * A fault rule for Meridian's Open Banking API (see fault-injector.ts), and the zod schema the admin API
 * checks it with. Like the sandbox card bank's faults, for the calls of a payment by bank.
 */
import { z } from 'zod';

/** Which calls a rule matches: `any` is all five. */
export const OB_FAULT_ROUTES = ['consent', 'consent_lookup', 'payment', 'payment_lookup', 'token', 'any'] as const;
export type ObFaultRoute = (typeof OB_FAULT_ROUTES)[number];
export type ObRoute = Exclude<ObFaultRoute, 'any'>;

/**
 * - latency: wait `ms` (default 1000), then handle normally.
 * - error_before: 500 OBErrorResponse1 (U000) without handling (nothing written).
 * - error_after: handle (write, book), then answer 500 OBErrorResponse1 (U000) all the same — a well-formed
 *   failure that is not one: the adapter must look the payment up, not give up on it.
 * - bad_gateway_after: handle (write, book), then answer 502 with an HTML body (a proxy in the way).
 * - drop_after: handle (write, book), then close the socket without an answer.
 * - garbled_after: handle (write, book), then answer 200 with half the JSON.
 */
export const OB_FAULT_KINDS = ['latency', 'error_before', 'error_after', 'bad_gateway_after', 'drop_after', 'garbled_after'] as const;
export type ObFaultKind = (typeof OB_FAULT_KINDS)[number];

export const obFaultRuleSchema = z
  .strictObject({
    route: z.enum(OB_FAULT_ROUTES),
    kind: z.enum(OB_FAULT_KINDS),
    rate: z.number().min(0).max(1).optional(),
    count: z.number().int().min(1).max(1_000_000_000).optional(),
    ms: z.number().int().min(0).max(10 * 60_000).optional(),
  })
  .refine((rule) => rule.ms === undefined || rule.kind === 'latency', {
    message: 'expected ms only for kind latency',
    path: ['ms'],
  });
export type ObFaultRuleInput = z.infer<typeof obFaultRuleSchema>;

export interface StoredObFault {
  id: string;
  route: ObFaultRoute;
  kind: ObFaultKind;
  rate: number;
  count: number | null;
  ms: number | null;
  hits: number;
  remaining: number | null;
}

/** The route of a request under the API, or of /token; undefined for calls no rule matches. */
export function obRouteOf(method: string, path: string, apiRoot: string): ObRoute | undefined {
  if (path === '/token') return method === 'POST' ? 'token' : undefined;
  if (!path.startsWith(`${apiRoot}/`)) return undefined;
  const rest = path.slice(apiRoot.length);
  if (rest === '/domestic-payment-consents') return method === 'POST' ? 'consent' : undefined;
  if (/^\/domestic-payment-consents\/[^/]+$/.test(rest)) return method === 'GET' ? 'consent_lookup' : undefined;
  if (rest === '/domestic-payments') return method === 'POST' ? 'payment' : undefined;
  if (/^\/domestic-payments\/[^/]+$/.test(rest)) return method === 'GET' ? 'payment_lookup' : undefined;
  return undefined;
}
