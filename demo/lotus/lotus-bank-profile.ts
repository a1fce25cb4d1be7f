/**
 * Lotus Bank (莲花银行): a second demo card bank, its own process and ledger (`demo/lotus/main.ts`), the same
 * code as the sandbox bank run from this profile. Its cards are held in CNY: a payment in another currency is
 * charged as the debit of a firm quote (`POST /v1/fx-quotes`, 1 USD = 7.1234 CNY), with a 1.5 % cross-currency
 * fee in its schedule (`GET /v1/fee-schedule`). It issues only numbers starting 555555 or 510510.
 */
import type { BankProfile } from '../bank/bank-profile.ts';
import type { SandboxBankLimits } from '../bank/sandbox-bank-limits.ts';
import { lotusBankBrand, lotusBankLogoSvg } from './lotus-bank-brand.ts';
import { lotusBankOffers } from './lotus-bank-offers.ts';

/** The currencies Lotus Bank converts from into CNY; 1 unit of each = this many CNY. */
export const LOTUS_FX_RATES: Readonly<Record<string, string>> = Object.freeze({
  USD: '7.1234',
  EUR: '7.7012',
  GBP: '9.0345',
  JPY: '0.047812',
});

/** What Lotus Bank carries: charges in CNY (its cards' currency), and payments in the currencies it converts from. */
export const lotusBankLimits: SandboxBankLimits = Object.freeze({
  currencies: Object.freeze(['CNY', ...Object.keys(LOTUS_FX_RATES)]),
  amount: Object.freeze({ min: 1, max: 99_999_999 }),
  maxDescriptionLength: 140,
});

/** The leading digits of the card numbers Lotus Bank issues (its adapter declares the same). */
export const LOTUS_BINS: readonly string[] = Object.freeze(['555555', '510510']);

/** A foreign-currency card payment pays 1.5 % on top; a CNY one nothing. */
const CROSS_CURRENCY_BASIS_POINTS = 150;

export const lotusBankProfile: BankProfile = Object.freeze({
  name: 'Lotus Bank',
  env: Object.freeze({ port: 'LOTUS_BANK_PORT', defaultPort: '8791', apiKey: 'LOTUS_BANK_API_KEY', adminKey: 'LOTUS_BANK_ADMIN_KEY' }),
  keyPrefix: 'lotus',
  ledgerFile: 'lotus-bank.sqlite',
  readyWord: 'LOTUS_BANK_READY',
  brand: lotusBankBrand,
  logoSvg: lotusBankLogoSvg,
  cardCurrency: 'CNY',
  issuedBins: LOTUS_BINS,
  testCards: Object.freeze({
    '5555555555554444': 'approve',
    '5105105105105100': 'decline_card_declined',
  }),
  limits: lotusBankLimits,
  fx: Object.freeze({ source: 'Lotus Bank treasury', rates: LOTUS_FX_RATES, quoteTtlMs: 10 * 60_000 }),
  fees: Object.freeze({
    entries: Object.freeze([
      ...Object.keys(LOTUS_FX_RATES).map((currency) =>
        Object.freeze({ method: 'card' as const, currency, fixed: 0, basisPoints: CROSS_CURRENCY_BASIS_POINTS, applies: 'cross_currency' as const }),
      ),
      Object.freeze({ method: 'card' as const, currency: 'CNY', fixed: 0, basisPoints: 0, applies: 'any' as const }),
    ]),
  }),
  offers: lotusBankOffers,
});
