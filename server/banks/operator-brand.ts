import { readFileSync } from 'node:fs';
import type { BankBrand } from '../adapters/bank-adapter.ts';
import { checkBankBrand } from './check-bank-brand.ts';

const logoSvg =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#1f3fbf"/>' +
  '<circle cx="26" cy="30" r="11" fill="none" stroke="#fff" stroke-width="6"/><path d="M34 34h20v7h-5v5h-6v-5h-9z" fill="#fff"/></svg>';

const bankGlyphSvg =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#596070"/>' +
  '<path d="M32 12 12 24v4h40v-4zM16 32h6v16h-6zm13 0h6v16h-6zm13 0h6v16h-6zM12 50h40v4H12z" fill="#fff"/></svg>';

/**
 * The logo shown for a bank whose own brand was refused or cannot be had: a plain bank building, so the operator's
 * logo never sits next to another bank's name.
 */
export const standInBankLogo = `data:image/svg+xml;base64,${Buffer.from(bankGlyphSvg, 'utf8').toString('base64')}`;

/**
 * The wallet operator's brand when none is configured: Paykey's. Shown on the screens before a card is chosen,
 * and in place of a bank's brand that was refused. Meets the same rules as a bank's (text 16.9:1, Pay 8.3:1,
 * focus ring 4.7:1, borders 6.3:1 on white).
 */
export const paykeyBrand: BankBrand = {
  name: { en: 'Paykey', 'zh-CN': 'Paykey' },
  logo: `data:image/svg+xml;base64,${Buffer.from(logoSvg, 'utf8').toString('base64')}`,
  colors: { primary: '#1f3fbf', onPrimary: '#ffffff', accent: '#b35c00', background: '#ffffff', text: '#1a1d24', border: '#596070' },
  radius: '8px',
  fontStack: "system-ui, -apple-system, 'Segoe UI', Roboto, 'PingFang SC', 'Microsoft YaHei', sans-serif",
  support: { url: 'https://paykey.example/help' },
};

/**
 * The operator's brand from a JSON file (`PAYKEY_OPERATOR_BRAND`, a `BankBrand`), or Paykey's without one.
 * A file that cannot be read or breaks a brand rule stops the server at start: the operator's brand is what every
 * shopper sees first, and the stand-in for refused bank brands, so there is nothing to fall back to but a wrong one.
 */
export function readOperatorBrand(file: string | undefined): BankBrand {
  if (!file) return paykeyBrand;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`PAYKEY_OPERATOR_BRAND: expected a readable JSON file with the operator's brand, received ${file} (${(error as Error).message})`, { cause: error });
  }
  return checkBankBrand('operator', parsed);
}
