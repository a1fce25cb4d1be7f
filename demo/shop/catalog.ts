/** The demo shop's products. Prices are integers in minor units, as everywhere in Paykey. */
export interface Product {
  sku: string;
  name: string;
  blurb: string;
  amount: number;
  currency: string;
}

export const catalog: readonly Product[] = [
  { sku: 'tee', name: 'Paykey Tee', blurb: 'Organic cotton, passkey-green print.', amount: 1999, currency: 'USD' },
  { sku: 'matcha', name: 'Matcha Set', blurb: 'Ceremonial grade, from Uji.', amount: 3200, currency: 'JPY' },
  // In pounds, so the checkout also offers pay by bank (Meridian Bank carries GBP).
  { sku: 'mug', name: 'Paykey Mug', blurb: 'Bone china, fired in Stoke-on-Trent.', amount: 1250, currency: 'GBP' },
  // In yuan: a Lotus Bank (CNY) card pays it without conversion; a sandbox card is charged in CNY.
  { sku: 'tea', name: 'Longjing Tea 龙井茶', blurb: 'West Lake Dragon Well, spring harvest. 西湖龙井，明前春茶。', amount: 6800, currency: 'CNY' },
];

/** The checkout languages the shop offers; without one, the wallet follows the shopper's browser. */
export const shopLocales = { en: 'English', 'zh-CN': '中文' } as const;
export type ShopLocale = keyof typeof shopLocales;

export function shopLocale(value: unknown): ShopLocale | null {
  return typeof value === 'string' && Object.hasOwn(shopLocales, value) ? (value as ShopLocale) : null;
}

export function findProduct(sku: string): Product | undefined {
  return catalog.find((p) => p.sku === sku);
}
