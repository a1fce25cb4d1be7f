/**
 * The sandbox bank's profile: Visa-style test cards charged in any currency it carries (no exchange, no fees),
 * any valid number accepted. The wallet's sandbox adapter declares the same limits and, as its BINs, every
 * leading digit a test number starts with (`server/adapters/sandbox-bank.ts`); Lotus Bank's longer BINs win
 * for its own numbers.
 */
import type { BankProfile } from './bank-profile.ts';
import { sandboxBankBrand, sandboxBankLogoSvg } from './sandbox-bank-brand.ts';
import { sandboxBankLimits } from './sandbox-bank-limits.ts';
import { sandboxBankOffers } from './sandbox-bank-offers.ts';

export const sandboxBankProfile: BankProfile = Object.freeze({
  name: 'sandbox bank',
  env: Object.freeze({ port: 'BANK_PORT', defaultPort: '8788', apiKey: 'BANK_API_KEY', adminKey: 'BANK_ADMIN_KEY', limits: 'BANK_LIMITS' }),
  keyPrefix: 'sandbox',
  ledgerFile: 'sandbox-bank.sqlite',
  readyWord: 'SANDBOX_BANK_READY',
  brand: sandboxBankBrand,
  logoSvg: sandboxBankLogoSvg,
  cardCurrency: null,
  issuedBins: null,
  testCards: Object.freeze({
    '4242424242424242': 'approve',
    '4000000000000002': 'decline_card_declined',
    '4000000000009995': 'decline_insufficient_funds',
  }),
  limits: sandboxBankLimits,
  fx: null,
  fees: null,
  offers: sandboxBankOffers,
});
