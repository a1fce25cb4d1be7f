import { sendKeys } from '@web/test-runner-commands';
import type { CardSubmitDetail } from '../../widget/frame/card-form/paykey-card-form.ts';
import { PaykeyCardForm } from '../../widget/frame/card-form/paykey-card-form.ts';
import { deepEqual, equal, match, ok } from './support/assert.ts';
import { assertNoAxeViolations } from './support/axe.ts';
import { activeElement, assertAccessible, byLabel, byRole, cleanup, description, mountScreen, type } from './support/dom.ts';

async function form() {
  const el = await mountScreen(new PaykeyCardForm());
  assertAccessible(el);
  return el;
}

function fields(el: PaykeyCardForm) {
  return {
    number: byLabel(el, 'Card number'),
    expiry: byLabel(el, 'Expiry date'),
    cvc: byLabel(el, 'Security code'),
    name: byLabel(el, 'Name on card'),
  };
}

async function fill(el: PaykeyCardForm, v: { number: string; expiry: string; cvc: string; name: string }) {
  const f = fields(el);
  type(f.number, v.number);
  type(f.expiry, v.expiry);
  type(f.cvc, v.cvc);
  type(f.name, v.name);
  await el.updateComplete;
}

/** Presses "Use this card" and returns the submitted detail, or null when validation stopped it. */
async function save(el: PaykeyCardForm): Promise<CardSubmitDetail | null> {
  let detail: CardSubmitDetail | null = null;
  const listener = (e: CustomEvent<CardSubmitDetail>) => (detail = e.detail);
  el.addEventListener('paykey-card-submit', listener);
  byRole(el, 'button', 'Use this card').click();
  await el.updateComplete;
  await new Promise((r) => setTimeout(r));
  el.removeEventListener('paykey-card-submit', listener);
  return detail;
}

const valid = { number: '4242 4242 4242 4242', expiry: '12/34', cvc: '123', name: 'Ada Lovelace' };

function assertInvalid(input: HTMLInputElement, pattern: RegExp) {
  equal(input.getAttribute('aria-invalid'), 'true', `${input.id} aria-invalid`);
  match(description(input), pattern, `${input.id} error text via aria-describedby`);
}

function assertValid(input: HTMLInputElement) {
  equal(input.getAttribute('aria-invalid'), 'false', `${input.id} aria-invalid`);
}

