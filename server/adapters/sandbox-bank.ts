/**
 * The sandbox partner bank (`demo/bank/`): the card bank API's mapping (http/card-bank-api-adapter.ts) with this
 * bank's settings. Its cards are charged in whatever currency a payment is in (`currency: null`, no exchange, no
 * fees); its BINs cover every leading digit a test number starts with, so a bank declaring a longer prefix
 * (Lotus Bank: 555555, 510510) wins for its own numbers.
 * Its `limits` are the bank's own (`demo/bank/sandbox-bank-limits.ts`, also published at `GET /v1/limits`), unless
 * it is pointed at a bank started with others.
 */
import { sandboxBankLimits } from '../../demo/bank/sandbox-bank-limits.ts';
import type { BankAdapter } from './bank-adapter.ts';
import type { BankLimits } from './bank-limits.ts';
import { createCardBankApiAdapter, type CardBankConnection } from './http/card-bank-api-adapter.ts';

/** Every leading digit of the test-card numbers (Mastercard 2/5, Amex/JCB 3, Visa 4, Discover/UnionPay 6). */
export const SANDBOX_BANK_BINS: readonly string[] = Object.freeze(['2', '3', '4', '5', '6']);

/** `BANK_URL` and `BANK_API_KEY`; the id defaults to "sandbox". */
export interface SandboxBankAdapterOptions extends CardBankConnection {
  /** What the bank carries: the sandbox bank's own limits by default; give the same `BANK_LIMITS` a narrower bank was started with. */
  limits?: BankLimits;
  /** The card numbers routed to it; default `SANDBOX_BANK_BINS`. */
  bins?: readonly string[];
}

export function createSandboxBankAdapter(options: SandboxBankAdapterOptions): BankAdapter {
  return createCardBankApiAdapter(options, {
    defaultId: 'sandbox',
    bankName: 'sandbox bank',
    apiKeySetting: 'BANK_API_KEY',
    baseUrlSetting: 'BANK_URL',
    limits: options.limits ?? sandboxBankLimits,
    bins: options.bins ?? SANDBOX_BANK_BINS,
    fxAndFees: false,
    offers: true,
  });
}
