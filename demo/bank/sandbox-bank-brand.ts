/**
 * How the sandbox bank looks to shoppers (`GET /v1/brand`): every pair of its colours meets WCAG 2.2 AA —
 * text on background 15.62:1, white on primary 8.86:1 (≥ 4.5); accent 4.72:1 and border 4.56:1 on background (≥ 3).
 */
import type { BankBrand } from '../../server/adapters/bank-adapter.ts';
import { svgDataUrl } from './bank-profile.ts';

export const sandboxBankLogoSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Sandbox Bank">
<rect width="64" height="64" rx="14" fill="#0f4c81"/>
<path d="M32 12 12 22v4h40v-4L32 12z" fill="#ffffff"/>
<path d="M17 29h6v17h-6zM29 29h6v17h-6zM41 29h6v17h-6z" fill="#ffffff"/>
<rect x="12" y="48" width="40" height="5" rx="1" fill="#f2a900"/>
</svg>`;

export const sandboxBankBrand: BankBrand = Object.freeze({
  name: Object.freeze({ en: 'Sandbox Bank', 'zh-CN': '沙盒银行' }),
  logo: svgDataUrl(sandboxBankLogoSvg),
  colors: Object.freeze({
    primary: '#0f4c81',
    onPrimary: '#ffffff',
    accent: '#b35c00',
    background: '#ffffff',
    text: '#1a2433',
    border: '#6b7785',
  }),
  radius: '8px',
  fontStack: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  support: Object.freeze({ email: 'support@sandbox-bank.example', url: 'https://sandbox-bank.example/help' }),
});
