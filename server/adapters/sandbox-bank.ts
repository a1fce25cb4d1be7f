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
import { createCardBankApiAdapter } from './http/card-bank-api-adapter.ts';

/** Every leading digit of the test-card numbers (Mastercard 2/5, Amex/JCB 3, Visa 4, Discover/UnionPay 6). */
export const SANDBOX_BANK_BINS: readonly string[] = Object.freeze(['2', '3', '4', '5', '6']);

export interface SandboxBankAdapterOptions {
  /** e.g. `http://127.0.0.1:8788` */
  baseUrl: string;
  apiKey: string;
  /** Per call, covering connect + answer; default 10 s. */
  timeoutMs?: number;
  /** Stored with each card; default "sandbox". */
  id?: string;
  /** What the bank carries: the sandbox bank's own limits by default; give the same `BANK_LIMITS` a narrower bank was started with. */
  limits?: BankLimits;
  /** The card numbers routed to it; default `SANDBOX_BANK_BINS`. */
  bins?: readonly string[];
  /** Default: the global fetch (canned tests replay recorded answers through their own). */
  fetch?: typeof fetch;
}

export function createSandboxBankAdapter(options: SandboxBankAdapterOptions): BankAdapter {
  return createCardBankApiAdapter({
    id: options.id ?? 'sandbox',
    bankName: 'sandbox bank',
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    apiKeySetting: 'BANK_API_KEY',
    baseUrlSetting: 'BANK_URL',
    timeoutMs: options.timeoutMs ?? 10_000,
    limits: options.limits ?? sandboxBankLimits,
    bins: options.bins ?? SANDBOX_BANK_BINS,
    fxAndFees: false,
    fetch: options.fetch,
  });
}
