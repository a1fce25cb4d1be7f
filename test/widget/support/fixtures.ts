/** The one set of wire fixtures the widget tests share: a checkout as `/api/frame/checkout` answers it, and saved cards. */
import type { CheckoutView, SavedCard } from '../../../widget/shopper-api.ts';

/** The client secret of `checkoutView`'s intent (the frame checks that its path names the same intent). */
export const CLIENT_SECRET = 'pi_test1_secret_abc';

export const checkoutView: CheckoutView = {
  paymentIntentId: 'pi_test1',
  amount: 1999,
  currency: 'USD',
  currencyDigits: 2,
  description: 'Paykey Tee',
  payee: 'Demo Shop',
  status: 'requires_confirmation',
  lastError: null,
  bank: {
    id: 'sandbox',
    name: 'Sandbox Bank',
    logo: 'data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=',
    colors: { primary: '#0b5d3b', onPrimary: '#ffffff', accent: '#f5b700' },
  },
};

export const savedCard = (id: string, brand: string, last4: string, expMonth = 12, expYear = 2030): SavedCard => ({
  id, bank: 'sandbox', bankName: 'Sandbox Bank', bankToken: `tok_${id}`, brand, last4, expMonth, expYear,
});

export const visa4242 = savedCard('card_1', 'visa', '4242', 12, 2034);
