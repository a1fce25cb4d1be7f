/**
 * What makes one demo card bank differ from another: the same code (`create-bank-app.ts`, its ledger and routes)
 * runs the sandbox bank and Lotus Bank, each from its profile — name, brand, the currency its cards are held in,
 * the numbers it issues and its test cards, its limits, exchange rates, fees and offers.
 */
import type { BankBrand } from '../../server/adapters/bank-adapter.ts';
import type { FeeSchedule } from '../../server/adapters/fee-schedule.ts';
import type { SandboxBehaviour } from './cards/sandbox-behaviour.ts';
import type { BankOffer } from './offers/bank-offer.ts';
import type { SandboxBankLimits } from './sandbox-bank-limits.ts';

/** A bank's treasury: the rates it quotes into its cards' currency. */
export interface BankFxDesk {
  /** Shown to shoppers next to the rate, e.g. "Lotus Bank treasury". */
  source: string;
  /**
   * Units of the cards' currency per one unit of each currency it converts from, as exact decimal strings
   * ({ USD: "7.1234" }: 1 USD = 7.1234 CNY).
   */
  rates: Readonly<Record<string, string>>;
  /** How long a quote is firm. */
  quoteTtlMs: number;
}

/** The environment variables a bank's process reads (besides `PAYKEY_DATA_DIR` for its ledger). */
export interface CardBankEnv {
  port: string;
  defaultPort: string;
  apiKey: string;
  adminKey: string;
  /** Optional JSON limits (a narrower bank); absent for a bank that cannot be narrowed. */
  limits?: string;
}

export interface BankProfile {
  /** How messages name the bank, e.g. "sandbox bank", "Lotus Bank". */
  name: string;
  /** Its process's settings, e.g. `BANK_PORT`, `BANK_API_KEY`. */
  env: CardBankEnv;
  /** How its generated keys start, e.g. "sandbox" → `sk_sandbox_…`, `sandbox_admin_…`. */
  keyPrefix: string;
  /** The ledger's file name in the data directory, e.g. "sandbox-bank.sqlite". */
  ledgerFile: string;
  /** The line the process prints once listening: `<readyWord> <url>`. */
  readyWord: string;
  /** Served at `GET /v1/brand` (and publicly at `/brand`). */
  brand: BankBrand;
  /** The same logo as `brand.logo`, as SVG text (`GET /logo.svg`). */
  logoSvg: string;
  /** ISO 4217 code of the accounts its cards draw on; `null`: a card is charged in whatever currency it is asked to. */
  cardCurrency: string | null;
  /** The leading digits of the numbers it issues (it refuses to tokenize others); `null`: any valid number. */
  issuedBins: readonly string[] | null;
  /** Test-card numbers and what charges on them do; any other card approves. */
  testCards: Readonly<Record<string, SandboxBehaviour>>;
  limits: SandboxBankLimits;
  /** `POST /v1/fx-quotes`; `null`: the bank converts nothing (the route does not exist). */
  fx: BankFxDesk | null;
  /** `GET /v1/fee-schedule`; `null`: the route does not exist. */
  fees: FeeSchedule | null;
  /** Its offers to its card holders (`POST /v1/offers/quotes`); the sandbox controls may replace them for a while. */
  offers: readonly BankOffer[];
}

/** The SVG as a `data:` URL, so the wallet frame can show it under its `img-src data:` CSP. */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}
