import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { BankBrandView } from '../../widget/shopper-api.ts';
import { PaykeyConfirm } from '../../widget/frame/confirm/paykey-confirm.ts';
import '../../widget/frame/offers/paykey-offers.ts';
import { loadMessages } from '../../widget/frame/i18n/messages.ts';
import { PaykeyResult } from '../../widget/frame/result/paykey-result.ts';
import { PaykeySignIn } from '../../widget/frame/sign-in/paykey-sign-in.ts';
import { applyBrand } from '../../widget/frame/theme/bank-theme.ts';
import { contrastRatio } from '../../widget/frame/theme/contrast-ratio.ts';
import { deepEqual, equal, match, ok } from './support/assert.ts';
import { assertNoAxeViolations } from './support/axe.ts';
import { until } from './support/fake-wallet-backend.ts';
import { activeElement, assertAccessible, byLabel, byRole, cleanup, description, horizontalOverflow, mount, mountScreen, pressable, smallTargets } from './support/dom.ts';
import { cardOffers, offersResponse } from './support/offer-fixtures.ts';
import { checkoutView as checkout, fxTerms, lotusBrand, lotusCard, operatorBrand, plainTerms, sandboxBrand, savedCard as card } from './support/fixtures.ts';

/** The summary as the shopper reads it: each `dt` with its `dd`. */
function summary(el: PaykeyConfirm): Record<string, string> {
  const out: Record<string, string> = {};
  for (const dt of el.shadowRoot!.querySelectorAll('dt')) out[dt.textContent!.trim()] = (dt.nextElementSibling as HTMLElement).innerText.trim();
  return out;
}

const status = (el: PaykeyConfirm) => el.shadowRoot!.querySelector('[role=status]')!.textContent!.trim();
/** Where Pay and Add card are (their tops, px): where a person aiming at them presses. */
const buttonTops = (el: PaykeyConfirm) => ['Pay', 'Add card'].map((name) => `${name} ${Math.round(byRole(el, 'button', new RegExp(`^${name}`)).getBoundingClientRect().top)}`);
const payButton = (el: PaykeyConfirm) => byRole(el, 'button', /^(Pay|支付)/);

