/**
 * An adapter's declared limits, wherever the adapter is held. `limitsOf` reads
 * the adapter's own `limits`; for a wrapper that forwards an adapter's calls
 * but not its `limits` (today `server/metrics/instrumented-adapter.ts`), it
 * falls back to what `createBankRegistry` recorded for that adapter id in this
 * process. Two registries declaring different limits under one id leave that
 * id ambiguous: `limitsOf` then refuses rather than guess. Once every wrapper
 * passes `limits` on, the fallback can go.
 */
import type { BankAdapter } from './bank-adapter.ts';
import type { BankLimits } from './bank-limits.ts';

const recorded = new Map<string, { limits: BankLimits; json: string } | 'ambiguous'>();

export function recordDeclaredLimits(adapterId: string, limits: BankLimits): void {
  const json = JSON.stringify(limits);
  const known = recorded.get(adapterId);
  if (known === undefined) recorded.set(adapterId, { limits, json });
  else if (known !== 'ambiguous' && known.json !== json) recorded.set(adapterId, 'ambiguous');
}

export function limitsOf(adapter: Pick<BankAdapter, 'id'> & { readonly limits?: BankLimits }): BankLimits {
  if (adapter.limits) return adapter.limits;
  const known = recorded.get(adapter.id);
  if (known === 'ambiguous') {
    throw new Error(`bank adapter "${adapter.id}": expected one set of limits for this id, received several in this process; pass the adapter's limits on`);
  }
  if (!known) throw new Error(`bank adapter "${adapter.id}": expected declared limits, received none (was it registered with createBankRegistry?)`);
  return known.limits;
}
