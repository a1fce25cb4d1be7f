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
];

export function findProduct(sku: string): Product | undefined {
  return catalog.find((p) => p.sku === sku);
}
