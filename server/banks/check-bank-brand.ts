import { brandProblems } from '../../widget/frame/theme/brand-problems.ts';
import { BankConfigurationError, type BankBrand } from '../adapters/bank-adapter.ts';

/** A bank (or the operator) served a brand that breaks a rule: an operator problem, never shown to shoppers. */
export class BankBrandRefused extends BankConfigurationError {
  constructor(
    readonly bank: string,
    readonly problems: readonly string[],
    label: string,
  ) {
    super(`${label} brand: ${problems.join('; ')}`);
    this.name = 'BankBrandRefused';
  }
}

/**
 * `brand` when it is fit to show to shoppers, else throws `BankBrandRefused` naming every problem, e.g.
 * "Lotus Bank brand: text #777 on background #fff is 4.48:1, expected at least 4.5:1 (WCAG 2.2 AA, text)".
 * The rules (WCAG 2.2 AA colour pairs, opaque hex colours, a px radius from 0 to 24, a font stack ending in a generic
 * family, a bounded `data:image/svg+xml` logo, a name in English, at least one support contact) are the frame's own
 * (`widget/frame/theme/brand-problems.ts`), so what the server lets through the frame applies.
 */
export function checkBankBrand(id: string, brand: unknown): BankBrand {
  const problems = brandProblems(brand);
  if (problems.length === 0) return brand as BankBrand;
  const name = (brand as { name?: { en?: unknown } } | null)?.name?.en;
  throw new BankBrandRefused(id, problems, typeof name === 'string' && name.trim() ? name : `Bank "${id}"`);
}
