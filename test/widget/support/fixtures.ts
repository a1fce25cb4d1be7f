/**
 * The one set of wire fixtures the widget tests share: a checkout as `/api/frame/checkout` answers it, the operator's
 * and both card banks' brands as `/api/frame/brands` answers them, the two together as the frame's screens read them,
 * saved cards of both banks, and the payment terms `/api/frame/quotes` answers for them.
 */
import type { BankBrandView, BrandsView, CheckoutAnswer, CheckoutView, PaymentTerms, SavedCard } from '../../../widget/shopper-api.ts';

/** The client secret of `checkoutView`'s intent (the frame checks that its path names the same intent). */
export const CLIENT_SECRET = 'pi_test1_secret_abc';

const svg = (fill: string) => `data:image/svg+xml;base64,${btoa(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8" fill="${fill}"/></svg>`)}`;

/** The wallet operator's brand (Paykey's defaults). */
export const operatorBrand: BankBrandView = {
  id: 'operator',
  name: { en: 'Paykey', 'zh-CN': 'Paykey' },
  logo: svg('#1f3fbf'),
  colors: { primary: '#1f3fbf', onPrimary: '#ffffff', accent: '#b35c00', background: '#ffffff', text: '#1a1d24', border: '#596070' },
  radius: '8px',
  fontStack: "system-ui, -apple-system, 'Segoe UI', Roboto, 'PingFang SC', 'Microsoft YaHei', sans-serif",
  support: { url: 'https://paykey.example/help' },
};

export const sandboxBrand: BankBrandView = {
  id: 'sandbox',
  name: { en: 'Sandbox Bank', 'zh-CN': '沙盒银行' },
  logo: svg('#0b5d3b'),
  colors: { primary: '#0b5d3b', onPrimary: '#ffffff', accent: '#0b5d3b', background: '#ffffff', text: '#14241c', border: '#5b6f64' },
  radius: '6px',
  fontStack: 'system-ui, sans-serif',
  support: { email: 'help@sandbox-bank.example' },
};

export const lotusBrand: BankBrandView = {
  id: 'lotus',
  name: { en: 'Lotus Bank', 'zh-CN': '莲花银行' },
  logo: svg('#9c1451'),
  colors: { primary: '#9c1451', onPrimary: '#ffffff', accent: '#9c1451', background: '#fffafc', text: '#2b1320', border: '#8a5a70' },
  radius: '12px',
  fontStack: "'Noto Sans SC', 'PingFang SC', system-ui, sans-serif",
  support: { phone: '+86 400 000 0000' },
};

export const checkoutAnswer: CheckoutAnswer = {
  paymentIntentId: 'pi_test1',
  amount: 1999,
  currency: 'USD',
  currencyDigits: 2,
  description: 'Paykey Tee',
  payee: 'Demo Shop',
  status: 'requires_confirmation',
  lastError: null,
};

export const brandsView: BrandsView = { operator: operatorBrand, banks: [sandboxBrand, lotusBrand] };

/** The checkout as the frame's screens have it once both answers arrived. */
export const checkoutView: CheckoutView = { ...checkoutAnswer, ...brandsView };

/** A sandbox bank card (charged in the payment's currency). */
export const savedCard = (id: string, brand: string, last4: string, expMonth = 12, expYear = 2030): SavedCard => ({
  id, bank: 'sandbox', bankName: sandboxBrand.name, bankToken: `tok_${id}`, brand, last4, expMonth, expYear, currency: null,
});

/** A Lotus Bank card, held in CNY. */
export const lotusCard = (id: string, last4 = '4444', expMonth = 12, expYear = 2030): SavedCard => ({
  id, bank: 'lotus', bankName: lotusBrand.name, bankToken: `tok_${id}`, brand: 'mastercard', last4, expMonth, expYear, currency: 'CNY',
});

export const visa4242 = savedCard('card_1', 'visa', '4242', 12, 2034);

/** The terms of paying `checkoutView` with a card charged in USD, with an optional fee. */
export const plainTerms = (cardId: string, fee = 0): PaymentTerms => ({
  quoteId: `quo_${cardId}`,
  cardId,
  amount: checkoutView.amount,
  currency: checkoutView.currency,
  fee,
  fx: null,
  debit: { amount: checkoutView.amount + fee, currency: 'USD', currencyDigits: 2 },
  expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
  offer: null,
});

/**
 * The terms of paying `checkoutView` ($19.99) with a Lotus Bank CNY card: a 1.5 % cross-currency fee ($0.30), then
 * $20.29 at 1 USD = 7.1234 CNY → ¥144.53 debited.
 */
export const fxTerms = (cardId: string): PaymentTerms => ({
  quoteId: `quo_${cardId}`,
  cardId,
  amount: checkoutView.amount,
  currency: checkoutView.currency,
  fee: 30,
  fx: { rate: '7.1234', source: 'Lotus Bank treasury' },
  debit: { amount: 14453, currency: 'CNY', currencyDigits: 2 },
  expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
  offer: null,
});
