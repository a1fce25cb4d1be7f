import { sendKeys } from '@web/test-runner-commands';
import { PaykeyWallet } from '../../widget/frame/app/paykey-wallet.ts';
import { clearWallet, readWallet, writeWallet } from '../../widget/frame/storage/wallet-cache.ts';
import { deepEqual, equal, match, ok } from './support/assert.ts';
import { assertNoAxeViolations } from './support/axe.ts';
import { activeElement, assertAccessible, byLabel, byRole, cleanup, description, mount, pressable, type } from './support/dom.ts';
import { Deferred, installFakeBackend, until, walletOn } from './support/fake-wallet-backend.ts';
import { brandsView, checkoutView, operatorBrand, visa4242 } from './support/fixtures.ts';

/** The wallet's own live regions (outside every screen). */
function regions(wallet: PaykeyWallet) {
  const root = wallet.shadowRoot!;
  return { alert: root.querySelector('main > [role=alert]')!, status: root.querySelector('main > [role=status]')! };
}

const session = { sessionToken: 'st_1', expiresAt: '2099-01-01T00:00:00Z', shopper: { id: 'sh_1', email: 'ada@example.com' }, cards: [visa4242] };

describe('paykey-wallet (keyboard and screen reader)', () => {
  let backend: ReturnType<typeof installFakeBackend>;
  let confirmation: Deferred<unknown>;

  beforeEach(async () => {
    await clearWallet();
    confirmation = new Deferred();
    backend = installFakeBackend({ '/sessions': session, '/confirmations': () => confirmation.promise });
  });
  afterEach(async () => {
    cleanup();
    backend.restore();
    await clearWallet();
  });

  async function start(): Promise<PaykeyWallet> {
    const wallet = await mount(walletOn(backend));
    backend.init();
    await until(() => wallet.shadowRoot!.querySelector('paykey-sign-in'), 'the sign-in screen');
    await wallet.updateComplete;
    return wallet;
  }

  it('moves the focus to each new heading, announces what it waits for, and refuses a second Pay', async () => {
    const wallet = await start();
    assertAccessible(wallet);
    ok(wallet.shadowRoot!.querySelector('main'), 'a main landmark');
    const { alert, status } = regions(wallet);
    equal(status.textContent!.trim(), '', 'the status region is there, empty, before anything happens');

    // Sign in with the keyboard: the button keeps the focus while the passkey prompt is open.
    const signIn = byRole(wallet, 'button', 'Continue with passkey');
    signIn.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => backend.passkeys.length === 1, 'the passkey prompt');
    await wallet.updateComplete;
    equal(status.textContent!.trim(), 'Waiting for your passkey…');
    equal(signIn.getAttribute('aria-disabled'), 'true');
    equal(activeElement(wallet), signIn, 'the focus stays on the busy button');
    backend.passkeys[0].resolve();

    // The confirm screen takes the focus on its heading, described by the payee and amount.
    const heading = await until(() => {
      const h = activeElement(wallet);
      return h?.localName === 'h1' ? h : null;
    }, 'the confirm heading to take focus');
    equal(heading.textContent!.trim(), 'Confirm your payment');
    match(description(heading), /Pay to Demo Shop Amount \$19\.99/);
    equal(status.textContent!.trim(), '', 'nothing pending');
    assertAccessible(wallet);

    // Tab to the card, then to Pay, and press it twice: one confirmation only.
    await pressable(wallet, /^Pay \$19\.99/);
    await sendKeys({ press: 'Tab' });
    equal((activeElement(wallet) as HTMLInputElement).type, 'radio');
    await sendKeys({ press: 'Tab' });
    const pay = byRole(wallet, 'button', /^Pay \$19\.99/);
    equal(activeElement(wallet), pay, 'Tab reaches Pay');
    await sendKeys({ press: 'Enter' });
    await until(() => backend.passkeys.length === 2, 'the confirmation passkey prompt');
    await wallet.updateComplete;
    equal(pay.getAttribute('aria-disabled'), 'true', 'Pay is disabled while the passkey prompt is open');
    equal(status.textContent!.trim(), 'Waiting for your passkey…');
    await sendKeys({ press: 'Enter' });
    pay.click();
    await new Promise((r) => setTimeout(r, 50));
    equal(backend.calls['/confirmations/options'], 1, 'a second press starts nothing');
    equal(backend.passkeys.length, 2);

    backend.passkeys[1].resolve();
    await until(() => backend.calls['/confirmations'] === 1, 'the confirmation request');
    await wallet.updateComplete;
    equal(status.textContent!.trim(), 'Processing your payment…');
    equal(activeElement(wallet), pay, 'the focus is still on Pay');
    equal(alert.textContent!.trim(), '');
    const cancel = byRole(wallet, 'button', 'Cancel');
    equal(cancel.getAttribute('aria-disabled'), 'true', 'Cancel waits while the payment is processing');
    cancel.click();
    await new Promise((r) => setTimeout(r, 50));
    equal(backend.posted.some((p) => p.type === 'cancel'), false, 'no cancel is sent mid-payment');

    // The result heading takes the focus and carries the outcome.
    confirmation.resolve({ paymentIntentId: checkoutView.paymentIntentId, status: 'succeeded', lastError: null });
    const result = await until(() => {
      const h = activeElement(wallet);
      return h?.localName === 'h1' && h.textContent!.includes('Payment complete') ? h : null;
    }, 'the result heading to take focus');
    equal(description(result), '$19.99 paid to Demo Shop.');
    equal(status.textContent!.trim(), '');
    assertAccessible(wallet);
  });

  it('announces a cancelled passkey in the alert region and leaves the focus on the button', async () => {
    const wallet = await start();
    assertAccessible(wallet);
    const { alert, status } = regions(wallet);
    equal(alert.textContent!.trim(), '', 'the alert region is there, empty, before any error');
    const signIn = byRole(wallet, 'button', 'Continue with passkey');
    const place = () => Math.round(signIn.getBoundingClientRect().top);
    const before = place();
    signIn.focus();
    await sendKeys({ press: 'Space' });
    await until(() => backend.passkeys.length === 1, 'the passkey prompt');
    backend.passkeys[0].reject(new DOMException('The operation either timed out or was not allowed.', 'NotAllowedError'));
    await until(() => alert.textContent!.trim(), 'the alert');
    await wallet.updateComplete;
    match(alert.textContent!, /cancelled or timed out/);
    equal(status.textContent!.trim(), '');
    equal(signIn.getAttribute('aria-disabled'), 'false', 'usable again');
    equal(activeElement(wallet), signIn, 'the focus stayed on the button');
    equal(place(), before, 'the button stayed where the shopper pressed it: the alert comes under the screen');
  });

  it('resends a card whose answer was lost with the same idempotency key, and other details with a new one', async () => {
    let attempts = 0;
    backend.restore();
    backend = installFakeBackend({
      '/sessions': { ...session, cards: [] },
      '/cards': () => {
        attempts += 1;
        if (attempts === 1) throw new TypeError('Failed to fetch'); // the answer never arrives
        return { card: { ...visa4242, id: `card_${attempts}` } };
      },
    });
    const wallet = await start();
    byRole(wallet, 'button', 'Continue with passkey').click();
    await until(() => backend.passkeys.length === 1, 'the passkey prompt');
    backend.passkeys[0].resolve();
    const form = await until(() => wallet.shadowRoot!.querySelector('paykey-card-form'), 'the card form');
    await form.updateComplete;
    assertAccessible(form);
    const fill = async (number: string) => {
      for (const [label, value] of [['Card number', number], ['Expiry date', '12/34'], ['Security code', '123'], ['Name on card', 'Ada Lovelace']]) {
        type(byLabel(form, label), value);
      }
      await form.updateComplete;
      form.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    };
    const keys = () => backend.requests.filter((r) => r.path === '/cards').map((r) => r.headers.get('idempotency-key'));

    await fill('4242 4242 4242 4242');
    await until(() => keys().length === 1 && form.shadowRoot!.querySelector('[role=alert]')?.textContent?.trim(), 'the lost answer reported');
    await fill('4242 4242 4242 4242');
    await until(() => keys().length === 2, 'the resend');
    ok(keys()[0], 'an idempotency key is sent');
    equal(keys()[1], keys()[0], 'a resend of the same card reuses the key');

    byRole(await until(() => wallet.shadowRoot!.querySelector('paykey-confirm'), 'the confirm screen'), 'button', 'Add card').click();
    const second = await until(() => wallet.shadowRoot!.querySelector('paykey-card-form'), 'the card form again');
    await second.updateComplete;
    for (const [label, value] of [['Card number', '5555 5555 5555 4444'], ['Expiry date', '11/33'], ['Security code', '321'], ['Name on card', 'Ada Lovelace']]) {
      type(byLabel(second, label), value);
    }
    await second.updateComplete;
    second.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await until(() => keys().length === 3, 'the other card');
    ok(keys()[2] && keys()[2] !== keys()[0], 'other details get a new key');
  });
});

