/**
 * How the sandbox bank looks to shoppers: name, logo (a `data:` URL so the wallet
 * frame can show it under its `img-src 'self' data:` CSP) and colours.
 */
export const sandboxBankLogoSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Sandbox Bank">
<rect width="64" height="64" rx="14" fill="#0f4c81"/>
<path d="M32 12 12 22v4h40v-4L32 12z" fill="#ffffff"/>
<path d="M17 29h6v17h-6zM29 29h6v17h-6zM41 29h6v17h-6z" fill="#ffffff"/>
<rect x="12" y="48" width="40" height="5" rx="1" fill="#f2a900"/>
</svg>`;

export const sandboxBankBrand = {
  name: 'Sandbox Bank',
  logo: `data:image/svg+xml;base64,${Buffer.from(sandboxBankLogoSvg, 'utf8').toString('base64')}`,
  colors: { primary: '#0f4c81', onPrimary: '#ffffff', accent: '#f2a900' },
} as const;