describe('paykey-card-form', () => {
  afterEach(cleanup);

  it('labels every field and marks it up for autofill and numeric keyboards', async () => {
    const el = await form();
    const f = fields(el);
    equal(f.number.autocomplete, 'cc-number');
    equal(f.number.inputMode, 'numeric');
    equal(f.expiry.autocomplete, 'cc-exp');
    equal(f.expiry.inputMode, 'numeric');
    match(description(f.expiry), /MM\/YY/, 'expiry format hint');
    equal(f.cvc.autocomplete, 'cc-csc');
    equal(f.name.autocomplete, 'cc-name');
    for (const input of Object.values(f)) assertValid(input);
  });

  it('groups the card number as it is typed', async () => {
    const el = await form();
    const { number, expiry } = fields(el);
    number.focus();
    await sendKeys({ type: '4242424242424242' });
    equal(number.value, '4242 4242 4242 4242');
    number.value = '';
    await sendKeys({ type: '378282246310005' });
    equal(number.value, '3782 822463 10005', 'amex 4-6-5');
    expiry.focus();
    await sendKeys({ type: '1230' });
    equal(expiry.value, '12/30');
  });

  it('flags every empty field, ties the errors with aria-describedby and focuses the first', async () => {
    const el = await form();
    equal(await save(el), null, 'no submit event');
    const f = fields(el);
    assertInvalid(f.number, /valid card number/);
    assertInvalid(f.expiry, /MM\/YY/);
    assertInvalid(f.cvc, /3-digit security code/);
    assertInvalid(f.name, /name on the card/);
    equal(activeElement(el), f.number, 'focus on the first invalid field');
    assertAccessible(el);
  });

  it('rejects a number that fails the Luhn check', async () => {
    const el = await form();
    await fill(el, { ...valid, number: '4242 4242 4242 4241' });
    equal(await save(el), null);
    const f = fields(el);
    assertInvalid(f.number, /^Enter a valid card number\.$/);
    assertValid(f.expiry);
    assertValid(f.cvc);
    assertValid(f.name);
    equal(activeElement(el), f.number);
  });

  it('rejects an expiry in the past and an impossible month', async () => {
    const el = await form();
    await fill(el, { ...valid, expiry: '01/20' });
    equal(await save(el), null);
    const f = fields(el);
    assertValid(f.number);
    assertInvalid(f.expiry, /expired/);
    equal(activeElement(el), f.expiry, 'focus moves to the expiry');

    type(f.expiry, '13/30');
    equal(await save(el), null);
    assertInvalid(f.expiry, /MM\/YY/);
  });

  it('accepts the current month as not yet expired', async () => {
    const el = await form();
    const now = new Date();
    const current = `${String(now.getMonth() + 1).padStart(2, '0')}/${String(now.getFullYear() % 100).padStart(2, '0')}`;
    await fill(el, { ...valid, expiry: current });
    ok(await save(el), 'submitted');
  });

  it('rejects a short security code, and wants 4 digits for American Express', async () => {
    const el = await form();
    await fill(el, { ...valid, cvc: '12' });
    equal(await save(el), null);
    const f = fields(el);
    assertInvalid(f.cvc, /3-digit/);
    equal(activeElement(el), f.cvc);

    type(f.number, '3782 822463 10005');
    type(f.cvc, '123');
    equal(await save(el), null);
    assertInvalid(f.cvc, /4-digit/);
    type(f.cvc, '1234');
    ok(await save(el), 'amex with 4 digits submits');
  });

  it('requires the name on the card', async () => {
    const el = await form();
    await fill(el, { ...valid, name: '   ' });
    equal(await save(el), null);
    assertInvalid(fields(el).name, /name on the card/);
  });

  it('clears an error once the field is corrected', async () => {
    const el = await form();
    await fill(el, { ...valid, number: '4242 4242 4242 4241' });
    await save(el);
    const { number } = fields(el);
    type(number, valid.number);
    await el.updateComplete;
    assertValid(number);
    equal(number.hasAttribute('aria-describedby'), false);
  });

  it('emits the parsed card for a valid entry, not to be saved unless the shopper ticks Save card', async () => {
    const el = await form();
    const saveCard = byLabel(el, 'Save card');
    equal(saveCard.type, 'checkbox');
    equal(saveCard.checked, false, 'unticked by default');
    match(description(saveCard), /this time only/, 'what unticked means, tied to the checkbox');
    await fill(el, valid);
    const detail = await save(el);
    deepEqual(detail, { number: '4242424242424242', expMonth: 12, expYear: 2034, cvc: '123', name: 'Ada Lovelace', save: false });
    for (const input of Object.values(fields(el))) assertValid(input);

    saveCard.click();
    deepEqual(await save(el), { number: '4242424242424242', expMonth: 12, expYear: 2034, cvc: '123', name: 'Ada Lovelace', save: true });
  });

  it('has no axe violations, empty or with every error shown', async () => {
    const el = await form();
    await assertNoAxeViolations(document, 'empty form');
    await save(el);
    await assertNoAxeViolations(document, 'every field flagged');
  });

  it('can be filled, ticked and submitted with the keyboard alone, in order, with a visible focus', async () => {
    const el = await form();
    let detail: CardSubmitDetail | null = null;
    el.addEventListener('paykey-card-submit', (e) => (detail = e.detail));
    const f = fields(el);
    const saveCard = byLabel(el, 'Save card');
    const submit = byRole(el, 'button', 'Use this card');
    // The wallet moves the focus to the heading; from there the shopper tabs.
    el.shadowRoot!.querySelector<HTMLElement>('h1')!.focus();
    const order: Element[] = [f.number, f.expiry, f.cvc, f.name, saveCard, submit];
    const values = ['4242424242424242', '1234', '123', 'Ada Lovelace'];
    for (const [i, expected] of order.entries()) {
      await sendKeys({ press: 'Tab' });
      equal(activeElement(el), expected, `Tab ${i + 1} reaches ${(expected as HTMLElement).id || (expected as HTMLElement).localName}`);
      const style = getComputedStyle(expected);
      ok(style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2, `a visible focus ring on ${(expected as HTMLElement).id || 'the button'}: ${style.outline}`);
      if (i < values.length) await sendKeys({ type: values[i] });
      if (expected === saveCard) await sendKeys({ press: 'Space' });
    }
    equal(saveCard.checked, true, 'Space ticks Save card');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    deepEqual(detail, { number: '4242424242424242', expMonth: 12, expYear: 2034, cvc: '123', name: 'Ada Lovelace', save: true });
  });

  it('announces a server error and keeps the focus on a disabled Save while busy', async () => {
    const el = await form();
    const alert = el.shadowRoot!.querySelector('[role=alert]')!;
    ok(alert, 'the alert region is in the tree before any error');
    equal(alert.textContent!.trim(), '');
    const saveButton = byRole(el, 'button', 'Use this card');
    saveButton.focus();
    el.serverError = 'The bank declined this card number.';
    el.busy = true;
    await el.updateComplete;
    assertAccessible(el);
    equal(alert.textContent!.trim(), 'The bank declined this card number.');
    equal(saveButton.getAttribute('aria-disabled'), 'true');
    equal(activeElement(el), saveButton, 'aria-disabled, not disabled: the focus is not dropped to the body');
    await fill(el, valid);
    equal(await save(el), null, 'no submit while busy');
  });

  it('announces how many fields need attention, even when the focus does not move', async () => {
    const el = await form();
    const alert = el.shadowRoot!.querySelector('[role=alert]')!;
    const f = fields(el);
    await fill(el, { ...valid, number: '4242 4242 4242 4241', cvc: '1' });
    f.number.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    equal(alert.textContent!.trim(), '2 fields need your attention.');
    equal(activeElement(el), f.number, 'the first invalid field keeps the focus');
    assertAccessible(el);

    type(f.number, valid.number);
    await el.updateComplete;
    equal(alert.textContent!.trim(), '1 field needs your attention.', 'the count follows the corrections');
    type(f.cvc, '123');
    await el.updateComplete;
    equal(alert.textContent!.trim(), '');
  });
});