describe('paykey-confirm', () => {
  afterEach(cleanup);

  it('offers saved cards as a labelled radio group, each with its bank, and one Pay button with the amount', async () => {
    const el = new PaykeyConfirm();
    Object.assign(el, { checkout, locale: 'en', cards: [card('c1', 'visa', '4242'), card('c2', 'mastercard', '4444', 3, 2031)], selectedId: 'c1', terms: plainTerms('c1') });
    await mount(el);
    assertAccessible(el);
    const group = byRole<HTMLElement>(el, 'radiogroup', 'Pay with');
    equal(group.querySelectorAll('input[type=radio]').length, 2);
    const visa = byRole<HTMLInputElement>(el, 'radio', 'Visa ending in 4242, expires 12/30 Sandbox Bank');
    const mc = byRole<HTMLInputElement>(el, 'radio', 'Mastercard ending in 4444, expires 03/31 Sandbox Bank');
    equal(visa.checked, true);
    equal(mc.checked, false);
    const pay = byRole(el, 'button', /^Pay/);
    equal(pay.textContent!.trim(), 'Pay $19.99');
    deepEqual(summary(el), { 'Pay to': 'Demo Shop', Amount: '$19.99' }, 'no fee, no rate, no separate debit');
    equal(el.shadowRoot!.querySelector('.bank')!.textContent!.trim(), 'Sandbox Bank', 'the chosen card’s bank');

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

  it('shows cached cards before the checkout arrives, with Pay disabled until the amount and the terms are known', async () => {
    const el = new PaykeyConfirm();
    Object.assign(el, { cards: [card('c1', 'visa', '4242')], selectedId: 'c1' });
    await mount(el);
    assertAccessible(el);
    byRole(el, 'radio', /Visa ending in 4242/);
    equal(byRole(el, 'button', /^Pay/).getAttribute('aria-disabled'), 'true');
    el.checkout = { ...checkout, amount: 3200, currency: 'JPY', currencyDigits: 0 };
    await el.updateComplete;
    equal(byRole(el, 'button', /^Pay/).getAttribute('aria-disabled'), 'true', 'no terms yet');
    equal(byRole(el, 'button', /^Pay/).textContent!.trim(), 'Pay');
    equal(status(el), 'Getting the price…');
    el.terms = { ...plainTerms('c1'), amount: 3200, currency: 'JPY', debit: { amount: 3200, currency: 'JPY', currencyDigits: 0 } };
    await el.updateComplete;
    const pay = await pressable(el, /^Pay/);
    equal(pay.textContent!.trim(), 'Pay ¥3,200');
    equal(status(el), '');
  });

  it('keeps Pay and Add card where they are when the price comes and "Getting the price…" goes', async () => {
    const el = await mount(Object.assign(new PaykeyConfirm(), { checkout, cards: [card('c1', 'visa', '4242'), card('c2', 'visa', '1881')], selectedId: 'c1' }));
    equal(status(el), 'Getting the price…');
    const waiting = buttonTops(el);
    el.terms = plainTerms('c1');
    await el.updateComplete;
    equal(status(el), '');
    // A person aiming at Add card (or Pay) as the price arrives: the button must still be under the pointer.
    deepEqual(buttonTops(el), waiting, 'the buttons under the status line did not move when it emptied');
    // Another card: its price is asked for, and the line says so in the same place.
    el.selectedId = 'c2';
    await el.updateComplete;
    equal(status(el), 'Getting the price…');
    deepEqual(buttonTops(el), waiting, 'nor when it says so again');
  });

  for (const largerText of [false, true]) {
    it(`keeps Pay and Add card where they are when the offers answer with none for this payment${largerText ? ' (larger text)' : ''}`, async () => {
      const el = await mountScreen(Object.assign(new PaykeyConfirm(), { checkout, cards: [card('c1', 'visa', '4242')], selectedId: 'c1', terms: plainTerms('c1') }), { largerText });
      const before = buttonTops(el);
      // The banks' answer: no offer on this card, so only the "Offer settings" link shows (above Pay).
      el.offers = offersResponse([cardOffers('c1', checkout.amount, [])]);
      await el.updateComplete;
      const offers = el.shadowRoot!.querySelector('paykey-offers')!;
      await offers.updateComplete;
      byRole(offers, 'button', 'Offer settings');
      deepEqual(buttonTops(el), before, 'Pay and Add card stayed under the pointer');
    });
  }

  it('keeps the keyboard focus on Pay while its terms are asked again, and refuses a press until they are in', async () => {
    const el = await mount(Object.assign(new PaykeyConfirm(), { checkout, cards: [card('c1', 'visa', '4242')], selectedId: 'c1', terms: plainTerms('c1') }));
    const pay = await pressable(el, /^Pay/);
    pay.focus();
    const pressed: string[] = [];
    el.addEventListener('paykey-pay', () => pressed.push('pay'));
    // New terms on their way (an offer applied, a quote expired): Pay waits for them, as a shopper tabbing to it sees.
    Object.assign(el, { terms: undefined });
    await el.updateComplete;
    equal(pay.getAttribute('aria-disabled'), 'true', 'not payable without terms');
    equal(activeElement(el), pay, 'the focus stays on Pay (a disabled button would drop it to the page)');
    pay.click();
    deepEqual(pressed, [], 'a press without terms is refused');
    el.terms = plainTerms('c1', 50);
    await pressable(el, /^Pay/);
    equal(activeElement(el), pay, 'still on Pay once the terms are in');
    pay.click();
    deepEqual(pressed, ['pay']);
  });

  it('shows the fee, and Pay names the amount with the fee', async () => {
    const el = await mount(Object.assign(new PaykeyConfirm(), { checkout, cards: [card('c1', 'visa', '4242')], selectedId: 'c1', terms: plainTerms('c1', 50) }));
    deepEqual(summary(el), { 'Pay to': 'Demo Shop', Amount: '$19.99', Fee: '$0.50', 'Debited from your card': '$20.49' });
    equal(payButton(el).textContent!.trim(), 'Pay $20.49');
    await assertNoAxeViolations(el, 'confirm with a fee');
  });

  it('with a card in another currency: the rate exactly as quoted, its source, and the debit in the card’s currency on Pay', async () => {
    const el = new PaykeyConfirm();
    Object.assign(el, { checkout, cards: [card('c1', 'visa', '4242'), lotusCard('c2')], selectedId: 'c2' });
    await mount(el);
    equal(status(el), 'Getting the exchange rate…', 'a CNY card paying USD waits for the rate');
    equal(payButton(el).getAttribute('aria-disabled'), 'true');
    el.terms = plainTerms('c1');
    await el.updateComplete;
    equal(payButton(el).getAttribute('aria-disabled'), 'true', 'terms for another card are not these');
    el.terms = fxTerms('c2');
    await el.updateComplete;
    deepEqual(summary(el), {
      'Pay to': 'Demo Shop',
      Amount: '$19.99',
      Fee: '$0.30',
      'Exchange rate': '1 USD = 7.1234 CNY\nRate from Lotus Bank treasury',
      'Debited from your card': 'CN¥144.53',
    });
    equal(el.shadowRoot!.querySelector('.rate span')!.textContent, '1 USD = 7.1234 CNY', 'exactly, never reformatted');
    equal(payButton(el).textContent!.trim(), 'Pay CN¥144.53', 'Pay names what leaves the shopper’s account');
    match(description(el.shadowRoot!.querySelector('h1')!), /^Pay to Demo Shop Amount \$19\.99 Fee \$0\.30 Exchange rate 1 USD = 7\.1234 CNY Rate from Lotus Bank treasury Debited from your card CN¥144\.53$/);
    byRole(el, 'radio', 'Mastercard ending in 4444, expires 12/30 Lotus Bank');
    await assertNoAxeViolations(el, 'confirm with an exchange rate');
  });

  it('in Chinese: 支付 and the debit, the rate line unchanged, the bank’s Chinese name', async () => {
    const m = await loadMessages('zh-CN');
    const el = await mountScreen(Object.assign(new PaykeyConfirm(), { messages: m, locale: 'zh-CN', checkout, cards: [lotusCard('c2')], selectedId: 'c2', terms: fxTerms('c2') }), { lang: 'zh-CN' });
    equal(payButton(el).textContent!.trim(), '支付 ¥144.53');
    equal(el.shadowRoot!.querySelector('.rate span')!.textContent, '1 USD = 7.1234 CNY');
    equal(el.shadowRoot!.querySelector('.bank')!.textContent!.trim(), '莲花银行');
    byRole(el, 'radio', /莲花银行$/);
    await assertNoAxeViolations(el, 'confirm in Chinese');
  });

  for (const locale of ['en', 'zh-CN'] as const) {
    for (const largerText of [false, true]) {
      it(`fits 320 px with the rate, fee and debit, targets ≥ 44×44 px, in rtl too (${locale}${largerText ? ', larger text' : ''})`, async () => {
        await setViewport({ width: 320, height: 640 });
        try {
          const m = await loadMessages(locale);
          for (const dir of ['ltr', 'rtl'] as const) {
            const el = await mountScreen(
              Object.assign(new PaykeyConfirm(), { messages: m, locale, checkout, cards: [card('c1', 'visa', '4242'), lotusCard('c2')], selectedId: 'c2', terms: fxTerms('c2') }),
              { lang: locale, dir, largerText },
            );
            deepEqual(horizontalOverflow(el), [], `${dir}: nothing sticks out`);
            deepEqual(smallTargets(el), [], `${dir}: buttons`);
            for (const row of el.shadowRoot!.querySelectorAll('label.card')) ok(row.getBoundingClientRect().height >= 44, `${dir}: each card row is a 44 px target`);
            if (dir === 'rtl') await assertNoAxeViolations(el, `confirm ${locale} rtl`);
            cleanup();
          }
        } finally {
          await setViewport({ width: 800, height: 600 });
        }
      });
    }
  }

  it('takes the chosen card’s bank’s brand, and the operator’s before a card is chosen', async () => {
    const host = document.createElement('div');
    host.attachShadow({ mode: 'open' });
    document.body.append(host);
    applyBrand(host.shadowRoot!, operatorBrand); // as the wallet does with checkout.operator
    const el = Object.assign(new PaykeyConfirm(), { checkout, cards: [card('c1', 'visa', '4242'), lotusCard('c2')] });
    host.shadowRoot!.append(el);
    await el.updateComplete;
    // The brand check's code loads once the screen is on show: no bank logo before it, both cards' logos after.
    await until(() => el.shadowRoot!.querySelectorAll('img').length === 2, 'the banks’ logos once their brands are checked');
    const pay = () => getComputedStyle(payButton(el));
    const border = () => getComputedStyle(el.shadowRoot!.querySelector('.card')!);
    equal(pay().backgroundColor, 'rgb(31, 63, 191)', 'no card chosen: the operator’s primary');
    el.selectedId = 'c2';
    el.terms = fxTerms('c2');
    await el.updateComplete;
    equal(pay().backgroundColor, 'rgb(156, 20, 81)', 'Lotus Bank’s primary');
    equal(getComputedStyle(el).backgroundColor, 'rgb(255, 250, 252)', 'and its background');
    equal(border().borderTopLeftRadius, '12px', 'and its radius');
    match(getComputedStyle(el).fontFamily, /^"Noto Sans SC"/);
    el.selectedId = 'c1';
    await el.updateComplete;
    equal(pay().backgroundColor, 'rgb(11, 93, 59)', 'the sandbox bank’s primary');
    equal(border().borderTopLeftRadius, '6px');
    host.remove();
  });

  it('keeps each bank logo’s place before the brand check lets it show: the bank’s name and the cards do not move when it does', async () => {
    const el = document.createElement('div');
    el.style.width = '420px'; // About the demo's frame.
    document.body.append(el);
    const confirm = Object.assign(new PaykeyConfirm(), { checkout, cards: [lotusCard('c2'), card('c1', 'visa', '4242')], selectedId: 'c2' });
    el.append(confirm);
    try {
      await confirm.updateComplete;
      const root = confirm.shadowRoot!;
      // What the shopper reads: the bank's name at the top, each card's label and bank, and the rows they sit in.
      const places = () =>
        Array.from(root.querySelectorAll('.bank span:not(.logo), .card, .card > span:not(.logo)'), (node) => {
          const { left, top, width, height } = node.getBoundingClientRect();
          return `${node.textContent!.trim()}: ${[left, top, width, height].map(Math.round).join(',')}`;
        });
      await until(() => root.querySelectorAll('img').length === 3, 'the logos (the chosen bank’s and both cards’) once their brands are checked');
      const shown = places();
      // As drawn before the brand check's code arrived (it loads once the screen is on show; a returning shopper's first
      // screen often draws first): the same screen without its `theme`.
      const theme = (confirm as unknown as { theme: unknown }).theme;
      Object.assign(confirm, { theme: undefined });
      await confirm.updateComplete;
      equal(root.querySelectorAll('img').length, 0, 'no logo before the check');
      deepEqual(places(), shown, 'everything where it will be once the logos show');
      Object.assign(confirm, { theme });
      await confirm.updateComplete;
      equal(root.querySelectorAll('img').length, 3);
    } finally {
      el.remove();
    }
  });

  it('refuses a bank brand with failing contrast: the operator’s brand shows, the bank keeps its name but not its logo', async () => {
    const pale: BankBrandView = { ...lotusBrand, colors: { ...lotusBrand.colors, primary: '#f5b700', onPrimary: '#ffffff' } };
    const host = document.createElement('div');
    host.attachShadow({ mode: 'open' });
    document.body.append(host);
    applyBrand(host.shadowRoot!, operatorBrand);
    const el = Object.assign(new PaykeyConfirm(), { checkout: { ...checkout, banks: [sandboxBrand, pale] }, cards: [lotusCard('c2')], selectedId: 'c2', terms: fxTerms('c2') });
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => void warnings.push(message);
    try {
      host.shadowRoot!.append(el);
      await el.updateComplete;
      await until(() => warnings.some((w) => w.startsWith('Paykey: brand "lotus" refused: ')), 'the frame’s refusal of the brand');
    } finally {
      console.warn = warn;
    }
    await el.updateComplete;
    equal(getComputedStyle(payButton(el)).backgroundColor, 'rgb(31, 63, 191)', 'white on yellow (1.8:1) refused: the operator’s primary');
    equal(getComputedStyle(payButton(el)).color, 'rgb(255, 255, 255)');
    equal(el.shadowRoot!.querySelector('.bank')!.textContent!.trim(), 'Lotus Bank');
    equal(el.shadowRoot!.querySelectorAll('img').length, 0, 'no logo of a refused brand');
    ok(contrastRatio('#1f3fbf', '#ffffff') >= 4.5);
    host.remove();
  });

  it('has a focusable level-one heading that reads out the payee and the amount', async () => {
    const el = await mount(Object.assign(new PaykeyConfirm(), { checkout, cards: [card('c1', 'visa', '4242')], selectedId: 'c1', terms: plainTerms('c1') }));
    assertAccessible(el);
    const heading = el.shadowRoot!.querySelector('h1')!;
    equal(heading.textContent!.trim(), 'Confirm your payment');
    equal(heading.tabIndex, -1, 'focusable by the wallet, not a Tab stop');
    match(description(heading), /^Pay to Demo Shop Amount \$19\.99$/);
  });

  it('moves between cards with the arrow keys, and pays with Enter or Space', async () => {
    const el = new PaykeyConfirm();
    Object.assign(el, { checkout, cards: [card('c1', 'visa', '4242'), card('c2', 'mastercard', '4444'), card('c3', 'amex', '0005')], selectedId: 'c1', terms: plainTerms('c1') });
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

    // The wallet follows the selection with that card's terms.
    Object.assign(el, { selectedId: 'c3', terms: plainTerms('c3') });
    await pressable(el, /^Pay/);
    await sendKeys({ press: 'Tab' });
    equal(activeElement(el), byRole(el, 'button', /^Pay/), 'one Tab stop for the group, then Pay');
    await sendKeys({ press: 'Enter' });
    await sendKeys({ press: 'Space' });
    deepEqual(seen.slice(4), ['pay', 'pay']);
  });

  it('ignores a press for a moment after new terms arrive, so no one pays on figures they did not see', async () => {
    const el = await mount(Object.assign(new PaykeyConfirm(), { checkout, cards: [card('c1', 'visa', '4242')], selectedId: 'c1', terms: plainTerms('c1') }));
    let pays = 0;
    el.addEventListener('paykey-pay', () => pays++);
    const pay = await pressable(el, /^Pay/);
    el.terms = plainTerms('c1', 75);
    await el.updateComplete;
    equal(pay.getAttribute('aria-disabled'), 'true', 'settling again');
    pay.click();
    equal(pays, 0);
    equal((await pressable(el, /^Pay/)).textContent!.trim(), 'Pay $20.74');
    pay.click();
    equal(pays, 1);
  });

  it('keeps the focus on Pay while busy and ignores further presses', async () => {
    const el = await mount(Object.assign(new PaykeyConfirm(), { checkout, cards: [card('c1', 'visa', '4242')], selectedId: 'c1', terms: plainTerms('c1') }));
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
    const heading = declined.shadowRoot!.querySelector('h1')!;
    equal(heading.tabIndex, -1, 'the wallet moves the focus here');
    equal(description(heading), 'Your card was declined.', 'the heading carries the reason');
    let retried = false;
    declined.addEventListener('paykey-retry', () => (retried = true));
    byRole(declined, 'button', 'Try another card').click();
    ok(retried);
  });
});
