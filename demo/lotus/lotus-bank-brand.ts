/**
 * How Lotus Bank (莲花银行) looks to shoppers (`GET /v1/brand`): every pair of its colours meets WCAG 2.2 AA —
 * text on background 15.75:1, white on primary 7.38:1 (≥ 4.5); accent 5.61:1 and border 4.37:1 on background (≥ 3).
 * Its font stack puts CJK faces before the generic family, so 莲花银行 is not drawn in a fallback font.
 */
import type { BankBrand } from '../../server/adapters/bank-adapter.ts';
import { svgDataUrl } from '../bank/bank-profile.ts';

/** A lotus: five petals over water, in the bank's raspberry. */
export const lotusBankLogoSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Lotus Bank">
<rect width="64" height="64" rx="14" fill="#a3195b"/>
<path d="M32 12c-6 7-8 15-6 24 2 3 4 4 6 4s4-1 6-4c2-9 0-17-6-24z" fill="#ffffff"/>
<path d="M14 22c0 9 4 16 13 19-4-5-6-11-5-17-3-1-5-2-8-2z" fill="#f8d3e3"/>
<path d="M50 22c0 9-4 16-13 19 4-5 6-11 5-17 3-1 5-2 8-2z" fill="#f8d3e3"/>
<path d="M8 34c3 6 10 9 19 8-6-2-11-6-13-11-2 1-4 2-6 3z" fill="#f1a7c6"/>
<path d="M56 34c-3 6-10 9-19 8 6-2 11-6 13-11 2 1 4 2 6 3z" fill="#f1a7c6"/>
<path d="M12 50c6-3 14-3 20 0s14 3 20 0" stroke="#ffffff" stroke-width="3" fill="none" stroke-linecap="round"/>
</svg>`;

export const lotusBankBrand: BankBrand = Object.freeze({
  name: Object.freeze({ en: 'Lotus Bank', 'zh-CN': '莲花银行' }),
  logo: svgDataUrl(lotusBankLogoSvg),
  colors: Object.freeze({
    primary: '#a3195b',
    onPrimary: '#ffffff',
    accent: '#c2185b',
    background: '#fff8fb',
    text: '#2b1a23',
    border: '#8c6d7c',
  }),
  radius: '12px',
  fontStack: "'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans SC', 'Noto Sans CJK SC', system-ui, sans-serif",
  support: Object.freeze({ phone: '+86 400 888 0000', email: 'care@lotus-bank.example', url: 'https://lotus-bank.example/support' }),
});
