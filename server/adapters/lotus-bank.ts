/**
 * Lotus Bank (莲花银行, `demo/lotus/`): the card bank API's mapping (http/card-bank-api-adapter.ts) with this bank's
 * settings. Its cards are held in CNY (`tokenizeCard` answers `currency: 'CNY'`): a payment in USD, EUR, GBP or JPY
 * is charged as the debit of its FX quote (`quoteFx`, the charge names it as `fxQuoteId`), with the fees of its
 * schedule (`feeSchedule`: 1.5 % on cross-currency card payments). It issues the numbers starting 555555 and 510510.
 */
import { LOTUS_BINS, lotusBankLimits } from '../../demo/lotus/lotus-bank-profile.ts';
import type { BankAdapter } from './bank-adapter.ts';
import { createCardBankApiAdapter } from './http/card-bank-api-adapter.ts';

export interface LotusBankAdapterOptions {
  /** `LOTUS_BANK_URL`, e.g. `http://127.0.0.1:8791` */
  baseUrl: string;
  /** `LOTUS_BANK_API_KEY` */
  apiKey: string;
  /** Per call, covering connect + answer; default 10 s. */
  timeoutMs?: number;
  /** Stored with each card; default "lotus". */
  id?: string;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
}

export function createLotusBankAdapter(options: LotusBankAdapterOptions): BankAdapter {
  return createCardBankApiAdapter({
    id: options.id ?? 'lotus',
    bankName: 'Lotus Bank',
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    apiKeySetting: 'LOTUS_BANK_API_KEY',
    baseUrlSetting: 'LOTUS_BANK_URL',
    timeoutMs: options.timeoutMs ?? 10_000,
    limits: lotusBankLimits,
    bins: LOTUS_BINS,
    fxAndFees: true,
    fetch: options.fetch,
  });
}
