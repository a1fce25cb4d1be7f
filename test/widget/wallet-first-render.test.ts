/**
 * The wallet's first render: nothing is drawn while the first screen is on its way, "Loading…" only once
 * `PaykeyWallet.loadingDelay` has passed without one; the first screen, whenever it comes, is announced to the loader
 * (`ready`, once), titles the document and leaves the focus where it was.
 */
import { PaykeyWallet } from '../../widget/frame/app/paykey-wallet.ts';
import { clearWallet, writeWallet } from '../../widget/frame/storage/wallet-cache.ts';
import { equal, ok } from './support/assert.ts';
import { cleanup, mount } from './support/dom.ts';
import { Deferred, installFakeBackend, until, walletOn } from './support/fake-wallet-backend.ts';
import { checkoutView, visa4242 } from './support/fixtures.ts';

const defaultDelay = PaykeyWallet.loadingDelay;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const frames = (n: number) => (n <= 0 ? Promise.resolve() : new Promise<void>((r) => requestAnimationFrame(() => r(frames(n - 1)))));

const observers: MutationObserver[] = [];

/** Every text the wallet's shadow root ever held: what was added to it and what was removed from it, as it happened. */
function recordTexts(wallet: PaykeyWallet): string[] {
  const texts: string[] = [];
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      for (const node of [...r.addedNodes, ...r.removedNodes]) texts.push(node.textContent ?? '');
      if (r.type === 'characterData') texts.push(r.target.textContent ?? '');
    }
  });
  observer.observe(wallet.shadowRoot!, { childList: true, subtree: true, characterData: true });
  observers.push(observer);
  return texts;
}

