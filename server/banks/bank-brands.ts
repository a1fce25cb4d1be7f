import type { BankAdapter, BankBrand } from '../adapters/bank-adapter.ts';
import type { BankBrandView } from '../../widget/shopper-api.ts';

/**
 * A bank's brand rarely changes; fetch it once per adapter and keep it.
 * A failed fetch is not cached so the next request tries again.
 */
export function createBrandCache() {
  const brands = new Map<string, Promise<BankBrand>>();
  return async function bankBrand(adapter: BankAdapter): Promise<BankBrandView> {
    let brand = brands.get(adapter.id);
    if (!brand) {
      brand = adapter.brand();
      brands.set(adapter.id, brand);
      brand.catch(() => brands.delete(adapter.id));
    }
    const { name, logo, colors } = await brand;
    return { id: adapter.id, name, logo, colors };
  };
}

export type BrandLookup = ReturnType<typeof createBrandCache>;
