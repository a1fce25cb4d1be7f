import type { CheckoutView, SavedCard } from '../../server/routes/shopper-api-types.ts';
import { PaykeyConfirm } from '../../widget/frame/confirm/paykey-confirm.ts';
import { PaykeyResult } from '../../widget/frame/result/paykey-result.ts';
import { PaykeySignIn } from '../../widget/frame/sign-in/paykey-sign-in.ts';
import { bankThemeSheet } from '../../widget/frame/theme/bank-theme.ts';
import { deepEqual, equal, ok } from './support/assert.ts';
import { assertAccessible, byLabel, byRole, cleanup, mount } from './support/dom.ts';

const checkout: CheckoutView = {
  paymentIntentId: 'pi_1',
  amount: 1999,
  currency: 'USD',
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

const card = (id: string, brand: string, last4: string, expMonth = 12, expYear = 2030): SavedCard => ({
  id, bank: 'sandbox', bankName: 'Sandbox Bank', bankToken: `tok_${id}`, brand, last4, expMonth, expYear,
});

describe('paykey-confirm', () => {
  afterEach(cleanup);

  it('offers saved cards as a labelled radio group and one Pay button with the amount', async () => {
    const el = new PaykeyConfirm();
    Object.assign(el, { checkout, locale: 'en', cards: [card('c1', 'visa', '4242'), card('c2', 'mastercard', '4444', 3, 2031)], selectedId: 'c1' });
    await mount(el);
    assertAccessible(el);
    const group = byRole<HTMLElement>(el, 'radiogroup', 'Pay with');
    equal(group.querySelectorAll('input[type=radio]').length, 2);
    const visa = byRole<HTMLInputElement>(el, 'radio', 'Visa ending in 4242, expires 12/30');
    const mc = byRole<HTMLInputElement>(el, 'radio', 'Mastercard ending in 4444, expires 03/31');
    equal(visa.checked, true);
    equal(mc.checked, false);
    const pay = byRole(el, 'button', /^Pay/);
    equal(pay.textContent!.trim(), 'Pay $19.99');
    ok(el.shadowRoot!.textContent!.includes('Demo Shop'), 'payee shown');
    ok(el.shadowRoot!.textContent!.includes('Sandbox Bank'), 'bank shown');

    const seen: string[] = [];
    el.addEventListener('paykey-select-card', (e) => seen.push(`select:${e.detail.id}`));
    el.addEventListener('paykey-pay', () => seen.push('pay'));
    el.addEventListener('paykey-add-card', () => seen.push('add'));
    mc.click();
    pay.click();
    byRole(el, 'button', 'Add card').click();
    deepEqual(seen, ['select:c2', 'pay', 'add']);
  });

  it('shows cached cards before the checkout arrives, with Pay disabled until the amount is known', async () => {
    const el = new PaykeyConfirm();
    Object.assign(el, { cards: [card('c1', 'visa', '4242')], selectedId: 'c1' });
    await mount(el);
    assertAccessible(el);
    byRole(el, 'radio', /Visa ending in 4242/);
    equal(byRole(el, 'button', /^Pay/).disabled, true);
    el.checkout = { ...checkout, amount: 3200, currency: 'JPY' };
    await el.updateComplete;
    const pay = byRole(el, 'button', /^Pay/);
    equal(pay.disabled, false);
    equal(pay.textContent!.trim(), 'Pay ¥3,200');
  });
});

describe('paykey-sign-in', () => {
  afterEach(cleanup);

  it('offers passkey sign-in, and opens the registration form on demand', async () => {
    const el = await mount(new PaykeySignIn());
    assertAccessible(el);
    const events: string[] = [];
    el.addEventListener('paykey-sign-in', () => events.push('sign-in'));
    el.addEventListener('paykey-register', (e) => events.push(`register:${e.detail.email}`));
    byRole(el, 'button', 'Continue with passkey').click();

    const create = byRole(el, 'button', 'Create a passkey');
    equal(create.getAttribute('aria-expanded'), 'false');
    create.click();
    for (let i = 0; i < 50 && !el.shadowRoot!.querySelector('paykey-register')?.shadowRoot?.querySelector('input'); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await el.updateComplete;
    equal(create.getAttribute('aria-expanded'), 'true');
    assertAccessible(el);
    const email = byLabel(el, 'Email');
    equal(email.type, 'email');

    byRole(el, 'button', 'Create passkey').click();
    await new Promise((r) => setTimeout(r));
    equal(email.getAttribute('aria-invalid'), 'true', 'empty email rejected');

    email.value = 'ada@example.com';
    byRole(el, 'button', 'Create passkey').click();
    deepEqual(events, ['sign-in', 'register:ada@example.com']);
  });
});

describe('paykey-result', () => {
  afterEach(cleanup);

  it('says Payment complete, or the reason with Try another card', async () => {
    const done = await mount(Object.assign(new PaykeyResult(), { ok: true, heading: 'Payment complete', body: '$19.99 paid to Demo Shop.' }));
    assertAccessible(done);
    ok(done.shadowRoot!.textContent!.includes('Payment complete'));
    equal(done.shadowRoot!.querySelector('button'), null);

    const declined = await mount(Object.assign(new PaykeyResult(), { ok: false, heading: 'Payment not completed', body: 'Your card was declined.', retry: true }));
    assertAccessible(declined);
    let retried = false;
    declined.addEventListener('paykey-retry', () => (retried = true));
    byRole(declined, 'button', 'Try another card').click();
    ok(retried);
  });
});

describe('bankThemeSheet', () => {
  it('sets brand colours as custom properties and drops values that are not colours', () => {
    const sheet = bankThemeSheet({ ...checkout.bank, colors: { primary: '#0b5d3b', onPrimary: 'red;}*{display:none', accent: 'rgb(1 2 3)' } });
    const style = (sheet.cssRules[0] as CSSStyleRule).style;
    equal(style.getPropertyValue('--pk-primary'), '#0b5d3b');
    equal(style.getPropertyValue('--pk-on-primary'), '');
    equal(style.getPropertyValue('--pk-accent'), 'rgb(1 2 3)');
    equal(sheet.cssRules.length, 1);
  });
});
