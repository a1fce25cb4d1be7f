/**
 * The banks this wallet server can tokenize and charge with, by adapter id.
 * The first adapter is the default for new cards. Each adapter's declared
 * `limits` are checked here: a bank without well-formed limits is refused, and so
 * is one with half a capability (see bank-capabilities.ts).
 */
import type { BankAdapter } from './bank-adapter.ts';
import { checkBankCapabilities, type BankCapability } from './bank-capabilities.ts';
import { checkBankLimits } from './bank-limits.ts';

/** Finds the adapter a card was issued by; `default()` is the bank new cards go to. */
export type BankDirectory = BankRegistry;

export interface BankRegistry {
  /** The adapter a card was saved with; throws for an id no adapter has. */
  get(id: string): BankAdapter;
  has(id: string): boolean;
  default(): BankAdapter;
  all(): readonly BankAdapter[];
  /** What the bank supports (card tokenization, refunds, …), so the widget offers only that; throws for an unknown id. */
  capabilitiesOf(id: string): readonly BankCapability[];
}

export function createBankRegistry(adapters: readonly BankAdapter[]): BankRegistry {
  if (adapters.length === 0) {
    throw new TypeError('createBankRegistry: expected at least one bank adapter, received none');
  }
  const byId = new Map<string, BankAdapter>();
  const capabilities = new Map<string, readonly BankCapability[]>();
  for (const adapter of adapters) {
    if (byId.has(adapter.id)) {
      throw new TypeError(`createBankRegistry: expected unique adapter ids, received "${adapter.id}" twice`);
    }
    checkBankLimits(adapter.id, adapter.limits);
    capabilities.set(adapter.id, Object.freeze(checkBankCapabilities(adapter)));
    byId.set(adapter.id, adapter);
  }
  const list = Object.freeze([...adapters]);
  const unknown = (id: string) =>
    new Error(`unknown bank adapter ${JSON.stringify(id)}: expected one of ${[...byId.keys()].map((known) => JSON.stringify(known)).join(', ')}`);
  return {
    get(id) {
      const adapter = byId.get(id);
      if (!adapter) throw unknown(id);
      return adapter;
    },
    capabilitiesOf(id) {
      const found = capabilities.get(id);
      if (!found) throw unknown(id);
      return found;
    },
    has: (id) => byId.has(id),
    default: () => list[0],
    all: () => list,
  };
}
