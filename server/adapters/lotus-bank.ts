/**
 * Lotus Bank (莲花银行, `demo/lotus/`): the card bank API's mapping (http/card-bank-api-adapter.ts) with this bank's
 * settings. Its cards are held in CNY (`tokenizeCard` answers `currency: 'CNY'`): a payment in USD, EUR, GBP or JPY
 * is charged as the debit of its FX quote (`quoteFx`, the charge names it as `fxQuoteId`), with the fees of its
 * schedule (`feeSchedule`: 1.5 % on cross-currency card payments). It issues the numbers starting 555555 and 510510.
 */
import { LOTUS_BINS, lotusBankLimits } from '../../demo/lotus/lotus-bank-profile.ts';
import type { BankAdapter } from './bank-adapter.ts';
import { createCardBankApiAdapter, type CardBankConnection } from './http/card-bank-api-adapter.ts';

/** `LOTUS_BANK_URL` and `LOTUS_BANK_API_KEY`; the id defaults to "lotus". */
export type LotusBankAdapterOptions = CardBankConnection;

export function createLotusBankAdapter(options: LotusBankAdapterOptions): BankAdapter {
  return createCardBankApiAdapter(options, {
    defaultId: 'lotus',
    bankName: 'Lotus Bank',
    apiKeySetting: 'LOTUS_BANK_API_KEY',
    baseUrlSetting: 'LOTUS_BANK_URL',
    limits: lotusBankLimits,
    bins: LOTUS_BINS,
    fxAndFees: true,
    offers: true,
  });
}