describe('paykey-wallet: headings, title, language, and the shopper’s own views', () => {
  let backend: ReturnType<typeof installFakeBackend>;
  const shopper = { id: 'sh_1', email: 'ada@example.com' };
  const receipt = {
    paymentIntentId: 'pi_test1', reference: 'ch_ref_1', payee: 'Demo Shop', description: 'Paykey Tee', status: 'succeeded',
    amount: 1999, currency: 'USD', currencyDigits: 2, fee: 0, fx: null, debit: { amount: 1999, currency: 'USD', currencyDigits: 2 },
    card: { brand: 'visa', last4: '4242', bankName: { en: 'Sandbox Bank' } }, payByBank: null,
    createdAt: '2026-12-01T10:00:00Z', settledAt: '2026-12-01T10:00:01Z',
  };
  const realTitle = document.title;

  beforeEach(() => clearWallet());
  afterEach(async () => {
    cleanup();
    await clearWallet();
    document.title = realTitle;
    document.documentElement.lang = 'en';
    document.documentElement.removeAttribute('dir');
  });

  const screenOf = <K extends keyof HTMLElementTagNameMap>(wallet: PaykeyWallet, tag: K) => until(() => wallet.shadowRoot!.querySelector(tag), tag);
  /** The focused element, once it is the level-one heading of `tag`'s screen. */
  const focusedHeading = (wallet: PaykeyWallet, tag: string) =>
    until(() => {
      const h = activeElement(wallet);
      return h?.localName === 'h1' && (h.getRootNode() as ShadowRoot).host?.localName === tag ? h : null;
    }, `the focus on the h1 of ${tag}`);

  async function returning(routes: Record<string, unknown>) {
    backend = installFakeBackend({ '/sessions': session, ...routes });
    await writeWallet(shopper, [visa4242]);
    const wallet = await mount(walletOn(backend));
    backend.init();
    await screenOf(wallet, 'paykey-confirm');
    return wallet;
  }

  it('has a level-one heading from the first screen, and keeps the document title and language', async () => {
    backend = installFakeBackend();
    // "Loading…" at once (no delay), as a slow load shows it: its level-one heading too.
    const delay = PaykeyWallet.loadingDelay;
    PaykeyWallet.loadingDelay = 0;
    let wallet: PaykeyWallet;
    try {
      wallet = await mount(walletOn(backend));
    } finally {
      PaykeyWallet.loadingDelay = delay;
    }
    equal(wallet.shadowRoot!.querySelector('h1')?.textContent?.trim(), 'Paykey wallet', 'the loading screen has an h1');
    backend.init('en', { dir: 'rtl', layout: 'compact' });
    const signIn = await screenOf(wallet, 'paykey-sign-in');
    await signIn.updateComplete;
    await until(() => document.title === 'Pay with your passkey – Paykey wallet', 'the title');
    equal(document.documentElement.lang, 'en');
    equal(document.documentElement.dir, 'rtl', "the embedder's direction");
    equal(wallet.getAttribute('layout'), 'compact');
    equal(backend.posted.filter((m) => m.type === 'ready').length, 1);
    ok(backend.warmed >= 1, 'the passkey code is warmed once the wallet is shown');
  });

  it('shows the operator’s brand once ready, checked by the frame first: a refused one leaves the neutral theme', async () => {
    const primary = (wallet: PaykeyWallet) => getComputedStyle(wallet).getPropertyValue('--paykey-color-primary').trim();
    const operator = { ...operatorBrand, colors: { ...operatorBrand.colors, primary: '#0b5d1e' } };
    backend = installFakeBackend({ 'GET /brands': { ...brandsView, operator } });
    const wallet = await mount(walletOn(backend));
    backend.init();
    await screenOf(wallet, 'paykey-sign-in');
    await until(() => primary(wallet) === '#0b5d1e', 'the operator’s primary colour on the wallet');
    cleanup();

    // White on a pale yellow (1.1:1): the server should have refused it; the frame refuses it too.
    const unsafe = { ...operator, colors: { ...operator.colors, primary: '#fffbe6' } };
    backend = installFakeBackend({ 'GET /brands': { ...brandsView, operator: unsafe } });
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => void warnings.push(message);
    try {
      const refused = await mount(walletOn(backend));
      backend.init();
      await screenOf(refused, 'paykey-sign-in');
      await until(() => warnings.some((w) => w.startsWith('Paykey: brand "operator" refused: ')), 'the frame’s refusal');
      equal(primary(refused), '', 'a brand failing contrast is never applied, not even in part');
    } finally {
      console.warn = warn;
    }
  });

  it('speaks Chinese with locale="zh-CN": language, title and controls', async () => {
    backend = installFakeBackend();
    const wallet = await mount(walletOn(backend));
    backend.init('zh-CN');
    const signIn = await screenOf(wallet, 'paykey-sign-in');
    await signIn.updateComplete;
    await until(() => document.title === '使用通行密钥付款 – Paykey 钱包', 'the Chinese title');
    equal(document.documentElement.lang, 'zh-CN');
    byRole(wallet, 'button', '使用通行密钥继续');
    byRole(wallet, 'button', '取消');
  });

  it('applies Larger text when the shopper switches it on', async () => {
    backend = installFakeBackend();
    const wallet = await mount(walletOn(backend));
    backend.init();
    const signIn = await screenOf(wallet, 'paykey-sign-in');
    signIn.dispatchEvent(new CustomEvent('paykey-larger-text', { detail: { on: true }, bubbles: true, composed: true }));
    await wallet.updateComplete;
    ok(wallet.hasAttribute('larger-text'));
    signIn.dispatchEvent(new CustomEvent('paykey-larger-text', { detail: { on: false }, bubbles: true, composed: true }));
    await wallet.updateComplete;
    ok(!wallet.hasAttribute('larger-text'));
  });

  it('offers Larger text on a returning shopper\'s first screen (the confirm screen) too', async () => {
    const wallet = await returning({});
    const toggle = byRole(wallet, 'button', 'Larger text');
    equal(toggle.getAttribute('aria-pressed'), 'false');
    ok(!wallet.hasAttribute('larger-text'));
    toggle.click();
    await wallet.updateComplete;
    ok(wallet.hasAttribute('larger-text'), 'the wallet grows its text');
    equal(byRole(wallet, 'button', 'Larger text').getAttribute('aria-pressed'), 'true');
    byRole(wallet, 'button', 'Larger text').click();
    await wallet.updateComplete;
    ok(!wallet.hasAttribute('larger-text'));
  });

  it('offers Payments, Manage cards and Sign out to a known shopper; Payments asks the passkey, then takes the focus', async () => {
    const wallet = await returning({ 'GET /payments?limit=20': { payments: [receipt], hasMore: false } });
    const nav = wallet.shadowRoot!.querySelector('nav')!;
    equal(nav.getAttribute('aria-label'), 'Your wallet');
    deepEqual([...nav.querySelectorAll('button')].map((b) => b.textContent!.trim()), ['Payments', 'Manage cards', 'Sign out on this device']);
    assertAccessible(wallet);
    byRole(wallet, 'button', 'Payments').click();
    await until(() => backend.passkeys.length === 1, 'the passkey prompt');
    backend.passkeys[0].resolve();
    const heading = await focusedHeading(wallet, 'paykey-payments');
    await until(() => document.title === `${heading.textContent!.trim()} – Paykey wallet`, 'the title of the payments view');
    equal(wallet.shadowRoot!.querySelector('nav'), null, 'no menu over the view itself');

    const payments = wallet.shadowRoot!.querySelector('paykey-payments')!;
    payments.dispatchEvent(new CustomEvent('paykey-open-receipt', { detail: { paymentIntentId: 'pi_test1' }, bubbles: true, composed: true }));
    await focusedHeading(wallet, 'paykey-receipt');
    (await screenOf(wallet, 'paykey-receipt')).dispatchEvent(new CustomEvent('paykey-back', { bubbles: true, composed: true }));
    await focusedHeading(wallet, 'paykey-payments');
    (await screenOf(wallet, 'paykey-payments')).dispatchEvent(new CustomEvent('paykey-back', { bubbles: true, composed: true }));
    await focusedHeading(wallet, 'paykey-confirm');
  });

  it('offers the receipt after paying, and signs out from Manage cards back to sign-in', async () => {
    const wallet = await returning({
      '/confirmations': { paymentIntentId: 'pi_test1', status: 'succeeded', lastError: null, receipt },
      'DELETE /sessions/current': null,
    });
    (await pressable(wallet, /^Pay /)).click();
    await until(() => backend.passkeys.length === 1, 'the passkey prompt');
    backend.passkeys[0].resolve();
    await focusedHeading(wallet, 'paykey-result');
    byRole(wallet, 'button', 'View receipt').click();
    const receiptScreen = await screenOf(wallet, 'paykey-receipt');
    await focusedHeading(wallet, 'paykey-receipt');
    match(receiptScreen.shadowRoot!.textContent!, /ch_ref_1/);
    receiptScreen.dispatchEvent(new CustomEvent('paykey-back', { bubbles: true, composed: true }));
    await focusedHeading(wallet, 'paykey-result');

    byRole(wallet, 'button', 'Manage cards').click();
    await until(() => backend.passkeys.length === 2, 'the passkey prompt');
    backend.passkeys[1].resolve();
    const manage = await screenOf(wallet, 'paykey-manage-cards');
    await focusedHeading(wallet, 'paykey-manage-cards');
    manage.dispatchEvent(new CustomEvent('paykey-sign-out', { bubbles: true, composed: true }));
    await until(() => backend.calls['DELETE /sessions/current'] === 1, 'the sign-out request');
    // Paid already: the shopper goes back to the outcome, signed out (no menu left).
    await focusedHeading(wallet, 'paykey-result');
    equal(wallet.shadowRoot!.querySelector('nav'), null);
    equal((await indexedDB.databases()).some((d) => d.name === 'paykey'), false, 'the IndexedDB database is gone');
  });

  it('signs out before paying: back to sign-in, with the focus on its heading', async () => {
    const wallet = await returning({ 'DELETE /sessions/current': null });
    byRole(wallet, 'button', 'Sign out on this device').click();
    await focusedHeading(wallet, 'paykey-sign-in');
    equal(backend.calls['DELETE /sessions/current'], undefined, 'no session in memory: nothing to end at the server');
    equal(wallet.shadowRoot!.querySelector('nav'), null);
    equal(await readWallet(), null);
  });

  it('says so, and stays usable, when a screen cannot be downloaded', async () => {
    backend = installFakeBackend({ '/sessions': { ...session, cards: [] } });
    const wallet = walletOn(backend);
    wallet.deps = { ...backend.deps, loadScreen: (screen) => (screen === 'card-form' ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : Promise.resolve()) };
    await mount(wallet);
    backend.init();
    await screenOf(wallet, 'paykey-sign-in');
    byRole(wallet, 'button', 'Continue with passkey').click();
    await until(() => backend.passkeys.length === 1, 'the passkey prompt');
    backend.passkeys[0].resolve();
    await until(() => regions(wallet).alert.textContent!.trim() === 'Something went wrong. Please try again.', 'the alert');
    equal(byRole(wallet, 'button', 'Continue with passkey').getAttribute('aria-disabled'), 'false');
  });
});

