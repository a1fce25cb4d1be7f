import type { BankAdapter } from '../adapters/bank-adapter.ts';
import type { FeeSchedule } from '../adapters/fee-schedule.ts';

/** How long a bank's fee schedule is reused before it is asked again. */
export const FEE_SCHEDULE_TTL_MS = 5 * 60 * 1000;

/** A bank's fee schedule (`null`: the bank has no `fee_schedule` capability, so it charges shoppers no fee). */
export type FeeScheduleLookup = (adapter: BankAdapter) => Promise<FeeSchedule | null>;

/**
 * Fee schedules change rarely and every quote needs one: each bank is asked at most once per `ttlMs` (concurrent
 * quotes share the one request). A failed request is not kept, so the next quote asks again.
 */
export function createFeeScheduleCache(now: () => Date, ttlMs = FEE_SCHEDULE_TTL_MS): FeeScheduleLookup {
  const cached = new Map<string, { until: number; schedule: Promise<FeeSchedule | null> }>();
  return function feeScheduleOf(adapter) {
    const entry = cached.get(adapter.id);
    const at = now().getTime();
    if (entry && entry.until > at) return entry.schedule;
    const schedule = adapter.feeSchedule ? adapter.feeSchedule() : Promise.resolve(null);
    cached.set(adapter.id, { until: at + ttlMs, schedule });
    schedule.catch(() => {
      if (cached.get(adapter.id)?.schedule === schedule) cached.delete(adapter.id);
    });
    return schedule;
  };
}
