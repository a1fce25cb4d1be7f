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
  // Over ¥200: Lotus Bank's card gets its "¥20 off" offer here (the confirm screen shows Pay ¥230.00).
  { sku: 'tea-gift', name: 'Longjing Tea Gift Box 龙井礼盒', blurb: 'Four tins of Dragon Well in a lacquered box. 四罐明前龙井，漆盒礼装。', amount: 25000, currency: 'CNY' },
  // Over ¥1,000: Lotus Bank also offers 3 interest-free instalments (never pre-selected; "Pay in full" stays the choice).
  { sku: 'tea-set', name: 'Yixing Tea Set 宜兴茶具', blurb: 'Zisha clay teapot and six cups, hand thrown. 紫砂壶一把，品茗杯六只。', amount: 128000, currency: 'CNY' },
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