describe('paykey-wallet: axe on its own parts (loading, the shopper’s menu, the notice) in both languages', () => {
  let backend: ReturnType<typeof installFakeBackend>;
  beforeEach(() => clearWallet());
  afterEach(async () => {
    cleanup();
    await clearWallet();
    document.documentElement.lang = 'en';
  });

  for (const locale of ['en', 'zh-CN']) {
    it(`has no axe violation on the loading screen, the confirm screen with the menu, and the notice (${locale})`, async () => {
      const held = new Deferred<unknown>();
      backend = installFakeBackend({ '/checkout': () => held.promise });
      const loading = await mount(walletOn(backend));
      // No `init`, so no screen: "Loading…" once `loadingDelay` has passed.
      await until(() => loading.shadowRoot!.querySelector('main > section h1'), 'the loading screen');
      await assertNoAxeViolations(loading, `loading ${locale}`);
      held.resolve({ ...checkoutView });
      cleanup();

      backend = installFakeBackend();
      await writeWallet({ id: 'sh_1', email: 'ada@example.com' }, [visa4242]);
      const wallet = await mount(walletOn(backend));
      backend.init(locale);
      await until(() => wallet.shadowRoot!.querySelector('nav'), 'the menu');
      await until(() => document.documentElement.lang === locale, 'the language');
      await wallet.updateComplete;
      await assertNoAxeViolations(wallet, `confirm with the menu ${locale}`);
      cleanup();

      backend = installFakeBackend();
      const notice = walletOn(backend);
      // The result screen's code cannot be downloaded: the wallet draws the notice itself.
      notice.deps = { ...backend.deps, frameIntentId: 'pi_other', loadScreen: () => Promise.reject(new TypeError('Failed to fetch')) };
      await mount(notice);
      backend.init(locale);
      await until(() => notice.shadowRoot!.querySelector('main > section h1[aria-describedby=notice-body]'), 'the notice');
      await notice.updateComplete;
      await assertNoAxeViolations(notice, `notice ${locale}`);
    });
  }
});
