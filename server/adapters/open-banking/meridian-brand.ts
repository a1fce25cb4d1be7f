/** How Meridian Bank looks to shoppers in the wallet (a `data:` logo, so the wallet frame shows it under its CSP). */
import type { BankBrand } from '../bank-adapter.ts';

const logoSvg =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#0b3d5c"/>' +
  '<path d="M14 46V18h6l12 16 12-16h6v28h-7V30L32 44 21 30v16z" fill="#f2c14e"/></svg>';

export const meridianBrand: BankBrand = {
  name: 'Meridian Bank',
  logo: `data:image/svg+xml;base64,${Buffer.from(logoSvg, 'utf8').toString('base64')}`,
  colors: { primary: '#0b3d5c', onPrimary: '#ffffff', accent: '#f2c14e' },
};
