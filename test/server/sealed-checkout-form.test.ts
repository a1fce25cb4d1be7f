import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromSealedCheckoutForm, toSealedCheckoutForm } from '../../widget/frame/boot/sealed-checkout-form.ts';
import type { CheckoutAnswer } from '../../widget/shopper-api.ts';

/** The short form the frame page seals (`toSealedCheckoutForm`) is made whole by the frame (`fromSealedCheckoutForm`), field for field. */
describe('the sealed checkout form', () => {
  const plain: CheckoutAnswer = {
    paymentIntentId: 'pi_form1',
    amount: 500,
    currency: 'KWD',
    currencyDigits: 3,
    description: null,
    payee: 'Demo Shop',
    status: 'requires_confirmation',
    lastError: null,
    payByBank: null,
  };
  const full: CheckoutAnswer = {
    ...plain,
    description: 'Order 42 — 两件',
    status: 'failed',
    lastError: { code: 'card_declined', message: 'Your card was declined.' },
    payByBank: {
      id: 'meridian',
      name: { en: 'Meridian Bank', 'zh-CN': '子午银行' },
      logo: 'data:image/svg+xml,<svg/>',
      colors: { primary: '#123456', onPrimary: '#ffffff', accent: '#654321', background: '#ffffff', text: '#111111', border: '#cccccc' },
      radius: '8px',
      fontStack: 'system-ui',
      support: { email: 'help@meridian.example' },
    },
  };

  test('leaves out the intent id (the frame has it from its URL) and the null fields', () => {
    assert.deepEqual(toSealedCheckoutForm(plain), { amount: 500, currency: 'KWD', currencyDigits: 3, payee: 'Demo Shop', status: 'requires_confirmation' });
    assert.equal('paymentIntentId' in toSealedCheckoutForm(full), false);
  });

  test('is made whole again: null fields as null, set ones as they were', () => {
    for (const answer of [plain, full]) {
      const sealed = JSON.parse(JSON.stringify(toSealedCheckoutForm(answer)));
      assert.deepEqual(fromSealedCheckoutForm(answer.paymentIntentId, sealed), answer);
    }
  });
});
