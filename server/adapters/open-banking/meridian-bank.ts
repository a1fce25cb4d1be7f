/**
 * Meridian Bank (`demo/open-banking`, the Open Banking v4.0 sandbox) as an `AccountPaymentAdapter`: the
 * standard's endpoints under the bank's origin, its organisation id and trust anchor, its brand, and what it
 * carries — GBP only, 1p to £9,999,999,999,999.99 (13 digits of pounds), our reference in the standard's 35
 * characters, one line of 140 characters of remittance text. Refunds: not supported (the standard has none).
 *
 * The wallet registers with the bank as `clientId` with `redirectUri` and its JWKS URL
 * (`<wallet origin>/.well-known/jwks.json`, served by wallet-jwks-app.ts), e.g. in Meridian's OB_BANK_CLIENTS.
 */
import type { AccountPaymentAdapter, AccountPaymentLimits } from './account-payment-adapter.ts';
import { meridianBrand } from './meridian-brand.ts';
import { createOpenBankingAdapter } from './open-banking-adapter.ts';
import type { PaymentRiskOptions } from './domestic-payment-order.ts';
import type { WalletSigningKey } from './wallet-signing-key.ts';

export const MERIDIAN_LIMITS: AccountPaymentLimits = {
  currencies: ['GBP'],
  amount: { min: 1, max: 999_999_999_999_999 },
  maxDescriptionLength: 140,
  maxReferenceLength: 35,
};

export interface MeridianBankAdapterOptions {
  /** The bank's origin, e.g. `http://127.0.0.1:8790` (Meridian prints it as MERIDIAN_BANK_READY). */
  baseUrl: string;
  /** The wallet's client id at the bank. */
  clientId: string;
  signingKey: WalletSigningKey;
  /** Where the bank sends the shopper back; registered with the bank. */
  redirectUri: string;
  /** Stored with each payment; default "meridian". */
  id?: string;
  /** Per call; default 10 s. */
  timeoutMs?: number;
  /** Default `sandbox.paykey.dev`, Meridian's. */
  trustAnchor?: string;
  /** Default `meridian-bank-sandbox`. */
  bankOrganisationId?: string;
  risk?: PaymentRiskOptions;
  /** One scrubbed line per unknown outcome (never a token, key or account number). */
  log?: (line: string) => void;
  /** Every HTTP call the adapter makes; default the global fetch (see OpenBankingAdapterOptions.fetch). */
  fetch?: typeof fetch;
  /** The adapter's clock; default the system clock (see OpenBankingAdapterOptions.now). */
  now?: () => Date;
}

export function createMeridianBankAdapter(options: MeridianBankAdapterOptions): AccountPaymentAdapter {
  const origin = options.baseUrl.replace(/\/+$/, '');
  return createOpenBankingAdapter({
    id: options.id ?? 'meridian',
    name: 'Meridian Bank',
    brand: meridianBrand,
    limits: MERIDIAN_LIMITS,
    endpoints: {
      issuer: origin,
      apiRoot: `${origin}/open-banking/v4.0/pisp`,
      tokenEndpoint: `${origin}/token`,
      authorizationEndpoint: `${origin}/authorize`,
      jwksUrl: `${origin}/jwks`,
    },
    bankOrganisationId: options.bankOrganisationId ?? 'meridian-bank-sandbox',
    trustAnchor: options.trustAnchor ?? 'sandbox.paykey.dev',
    clientId: options.clientId,
    signingKey: options.signingKey,
    redirectUri: options.redirectUri,
    risk: options.risk,
    timeoutMs: options.timeoutMs,
    log: options.log,
    fetch: options.fetch,
    now: options.now,
  });
}
