import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { BankBrandView, SavedCard } from '../../widget/shopper-api.ts';
import { loadMessages } from '../../widget/frame/i18n/messages.ts';
import { PaykeyManageCards } from '../../widget/frame/manage-cards/paykey-manage-cards.ts';
import { deepEqual, equal, ok } from './support/assert.ts';
import { assertNoAxeViolations } from './support/axe.ts';
import { activeElement, assertAccessible, cleanup, description, mount } from './support/dom.ts';
import { assertFitsNarrow, narrowLayouts, useLayout } from './support/narrow-layouts.ts';

const sandboxVisa: SavedCard = {
  id: 'card_1', bank: 'sandbox', bankName: { en: 'Sandbox Bank' }, bankToken: 'tok_1',
  brand: 'visa', last4: '4242', expMonth: 3, expYear: 2034, currency: null,
};
const lotusMastercard: SavedCard = {
  id: 'card_2', bank: 'lotus', bankName: { en: 'Lotus Bank', 'zh-CN': '莲花银行' }, bankToken: 'tok_2',
  brand: 'mastercard', last4: '4444', expMonth: 11, expYear: 2031, currency: 'CNY',
};

const logo = 'data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCAxMCAxMCI+PGNpcmNsZSBjeD0iNSIgY3k9IjUiIHI9IjUiIGZpbGw9IiM4YTE1MzgiLz48L3N2Zz4=';
const lotusBrand: BankBrandView = {
  id: 'lotus',
  name: { en: 'Lotus Bank', 'zh-CN': '莲花银行' },
  logo,
  colors: { primary: '#8a1538', onPrimary: '#ffffff', accent: '#a15c00', background: '#ffffff', text: '#1a1d24', border: '#6b6f7b' },
  radius: '12px',
  fontStack: "'Noto Sans SC', system-ui, sans-serif",
  support: { phone: '+86 400 000 0000' },
};

