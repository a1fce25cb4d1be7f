/**
 * The screens the shopper meets before the confirm screen and after paying — sign-in, registration, the card form,
 * the result and pending screens — in both languages, in real Chromium:
 * zero axe-core violations (WCAG 2.0/2.1/2.2 A and AA and best practices, any impact), a level-one heading, no
 * horizontal scrolling at 320 px in normal and larger text, every target at least 44×44 px, a layout that mirrors
 * under `dir="rtl"`, text that follows the browser's font size and the larger-text mode, and no motion when the
 * shopper asks for less.
 */
import { emulateMedia, sendKeys, setViewport } from '@web/test-runner-commands';
import { PaykeyCardForm } from '../../widget/frame/card-form/paykey-card-form.ts';
import { loadMessages, type Locale, type Messages } from '../../widget/frame/i18n/messages.ts';
import { formatAmount } from '../../widget/frame/money/format-amount.ts';
import { PaykeyPending } from '../../widget/frame/result/paykey-pending.ts';
import { PaykeyResult } from '../../widget/frame/result/paykey-result.ts';
import { readLargerText } from '../../widget/frame/sign-in/larger-text-preference.ts';
import { PaykeyLargerText } from '../../widget/frame/sign-in/paykey-larger-text.ts';
import { PaykeySignIn } from '../../widget/frame/sign-in/paykey-sign-in.ts';
import { AssertionError, deepEqual, equal, match, ok } from './support/assert.ts';
import { assertNoAxeViolations, axeViolations } from './support/axe.ts';
import { activeElement, byRole, cleanup, horizontalOverflow, mountScreen, smallTargets, type ScreenOptions, type UpdatingElement } from './support/dom.ts';

interface Screen {
  create(m: Messages, locale: Locale): UpdatingElement;
  /** Brings the screen into the state under test once mounted (opens a form, shows errors). */
  after?(el: UpdatingElement): Promise<void>;
}

async function until<T>(find: () => T | null | undefined, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const found = find();
    if (found) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new AssertionError(`expected ${what} within 2 s`);
}

const screens: Record<string, Screen> = {
  'sign-in': { create: (m) => Object.assign(new PaykeySignIn(), { messages: m }) },
  'registration': {
    create: (m) => Object.assign(new PaykeySignIn(), { messages: m }),
    async after(el) {
      const m = (el as PaykeySignIn).messages;
      byRole(el, 'button', m.createAPasskey).click();
      const register = await until(() => el.shadowRoot!.querySelector('paykey-register'), 'the registration form');
      await register.updateComplete;
      // The email's error shown, as after pressing Create passkey with a typo.
      byRole(el, 'button', m.createPasskey).click();
      await register.updateComplete;
    },
  },
  'card form': { create: (m) => Object.assign(new PaykeyCardForm(), { messages: m, showBack: true }) },
  'card form with every error': {
    create: (m) => Object.assign(new PaykeyCardForm(), { messages: m, showBack: true }),
    async after(el) {
      byRole(el, 'button', (el as PaykeyCardForm).messages.useThisCard).click();
      await el.updateComplete;
      await el.updateComplete;
    },
  },
  'result: paid': {
    create: (m, locale) =>
      Object.assign(new PaykeyResult(), {
        messages: m,
        ok: true,
        heading: m.paymentComplete,
        body: m.paymentCompleteBody(formatAmount(18079, 'CNY', locale, 2), 'Longjing Tea House'),
      }),
  },
  'result: declined': {
    create: (m) =>
      Object.assign(new PaykeyResult(), { messages: m, ok: false, heading: m.paymentFailed, body: 'Your card was declined.', retry: true }),
  },
  'pending': { create: (m) => Object.assign(new PaykeyPending(), { messages: m, payee: 'Longjing Tea House' }) },
  'pending: review': { create: (m) => Object.assign(new PaykeyPending(), { messages: m, payee: 'Longjing Tea House', review: true }) },
};

async function show(name: string, locale: Locale, o: ScreenOptions = {}): Promise<UpdatingElement> {
  const m = await loadMessages(locale);
  const screen = screens[name];
  const el = await mountScreen(screen.create(m, locale), { lang: locale, ...o });
  await screen.after?.(el);
  return el;
}

