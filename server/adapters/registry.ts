/**
 * The banks this wallet server can tokenize and charge with, by adapter id.
 * The first adapter is the default (its brand is the one shown before a card is chosen). Each adapter's declared
 * `limits` and `bins` are checked here: a bank without well-formed limits is refused, and so is one with half a
 * capability (see bank-capabilities.ts), a malformed BIN, or a BIN another bank already declares.
 */
import { PaykeyError } from '../errors/paykey-error.ts';
import type { BankAdapter } from './bank-adapter.ts';
import { checkBankCapabilities, type BankCapability } from './bank-capabilities.ts';
import { checkBankLimits } from './bank-limits.ts';

/** Finds the adapter a card was issued by; `default()` is the bank whose brand the wallet shows before a card is chosen. */
export type BankDirectory = BankRegistry;

export interface BankRegistry {
  /** The adapter a card was saved with; throws for an id no adapter has. */
  get(id: string): BankAdapter;
  has(id: string): boolean;
  default(): BankAdapter;
  all(): readonly BankAdapter[];
  /** What the bank supports (card tokenization, refunds, …), so the widget offers only that; throws for an unknown id. */
  capabilitiesOf(id: string): readonly BankCapability[];
  /**
   * The bank that issues a card number (digits only): the one declaring the longest BIN prefix of it. None does:
   * `card_not_supported` (422), naming only the leading digits that were tried, never the number.
   */
  bankForCardNumber(digits: string): BankAdapter;
}

/** A BIN prefix: 1 to 8 digits (ISO/IEC 7812 issuer numbers are 6 or 8 long; banks may declare shorter ranges). */
const BIN = /^\d{1,8}$/;
const MAX_BIN_LENGTH = 8;

export function createBankRegistry(adapters: readonly BankAdapter[]): BankRegistry {
  if (adapters.length === 0) {
    throw new TypeError('createBankRegistry: expected at least one bank adapter, received none');
  }
  const byId = new Map<string, BankAdapter>();
  const capabilities = new Map<string, readonly BankCapability[]>();
  /** Each declared prefix and the one bank declaring it. */
  const byBin = new Map<string, BankAdapter>();
  for (const adapter of adapters) {
    if (byId.has(adapter.id)) {
      throw new TypeError(`createBankRegistry: expected unique adapter ids, received "${adapter.id}" twice`);
    }
    checkBankLimits(adapter.id, adapter.limits);
    const supported = checkBankCapabilities(adapter);
    capabilities.set(adapter.id, Object.freeze(supported));
    const bins = checkBins(adapter);
    if (bins.length > 0 && !supported.includes('card_tokenization')) {
      throw new TypeError(`createBankRegistry: bank adapter "${adapter.id}": expected card_tokenization for a bank declaring BINs (cards are routed to it), received bins without it`);
    }
    for (const bin of bins) {
      const other = byBin.get(bin);
      if (other) {
        throw new TypeError(
          `createBankRegistry: expected each BIN prefix to be declared by one bank, received "${bin}" from both "${other.id}" and "${adapter.id}"`,
        );
      }
      byBin.set(bin, adapter);
    }
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
    bankForCardNumber(digits) {
      for (let length = Math.min(MAX_BIN_LENGTH, digits.length); length > 0; length--) {
        const found = byBin.get(digits.slice(0, length));
        if (found) return found;
      }
      // Six digits at most: an issuer number, never enough of a card number to matter.
      const tried = digits.slice(0, Math.min(6, digits.length));
      throw new PaykeyError('card_not_supported', `No partner bank issues cards starting ${tried}: expected a card from ${describeBanks(list)}`);
    },
  };
}

/** The adapter's `bins`, checked: a non-empty list of distinct 1–8 digit strings. */
function checkBins(adapter: BankAdapter): readonly string[] {
  const where = `createBankRegistry: bank adapter "${adapter.id}"`;
  const bins: unknown = (adapter as { bins?: unknown }).bins;
  if (!Array.isArray(bins)) {
    throw new TypeError(`${where}: expected bins, an array of 1 to 8 digit prefixes ([] for a bank issuing no cards), received ${bins === undefined ? 'none' : typeof bins}`);
  }
  const seen = new Set<string>();
  bins.forEach((bin: unknown, index) => {
    if (typeof bin !== 'string' || !BIN.test(bin)) {
      throw new TypeError(`${where}: expected bins.${index} to be 1 to 8 digits, received ${JSON.stringify(bin)}`);
    }
    if (seen.has(bin)) throw new TypeError(`${where}: expected each BIN prefix once, received "${bin}" twice`);
    seen.add(bin);
  });
  return bins as string[];
}

function describeBanks(list: readonly BankAdapter[]): string {
  const issuing = list.filter((adapter) => adapter.bins.length > 0);
  if (issuing.length === 0) return 'a partner bank (none is configured to issue cards)';
  return issuing.map((adapter) => `${adapter.id} (${adapter.bins.join(', ')})`).join(' or ');
}
