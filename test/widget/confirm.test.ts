import { sendKeys } from '@web/test-runner-commands';
import type { CheckoutView } from '../../widget/shopper-api.ts';
import { PaykeyConfirm } from '../../widget/frame/confirm/paykey-confirm.ts';
import { PaykeyResult } from '../../widget/frame/result/paykey-result.ts';
import { PaykeySignIn } from '../../widget/frame/sign-in/paykey-sign-in.ts';
import { bankThemeSheet } from '../../widget/frame/theme/bank-theme.ts';
import { contrastRatio } from '../../widget/frame/theme/contrast-ratio.ts';
import { deepEqual, equal, match, ok } from './support/assert.ts';
import { activeElement, assertAccessible, byLabel, byRole, cleanup, description, mount, pressable } from './support/dom.ts';
import { checkoutView as checkout, savedCard as card } from './support/fixtures.ts';

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
    await pressable(el, /^Pay/);
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
    el.checkout = { ...checkout, amount: 3200, currency: 'JPY', currencyDigits: 0 };
    await el.updateComplete;
    const pay = byRole(el, 'button', /^Pay/);
    equal(pay.disabled, false);
    equal(pay.textContent!.trim(), 'Pay ¥3,200');
  });

  it('has a focusable heading that reads out the payee and the amount', async () => {
    const el = await mount(Object.assign(new PaykeyConfirm(), { checkout, cards: [card('c1', 'visa', '4242')], selectedId: 'c1' }));
    assertAccessible(el);
    const heading = el.shadowRoot!.querySelector('h2')!;
    equal(heading.textContent!.trim(), 'Confirm your payment');
    equal(heading.tabIndex, -1, 'focusable by the wallet, not a Tab stop');
    match(description(heading), /^Pay to Demo Shop Amount \$19\.99$/);
  });

  it('moves between cards with the arrow keys, and pays with Enter or Space', async () => {
    const el = new PaykeyConfirm();
    Object.assign(el, { checkout, cards: [card('c1', 'visa', '4242'), card('c2', 'mastercard', '4444'), card('c3', 'amex', '0005')], selectedId: 'c1' });
    await mount(el);
    assertAccessible(el);
    const seen: string[] = [];
    el.addEventListener('paykey-select-card', (e) => seen.push(e.detail.id));
    el.addEventListener('paykey-pay', () => seen.push('pay'));
    const visa = byRole<HTMLInputElement>(el, 'radio', /Visa/);
    visa.focus();
    await sendKeys({ press: 'ArrowDown' });
    equal(activeElement(el), byRole(el, 'radio', /Mastercard/), 'ArrowDown moves to the next card');
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    equal(activeElement(el), visa, 'and wraps round');
    await sendKeys({ press: 'ArrowUp' });
    equal(byRole<HTMLInputElement>(el, 'radio', /American Express/).checked, true, 'ArrowUp selects the previous card');
    deepEqual(seen, ['c2', 'c3', 'c1', 'c3']);

    await pressable(el, /^Pay/);
    await sendKeys({ press: 'Tab' });
    equal(activeElement(el), byRole(el, 'button', /^Pay/), 'one Tab stop for the group, then Pay');
    await sendKeys({ press: 'Enter' });
    await sendKeys({ press: 'Space' });
    deepEqual(seen.slice(4), ['pay', 'pay']);
  });

  it('keeps the focus on Pay while busy and ignores further presses', async () => {
    const el = await mount(Object.assign(new PaykeyConfirm(), { checkout, cards: [card('c1', 'visa', '4242')], selectedId: 'c1' }));
    assertAccessible(el);
    let pays = 0;
    let adds = 0;
    el.addEventListener('paykey-pay', () => pays++);
    el.addEventListener('paykey-add-card', () => adds++);
    const pay = await pressable(el, /^Pay/);
    pay.focus();
    await sendKeys({ press: 'Enter' });
    el.busy = true;
    await el.updateComplete;
    equal(pay.getAttribute('aria-disabled'), 'true');
    equal(activeElement(el), pay, 'a disabled attribute would have dropped the focus to the body');
    await sendKeys({ press: 'Enter' });
    pay.click();
    byRole(el, 'button', 'Add card').click();
    equal(pays, 1, 'no double submit');
    equal(adds, 0);
    equal(byRole<HTMLInputElement>(el, 'radio', /Visa/).disabled, true, 'the card cannot change under a running payment');
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

describe('paykey-sign-in while busy', () => {
  afterEach(cleanup);

  it('keeps the focus on the pressed button and ignores presses', async () => {
    const el = await mount(new PaykeySignIn());
    assertAccessible(el);
    let signIns = 0;
    el.addEventListener('paykey-sign-in', () => signIns++);
    const button = byRole(el, 'button', 'Continue with passkey');
    button.focus();
    el.busy = true;
    await el.updateComplete;
    equal(button.getAttribute('aria-disabled'), 'true');
    equal(byRole(el, 'button', 'Create a passkey').getAttribute('aria-disabled'), 'true');
    equal(activeElement(el), button);
    await sendKeys({ press: 'Enter' });
    byRole(el, 'button', 'Create a passkey').click();
    await new Promise((r) => setTimeout(r, 50));
    equal(signIns, 0);
    equal(byRole(el, 'button', 'Create a passkey').getAttribute('aria-expanded'), 'false');
  });

  it('announces an invalid email in an alert region, with the focus on the field', async () => {
    const el = await mount(new PaykeySignIn());
    assertAccessible(el);
    byRole(el, 'button', 'Create a passkey').focus();
    await sendKeys({ press: 'Enter' });
    const email = await waitForEmail(el);
    equal(activeElement(el), email, 'opening the form focuses the email');
    const register = el.shadowRoot!.querySelector('paykey-register')!;
    const alert = register.shadowRoot!.querySelector('[role=alert]')!;
    equal(alert.textContent!.trim(), '', 'the alert region exists before the error');
    await sendKeys({ type: 'ada@' });
    await sendKeys({ press: 'Enter' });
    await register.updateComplete;
    equal(alert.textContent!.trim(), 'Enter a valid email address.');
    equal(description(email), 'Enter a valid email address.');
    equal(activeElement(el), email);
    assertAccessible(el);
  });
});

async function waitForEmail(el: PaykeySignIn): Promise<HTMLInputElement> {
  for (let i = 0; i < 100; i++) {
    const input = el.shadowRoot!.querySelector('paykey-register')?.shadowRoot?.querySelector('input');
    if (input && activeElement(el) === input) return input;
    await new Promise((r) => setTimeout(r, 20));
  }
  return byLabel<HTMLInputElement>(el, 'Email');
}

describe('paykey-result', () => {
  afterEach(cleanup);

  it('says Payment complete, or the reason with Try another card', async () => {
    const done = await mount(Object.assign(new PaykeyResult(), { ok: true, heading: 'Payment complete', body: '$19.99 paid to Demo Shop.' }));
    assertAccessible(done);
    ok(done.shadowRoot!.textContent!.includes('Payment complete'));
    equal(done.shadowRoot!.querySelector('button'), null);

    const declined = await mount(Object.assign(new PaykeyResult(), { ok: false, heading: 'Payment not completed', body: 'Your card was declined.', retry: true }));
    assertAccessible(declined);
    const heading = declined.shadowRoot!.querySelector('h2')!;
    equal(heading.tabIndex, -1, 'the wallet moves the focus here');
    equal(description(heading), 'Your card was declined.', 'the heading carries the reason');
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

  it('drops a primary / on-primary pair that would make the Pay button unreadable', () => {
    const style = (colors: Partial<CheckoutView['bank']['colors']>) =>
      (bankThemeSheet({ ...checkout.bank, colors: colors as CheckoutView['bank']['colors'] }).cssRules[0] as CSSStyleRule).style;
    const pale = style({ primary: '#f5b700', onPrimary: '#ffffff', accent: '#f5b700' });
    equal(pale.getPropertyValue('--pk-primary'), '', 'white on yellow is about 1.9:1');
    equal(pale.getPropertyValue('--pk-on-primary'), '');
    equal(pale.getPropertyValue('--pk-accent'), '#f5b700', 'the accent only fills the inner focus ring');
    const dark = style({ primary: '#f5b700', onPrimary: '#1a1d24', accent: '#000' });
    equal(dark.getPropertyValue('--pk-primary'), '#f5b700', 'dark on yellow passes');
    equal(style({ primary: 'rgb(15 76 129 / 50%)', onPrimary: '#fff', accent: '#000' }).getPropertyValue('--pk-primary'), '', 'translucent');
  });
});

describe('contrastRatio', () => {
  it('computes WCAG 2 ratios from any CSS colour syntax', () => {
    equal(contrastRatio('#000', 'white').toFixed(1), '21.0');
    equal(contrastRatio('#fff', '#fff'), 1);
    equal(contrastRatio('#767676', '#fff').toFixed(2), '4.54');
    equal(contrastRatio('rgb(15 76 129)', '#ffffff').toFixed(2), '8.86');
    ok(Number.isNaN(contrastRatio('not a colour', '#fff')));
  });
});
