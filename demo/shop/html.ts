import { minorUnitDigits } from '../../server/payments/money.ts';

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Formats minor units for display on the shop page (server side, no floats), with ISO 4217's digits as Paykey charges them. */
export function formatPrice(amount: number, currency: string, locale = 'en'): string {
  const digits = minorUnitDigits(currency) ?? 2;
  const sign = amount < 0 ? '-' : '';
  const units = String(Math.abs(amount)).padStart(digits + 1, '0');
  const decimal = digits === 0 ? units : `${units.slice(0, -digits)}.${units.slice(-digits)}`;
  // Intl formats decimal strings exactly (no binary floating point involved).
  return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
    `${sign}${decimal}` as unknown as number,
  );
}

export function page(title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/shop.css">
${head}
</head>
<body>
<header class="bar"><a href="/" class="logo">Demo Shop</a><span class="tag">a Paykey demo merchant</span></header>
<main>${body}</main>
</body>
</html>`;
}