describe('paykey-wallet: its first render', () => {
  let backend: ReturnType<typeof installFakeBackend>;
  const realTitle = document.title;

  beforeEach(() => clearWallet());
  afterEach(async () => {
    for (const o of observers.splice(0)) o.disconnect();
    cleanup();
    PaykeyWallet.loadingDelay = defaultDelay;
    document.title = realTitle;
    document.documentElement.lang = 'en';
    document.documentElement.removeAttribute('dir');
    document.body.hidden = false;
    await clearWallet();
  });

  it('draws nothing while no screen has come, then "Loading…" (heading and status) once the delay has passed', async () => {
    const held = new Deferred<unknown>();
    backend = installFakeBackend({ '/checkout': () => held.promise });
    const connected = performance.now();
    const wallet = await mount(walletOn(backend));
    backend.init();
    await wallet.updateComplete;
    equal(wallet.shadowRoot!.querySelector('main'), null, 'nothing rendered at first');
    equal(wallet.hasUpdated, false);
    equal(defaultDelay, 300, 'the default delay');

    const heading = await until(() => wallet.shadowRoot!.querySelector('main > section h1'), '"Loading…"');
    ok(performance.now() - connected >= defaultDelay, `"Loading…" after the delay (${(performance.now() - connected).toFixed(0)} ms)`);
    equal(heading.textContent!.trim(), 'Paykey wallet');
    equal(wallet.shadowRoot!.querySelector('main > section [role=status]')?.textContent?.trim(), 'Loading…', 'announced');
    equal(backend.posted.filter((m) => m.type === 'ready').length, 0, 'not ready while loading');

    // The first screen after "Loading…": ready, once, and the title.
    held.resolve({ ...checkoutView });
    await until(() => wallet.shadowRoot!.querySelector('paykey-sign-in'), 'the sign-in screen');
    await until(() => document.title === 'Pay with your passkey – Paykey wallet', 'the title');
    equal(backend.posted.filter((m) => m.type === 'ready').length, 1);
  });

  it('shows the first screen without ever drawing "Loading…" when it comes before the delay, and posts ready once', async () => {
    // Long enough that the first screen (its module loaded by the test server) surely comes before it.
    PaykeyWallet.loadingDelay = 1500;
    backend = installFakeBackend();
    const wallet = walletOn(backend);
    const connected = performance.now();
    const mounting = mount(wallet); // connects it at once (its shadow root with it); its first update comes later
    const texts = recordTexts(wallet);
    await mounting;
    backend.init('en', { layout: 'compact' });
    const signIn = await until(() => wallet.shadowRoot!.querySelector('paykey-sign-in'), 'the sign-in screen');
    await signIn.updateComplete;
    await until(() => document.title === 'Pay with your passkey – Paykey wallet', 'the title');
    equal(document.documentElement.lang, 'en');
    equal(wallet.getAttribute('layout'), 'compact', 'the layout set while nothing was drawn is reflected');

    // Past the delay: its timer draws nothing more, and ready stays single.
    await sleep(PaykeyWallet.loadingDelay + 100 - (performance.now() - connected));
    equal(backend.posted.filter((m) => m.type === 'ready').length, 1, 'ready exactly once');
    ok(texts.length > 0, 'the observer saw the renders');
    equal(texts.filter((t) => t.includes('Loading')).length, 0, `"Loading…" was never drawn: ${JSON.stringify(texts.filter((t) => t.includes('Loading')))}`);
    ok(wallet.shadowRoot!.querySelector('paykey-sign-in'), 'still the sign-in screen');
  });

  it('posts ready in a task of its own: the warm-ups and the brands come in the next, not held in front of the message', async () => {
    backend = installFakeBackend();
    const wallet = await mount(walletOn(backend));
    // Seen from the task that posts ready (its microtasks included): what had been asked for by then.
    let atReady: { warmed: number; brands: number } | undefined;
    const post = backend.deps.channel.post;
    backend.deps.channel.post = (message) => {
      post(message);
      if (message.type === 'ready') queueMicrotask(() => (atReady = { warmed: backend.warmed, brands: backend.calls['GET /brands'] ?? 0 }));
    };
    backend.init();
    await until(() => atReady, 'ready');
    equal(atReady!.warmed, 0, 'the passkey code is not warmed in the task that posts ready');
    equal(atReady!.brands, 0, 'nor are the brands asked for');
    await until(() => backend.warmed === 1 && backend.calls['GET /brands'] === 1, 'the warm-ups, in the next task');
    equal(backend.posted.filter((m) => m.type === 'ready').length, 1);
    ok(wallet.shadowRoot!.querySelector('paykey-sign-in'), 'the sign-in screen');
  });

  it('shows the page\'s body (hidden by frame.html) with its first render, and not before', async () => {
    PaykeyWallet.loadingDelay = 2000;
    const held = new Deferred<unknown>();
    backend = installFakeBackend({ '/checkout': () => held.promise });
    document.body.hidden = true;
    const wallet = await mount(walletOn(backend));
    backend.init();
    await frames(3);
    equal(wallet.hasUpdated, false, 'still nothing drawn');
    equal(document.body.hidden, true, 'the body stays hidden while nothing is drawn');
    held.resolve({ ...checkoutView });
    await until(() => wallet.shadowRoot!.querySelector('paykey-sign-in'), 'the sign-in screen');
    equal(document.body.hidden, false, 'shown with the first screen');
  });

  it('does not report a height before its first render, so the loader keeps its frame until the screen comes', async () => {
    PaykeyWallet.loadingDelay = 2000;
    const held = new Deferred<unknown>();
    backend = installFakeBackend({ '/checkout': () => held.promise });
    const wallet = await mount(walletOn(backend));
    backend.init();
    await frames(3);
    equal(wallet.hasUpdated, false, 'still nothing drawn');
    equal(backend.posted.filter((m) => m.type === 'resize').length, 0, 'no height from the empty host');

    held.resolve({ ...checkoutView });
    await until(() => wallet.shadowRoot!.querySelector('paykey-sign-in'), 'the sign-in screen');
    const resize = await until(() => backend.posted.find((m) => m.type === 'resize'), 'the height of the first screen');
    ok(resize.type === 'resize' && resize.height > 100, `the first screen's height: ${JSON.stringify(resize)}`);
  });

  for (const delay of [0, 2000]) {
    it(`leaves the focus where it is on the first screen, new or returning shopper ("Loading…" ${delay ? 'skipped' : 'drawn'} first)`, async () => {
      PaykeyWallet.loadingDelay = delay;
      const outside = document.createElement('button');
      outside.textContent = "The merchant's button";
      document.body.append(outside);
      try {
        for (const returning of [false, true]) {
          backend = installFakeBackend({ '/sessions': { sessionToken: 'st_1', expiresAt: '2099-01-01T00:00:00Z', shopper: { id: 'sh_1', email: 'ada@example.com' }, cards: [visa4242] } });
          if (returning) await writeWallet({ id: 'sh_1', email: 'ada@example.com' }, [visa4242]);
          outside.focus();
          ok(document.hasFocus(), 'the test page has the focus');
          const wallet = await mount(walletOn(backend));
          equal(wallet.hasUpdated, delay === 0, delay ? 'nothing drawn yet' : '"Loading…" drawn at once');
          backend.init();
          const screen = await until(() => wallet.shadowRoot!.querySelector(returning ? 'paykey-confirm' : 'paykey-sign-in'), 'the first screen');
          await screen.updateComplete;
          await until(() => backend.posted.some((m) => m.type === 'ready'), 'ready');
          await frames(2);
          equal(document.activeElement, outside, `the focus stays on the page (${returning ? 'confirm' : 'sign-in'})`);
          equal(wallet.shadowRoot!.activeElement, null);
          cleanup();
          await clearWallet();
        }
      } finally {
        outside.remove();
      }
    });
  }
});
