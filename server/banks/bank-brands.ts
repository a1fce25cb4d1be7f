import type { BankAdapter, BankBrand } from '../adapters/bank-adapter.ts';
import type { Logger } from '../http/logger.ts';
import type { BankBrandView } from '../../widget/shopper-api.ts';
import { BankBrandRefused, checkBankBrand } from './check-bank-brand.ts';
import { paykeyBrand, standInBankLogo } from './operator-brand.ts';

export interface BrandCacheOptions {
  /** The wallet operator's brand (checked already: `readOperatorBrand`); default Paykey's. */
  operator?: BankBrand;
  /** Where a refused brand is reported (`bank_brand_refused`, level error). */
  logger?: Logger;
  /** Banks whose brands are fetched and checked now, so a refused one is in the start-up log, not found by a shopper. */
  preload?: readonly BankAdapter[];
}

/** Any bank that serves a brand: a card bank's adapter, or a pay-by-bank one. */
export type BrandedBank = Pick<BankAdapter, 'id' | 'brand'>;

/** A refused bank brand, as the operator needs to know it. */
export interface BrandRefusal {
  bank: string;
  message: string;
}

/**
 * A bank's brand rarely changes; fetch it once per adapter, check it (`checkBankBrand`) and keep it.
 * A failed fetch is not cached so the next request tries again. A brand that breaks a rule is refused: logged as
 * `bank_brand_refused` with the problem, kept in `refusals()`, and the bank's cards are shown in the operator's brand
 * instead (under the bank's own name when that part was valid, with a plain bank logo) — the bank still works, it just looks like the wallet
 * until its brand is fixed and the wallet restarted.
 */
export function createBrandCache(options: BrandCacheOptions = {}) {
  const operatorBrand = options.operator ?? paykeyBrand;
  const brands = new Map<string, Promise<BankBrandView>>();
  const refused = new Map<string, string>();

  const load = async (adapter: BrandedBank): Promise<BankBrandView> => {
    const served = await adapter.brand();
    try {
      return toBrandView(adapter.id, checkBankBrand(adapter.id, served));
    } catch (error) {
      if (!(error instanceof BankBrandRefused)) throw error;
      refused.set(adapter.id, error.message);
      options.logger?.error('bank_brand_refused', { bank: adapter.id, problem: error.message, shown: 'operator brand' });
      return standIn(adapter.id, served);
    }
  };

  /** The operator's look under the bank's id, a plain bank logo, and the bank's name when that was valid. */
  const standIn = (id: string, served?: unknown): BankBrandView => {
    const name = (served as BankBrand | undefined)?.name;
    const named = typeof name?.en === 'string' && name.en.trim() !== '' && (name['zh-CN'] === undefined || typeof name['zh-CN'] === 'string');
    return { ...toBrandView(id, operatorBrand), logo: standInBankLogo, name: named ? { en: name.en, ...(name['zh-CN'] ? { 'zh-CN': name['zh-CN'] } : {}) } : { en: id } };
  };

  const bankBrand = async function bankBrand(adapter: BrandedBank): Promise<BankBrandView> {
    let brand = brands.get(adapter.id);
    if (!brand) {
      brand = load(adapter);
      brands.set(adapter.id, brand);
      brand.catch(() => brands.delete(adapter.id));
    }
    return brand;
  };

  // Failures to reach a bank now are retried on the first request that needs the brand; only refusals are news.
  for (const adapter of options.preload ?? []) bankBrand(adapter).catch(() => {});

  return Object.assign(bankBrand, {
    /** The operator's brand as the frame applies it. */
    operator: toBrandView('operator', operatorBrand),
    /** The operator's look standing in for a bank whose brand cannot be had right now (unreachable) or was refused. */
    standIn: (id: string) => standIn(id),
    /** Every bank brand refused so far, for the operator (start-up log, health checks). */
    refusals: (): BrandRefusal[] => [...refused].map(([bank, message]) => ({ bank, message })),
  });
}

export type BrandLookup = ReturnType<typeof createBrandCache>;

/** Only the fields of the wire type, copied: whatever else an adapter's object carries stays on the server. */
function toBrandView(id: string, brand: BankBrand): BankBrandView {
  const { name, logo, colors, radius, fontStack, support } = brand;
  return {
    id,
    name: { en: name.en, ...(name['zh-CN'] === undefined ? {} : { 'zh-CN': name['zh-CN'] }) },
    logo,
    colors: { primary: colors.primary, onPrimary: colors.onPrimary, accent: colors.accent, background: colors.background, text: colors.text, border: colors.border },
    radius,
    fontStack,
    support: {
      ...(support.phone === undefined ? {} : { phone: support.phone }),
      ...(support.email === undefined ? {} : { email: support.email }),
      ...(support.url === undefined ? {} : { url: support.url }),
    },
  };
}