describe('accessibility of the sign-in, card form, result and pending screens', () => {
  afterEach(async () => {
    cleanup();
    await setViewport({ width: 800, height: 600 });
    await emulateMedia({ reducedMotion: 'no-preference' });
    document.documentElement.style.removeProperty('font-size');
    localStorage.clear();
  });

  it('the axe check fails on a violation and names the rule and the element', async () => {
    const main = document.createElement('main');
    main.innerHTML = '<h1>Test</h1><button id="nameless"></button>';
    document.body.append(main);
    try {
      const violations = await axeViolations(main);
      deepEqual(violations.map((v) => v.id), ['button-name']);
      let error: unknown;
      await assertNoAxeViolations(main, 'a nameless button').catch((e) => (error = e));
      match(String(error), /button-name \(critical\) at #nameless: Buttons must have discernible text/);
    } finally {
      main.remove();
    }
  });

  for (const locale of ['en', 'zh-CN'] as const) {
    for (const name of Object.keys(screens)) {
      it(`${name} (${locale}): no axe violations, one level-one heading`, async () => {
        const el = await show(name, locale);
        const headings = el.shadowRoot!.querySelectorAll('h1');
        equal(headings.length, 1, 'one h1');
        ok(headings[0].textContent!.trim(), 'the h1 has text');
        await assertNoAxeViolations(document, `${name}, ${locale}`);
      });
    }
  }

  for (const largerText of [false, true]) {
    for (const locale of ['en', 'zh-CN'] as const) {
      it(`every screen fits 320 px without horizontal scrolling, targets ≥ 44×44 px (${locale}${largerText ? ', larger text' : ''})`, async () => {
        await setViewport({ width: 320, height: 640 });
        for (const name of Object.keys(screens)) {
          const el = await show(name, locale, { largerText });
          deepEqual(horizontalOverflow(el), [], `${name}: nothing sticks out`);
          deepEqual(smallTargets(el), [], `${name}: targets`);
          cleanup();
        }
      });
    }
  }

  it('mirrors under dir="rtl": no overflow, the accents on the inline-start side, still no axe violation', async () => {
    await setViewport({ width: 320, height: 640 });
    const signIn = await show('sign-in', 'en', { dir: 'rtl' });
    const li = signIn.shadowRoot!.querySelector('.education li')!;
    equal(getComputedStyle(li).borderRightWidth, '3px', 'the rule sits on the right in rtl');
    equal(getComputedStyle(li).borderLeftWidth, '0px');
    deepEqual(horizontalOverflow(signIn), []);
    await assertNoAxeViolations(document, 'sign-in rtl');
    cleanup();

    const pending = await show('pending', 'zh-CN', { dir: 'rtl' });
    equal(getComputedStyle(pending).borderRightWidth, '4px');
    ok(parseFloat(getComputedStyle(pending).paddingRight) > 0, 'padding on the inline-start side');
    equal(getComputedStyle(pending).paddingLeft, '0px');
    cleanup();

    const form = await show('card form with every error', 'en', { dir: 'rtl' });
    deepEqual(horizontalOverflow(form), []);
    const label = form.shadowRoot!.querySelector('label[for=number]')!.getBoundingClientRect();
    const input = form.shadowRoot!.querySelector('#number')!.getBoundingClientRect();
    ok(Math.abs(label.right - input.right) < 1, `labels start at the right edge of their field (${label.right} vs ${input.right})`);
    await assertNoAxeViolations(document, 'card form rtl');
  });

  it('text follows the browser\'s font size, and larger text adds 30 % on top', async () => {
    const size = (el: UpdatingElement, selector: string) => parseFloat(getComputedStyle(el.shadowRoot!.querySelector(selector)!).fontSize);
    let el = await show('card form', 'en');
    equal(size(el, 'h1'), 16 * 1.3, 'h1 at the default 16 px');
    equal(size(el, 'label'), 16);
    cleanup();

    document.documentElement.style.fontSize = '20px'; // the shopper's browser setting
    el = await show('card form', 'en');
    equal(size(el, 'h1'), 20 * 1.3);
    equal(size(el, 'label'), 20);
    equal(size(el, 'input'), 20);
    cleanup();

    el = await show('card form', 'en', { largerText: true });
    equal(size(el, 'label'), 20 * 1.3);
    equal(size(el, 'button'), 20 * 1.3);
    ok(el.shadowRoot!.querySelector('input')!.getBoundingClientRect().height >= 44);
  });

  it('larger text inherits from the wallet\'s host into the screens inside it', async () => {
    const host = document.createElement('div');
    const root = host.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    // As shared-styles does on paykey-wallet's :host([larger-text]).
    sheet.replaceSync(':host([larger-text]) { --paykey-text-scale: 1.3; }');
    root.adoptedStyleSheets = [sheet];
    const result = Object.assign(new PaykeyResult(), { messages: await loadMessages('en'), heading: 'Payment complete' });
    root.append(result);
    document.body.append(host);
    try {
      await result.updateComplete;
      const h1 = () => parseFloat(getComputedStyle(result.shadowRoot!.querySelector('h1')!).fontSize);
      equal(h1(), 16 * 1.3);
      host.setAttribute('larger-text', '');
      ok(Math.abs(h1() - 16 * 1.3 * 1.3) < 0.01, `h1 at ${h1()} px`);
    } finally {
      host.remove();
    }
  });

  it('the first screen has the Larger text switch: a toggle button, remembered on this device, announced to the wallet', async () => {
    const el = await show('sign-in', 'zh-CN');
    const button = byRole(el, 'button', '大字体');
    equal(button.getAttribute('aria-pressed'), 'false');
    const events: boolean[] = [];
    el.addEventListener('paykey-larger-text', (e) => events.push(e.detail.on));
    // By keyboard: Tab from the last sign-in button reaches it, Space presses it.
    button.focus();
    await sendKeys({ press: 'Space' });
    const toggle = el.shadowRoot!.querySelector<PaykeyLargerText>('paykey-larger-text')!;
    await toggle.updateComplete;
    equal(button.getAttribute('aria-pressed'), 'true');
    deepEqual(events, [true], 'paykey-larger-text crosses the shadow boundaries');
    equal(readLargerText(), true, 'remembered');
    equal(activeElement(el), button, 'the focus stays on the switch');
    cleanup();

    // A new frame on this device starts with it on.
    const again = await show('sign-in', 'en');
    equal(byRole(again, 'button', 'Larger text').getAttribute('aria-pressed'), 'true');
    byRole(again, 'button', 'Larger text').click();
    equal(readLargerText(), false, 'off again, forgotten');
  });

  it('sign-in tells a new shopper what a passkey is and that the shop never sees their card, one sentence each', async () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      const m = await loadMessages(locale);
      const el = await show('sign-in', locale);
      const items = [...el.shadowRoot!.querySelectorAll('.education li')].map((li) => li.textContent!.trim());
      deepEqual(items, [m.whatIsAPasskey, m.merchantNeverSeesCard]);
      for (const sentence of items) equal(sentence.split(/[.。](?=\s|$)/).filter((s) => s.trim()).length, 1, `one sentence: ${sentence}`);
      cleanup();
    }
  });

  it('every control of the first screen is reachable by Tab, in order, with a visible focus', async () => {
    const el = await show('sign-in', 'en');
    el.shadowRoot!.querySelector<HTMLElement>('h1')!.focus();
    const reached: string[] = [];
    for (let i = 0; i < 3; i++) {
      await sendKeys({ press: 'Tab' });
      const active = activeElement(el) as HTMLElement;
      reached.push(active.textContent!.replace(/\s+/g, ' ').trim());
      const style = getComputedStyle(active);
      ok(style.outlineStyle === 'solid' && parseFloat(style.outlineWidth) >= 3, `a visible focus ring: ${style.outline}`);
    }
    deepEqual(reached, ['Continue with passkey', 'Create a passkey', 'Larger text']);
  });

  it('asks for no motion when the shopper prefers less', async () => {
    const el = await show('sign-in', 'en');
    const button = byRole(el, 'button', 'Continue with passkey');
    await emulateMedia({ reducedMotion: 'reduce' });
    equal(getComputedStyle(button).transitionDuration, '1e-05s');
    await emulateMedia({ reducedMotion: 'no-preference' });
    equal(getComputedStyle(button).transitionDuration, '0s');
  });
});
