/**
 * How Meridian Bank looks to shoppers in the wallet (a `data:` logo, so the wallet frame shows it under its CSP).
 * Every pair of its colours meets WCAG 2.2 AA: text on background 14.70:1, white on primary 11.44:1 (≥ 4.5);
 * accent 5.54:1 and border 4.63:1 on background (≥ 3).
 */
import type { BankBrand } from '../bank-adapter.ts';

const logoSvg =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#0b3d5c"/>' +
  '<path d="M14 46V18h6l12 16 12-16h6v28h-7V30L32 44 21 30v16z" fill="#f2c14e"/></svg>';

export const meridianBrand: BankBrand = {
  name: { en: 'Meridian Bank', 'zh-CN': '子午线银行' },
  logo: `data:image/svg+xml;base64,${Buffer.from(logoSvg, 'utf8').toString('base64')}`,
  colors: {
    primary: '#0b3d5c',
    onPrimary: '#ffffff',
    accent: '#8a6100',
    background: '#ffffff',
    text: '#1c2a33',
    border: '#667784',
  },
  radius: '6px',
  fontStack: "Georgia, 'Times New Roman', serif",
  support: { email: 'help@meridian-bank.example', url: 'https://meridian-bank.example/help' },
};