/** What a screen reader gets from `node`: its text without aria-hidden parts, whitespace collapsed. */
function spoken(node: Node): string {
  const parts: string[] = [];
  const visit = (n: Node) => {
    if (n instanceof Element && n.getAttribute('aria-hidden') === 'true') return;
    if (n.nodeType === Node.TEXT_NODE) parts.push(n.textContent ?? '');
    n.childNodes.forEach(visit);
  };
  visit(node);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

const buttons = (el: Element) => [...el.shadowRoot!.querySelectorAll('button')];
function button(el: Element, name: string | RegExp): HTMLButtonElement {
  const found = buttons(el).find((b) => (typeof name === 'string' ? spoken(b) === name : name.test(spoken(b))));
  if (!found) throw new Error(`no button named ${name}; there are: ${buttons(el).map(spoken).join(' | ')}`);
  return found;
}

async function manageScreen(props: Partial<PaykeyManageCards>): Promise<PaykeyManageCards> {
  return mount(Object.assign(new PaykeyManageCards(), props));
}

describe('paykey-manage-cards', () => {
  afterEach(async () => {
    cleanup();
    useLayout(null);
    await setViewport({ width: 800, height: 600 });
  });

  it('lists saved cards with bank, masked number and expiry, each Remove button naming its card', async () => {
    const el = await manageScreen({ cards: [sandboxVisa, lotusMastercard], banks: [lotusBrand] });
    assertAccessible(el);
    const h1 = el.shadowRoot!.querySelector('h1')!;
    equal(h1.textContent!.trim(), 'Manage cards');
    equal(h1.tabIndex, -1);
    const items = [...el.shadowRoot!.querySelectorAll('ul[role=list] > li')];
    deepEqual(items.map((li) => spoken(li.querySelector('.info')!)), [
      'Sandbox Bank Visa ending in 4242 Expires 03/34',
      'Lotus Bank Mastercard ending in 4444 Expires 11/31',
    ]);
    ok(items[1].textContent!.includes('Mastercard •••• 4444'), 'masked on screen');
    equal(items[1].querySelector('img')!.getAttribute('src'), logo, 'the bank’s logo');
    equal(items[1].querySelector('img')!.getAttribute('alt'), '', 'decorative: the bank’s name is next to it');
    equal(items[0].querySelector('img'), null, 'no logo for a bank without a brand');
    deepEqual(buttons(el).map(spoken), [
      'Back',
      'Remove Visa ending in 4242, Sandbox Bank',
      'Remove Mastercard ending in 4444, Lotus Bank',
      'Sign out on this device',
    ]);
    const signOut = button(el, 'Sign out on this device');
    ok(description(signOut).startsWith('Signing out ends your session and deletes everything this browser remembers'), 'sign-out says what it does');
    await assertNoAxeViolations(el, 'manage cards en');
  });

  it('speaks Chinese', async () => {
    const el = await manageScreen({ cards: [lotusMastercard], banks: [lotusBrand], locale: 'zh-CN', messages: await loadMessages('zh-CN') });
    assertAccessible(el);
    equal(el.shadowRoot!.querySelector('h1')!.textContent!.trim(), '管理银行卡');
    equal(spoken(el.shadowRoot!.querySelector('.info')!), '莲花银行 Mastercard，尾号 4444 有效期至 11/31');
    deepEqual(buttons(el).map(spoken), ['返回', '移除 Mastercard，尾号 4444，莲花银行', '在此设备上退出登录']);
    button(el, /^移除/).click();
    await el.updateComplete;
    equal(spoken(el.shadowRoot!.querySelector('#confirm-question')!), '要从钱包中移除Mastercard，尾号 4444（莲花银行）吗？');
    deepEqual(buttons(el).map(spoken).slice(2, 4), ['移除银行卡', '保留银行卡']);
    await assertNoAxeViolations(el, 'manage cards zh-CN, confirming');
  });

  it('asks before removing: Keep card (focused first), Escape and a second Remove press keep the card', async () => {
    const el = await manageScreen({ cards: [sandboxVisa, lotusMastercard] });
    const removed: string[] = [];
    el.addEventListener('paykey-remove-card', (e) => removed.push(e.detail.id));
    const remove = button(el, /^Remove Visa/);

    remove.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    const group = el.shadowRoot!.querySelector('[role=group]')!;
    equal(spoken(el.shadowRoot!.getElementById(group.getAttribute('aria-labelledby')!)!), 'Remove Visa ending in 4242 (Sandbox Bank) from your wallet?');
    equal(remove.getAttribute('aria-expanded'), 'true');
    equal(activeElement(el), button(el, 'Keep card'), 'the safe choice has the focus');
    await assertNoAxeViolations(el, 'manage cards confirming');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    equal(el.shadowRoot!.querySelector('[role=group]'), null, 'Keep card closes the question');
    equal(activeElement(el), remove, 'and gives the focus back to Remove');

    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    equal(activeElement(el), button(el, 'Keep card'));
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    equal(el.shadowRoot!.querySelector('[role=group]'), null, 'Escape keeps the card');
    equal(activeElement(el), remove);

    remove.click();
    await el.updateComplete;
    remove.click();
    await el.updateComplete;
    equal(el.shadowRoot!.querySelector('[role=group]'), null, 'pressing Remove again closes the question');
    deepEqual(removed, [], 'nothing removed by any of that');
  });

  it('removes after "Remove card", says "Removing…" until the list changes, then announces it and focuses the heading', async () => {
    const el = await manageScreen({ cards: [sandboxVisa, lotusMastercard] });
    const removed: string[] = [];
    el.addEventListener('paykey-remove-card', (e) => removed.push(e.detail.id));
    button(el, /^Remove Mastercard/).click();
    await el.updateComplete;
    await sendKeys({ press: 'Shift+Tab' });
    equal(activeElement(el), button(el, 'Remove card'), 'Shift+Tab from Keep card reaches Remove card');
    ok(button(el, 'Remove card').matches(':focus-visible'), 'with a visible focus');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    deepEqual(removed, ['card_2']);
    const busy = button(el, /^Removing…/);
    equal(busy.getAttribute('aria-disabled'), 'true');
    equal(activeElement(el), busy, 'the focus stays on the card being removed');
    busy.click();
    await el.updateComplete;
    equal(el.shadowRoot!.querySelector('[role=group]'), null, 'a press while removing asks nothing');

    el.cards = [sandboxVisa];
    await el.updateComplete;
    equal(el.shadowRoot!.querySelectorAll('li').length, 1);
    equal(el.shadowRoot!.querySelector('p[role=status]')!.textContent!.trim(), 'Mastercard ending in 4444 removed.');
    equal(activeElement(el), el.shadowRoot!.querySelector('h1'), 'focus on the heading, not lost with the row');
    await assertNoAxeViolations(el, 'manage cards after removal');
  });

  it('gives Remove back, with the focus, when the removal failed (busy ended with the card still there)', async () => {
    const el = await manageScreen({ cards: [sandboxVisa, lotusMastercard] });
    el.addEventListener('paykey-remove-card', () => el.setAttribute('busy', '')); // as the wallet binds it: ?busy=${…}
    button(el, /^Remove Visa/).click();
    await el.updateComplete;
    button(el, 'Remove card').click();
    await el.updateComplete;
    button(el, /^Removing… Visa/);
    equal(button(el, /^Remove Mastercard/).getAttribute('aria-disabled'), 'true', 'no other removal while one runs');
    equal(button(el, 'Sign out on this device').getAttribute('aria-disabled'), 'true');
    el.busy = false;
    await el.updateComplete;
    const remove = button(el, /^Remove Visa/);
    equal(remove.getAttribute('aria-disabled'), 'false');
    equal(activeElement(el), remove, 'the focus is on the card that is still there');
    equal(el.shadowRoot!.querySelector('p[role=status]')!.textContent!.trim(), '', 'nothing announced as removed');
  });

  it('also gives Remove back when the same list is set again', async () => {
    const el = await manageScreen({ cards: [sandboxVisa] });
    button(el, /^Remove Visa/).click();
    await el.updateComplete;
    button(el, 'Remove card').click();
    await el.updateComplete;
    button(el, /^Removing…/);
    el.cards = [sandboxVisa];
    await el.updateComplete;
    equal(button(el, /^Remove Visa/).getAttribute('aria-disabled'), 'false');
  });

  it('signs out on this device once, and goes back', async () => {
    const el = await manageScreen({ cards: [sandboxVisa] });
    let signOuts = 0;
    let backs = 0;
    el.addEventListener('paykey-sign-out', () => {
      signOuts++;
      el.busy = true;
    });
    el.addEventListener('paykey-back', () => backs++);
    el.shadowRoot!.querySelector('h1')!.focus();
    await sendKeys({ press: 'Tab' });
    equal(activeElement(el), button(el, /^Remove Visa/));
    await sendKeys({ press: 'Tab' });
    const signOut = button(el, 'Sign out on this device');
    equal(activeElement(el), signOut, 'Tab reaches sign-out');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    equal(signOuts, 1);
    equal(signOut.getAttribute('aria-disabled'), 'true');
    equal(spoken(signOut), 'Signing out…');
    await sendKeys({ press: 'Space' });
    equal(signOuts, 1, 'a second press does nothing');
    el.busy = false;
    await el.updateComplete;
    equal(spoken(signOut), 'Sign out on this device', 'back once the wallet is done');
    button(el, 'Back').click();
    equal(backs, 1);
  });

  it('says when there are no saved cards, and still offers sign-out', async () => {
    const el = await manageScreen({ cards: [] });
    ok(el.shadowRoot!.textContent!.includes('You have no saved cards.'));
    equal(el.shadowRoot!.querySelector('ul'), null);
    button(el, 'Sign out on this device');
    await assertNoAxeViolations(el, 'manage cards empty');
  });

  it('fits 320 px without horizontal scrolling, with 44×44 px targets: both languages, larger text, rtl', async () => {
    await setViewport({ width: 320, height: 900 });
    for (const layout of narrowLayouts) {
      const label = useLayout(layout);
      const el = await manageScreen({ cards: [sandboxVisa, lotusMastercard], banks: [lotusBrand], locale: layout.locale, messages: await loadMessages(layout.locale) });
      buttons(el)[2].click(); // open the confirmation of the second card: the widest state
      await el.updateComplete;
      assertFitsNarrow(el, label);
      await assertNoAxeViolations(el, `manage cards at 320 px, ${label}`);
      cleanup();
    }
  });
});
