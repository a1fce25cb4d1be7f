/**
 * Clickjacking guard of the Pay button (`VisibilityGuard`), in real Chromium with its real IntersectionObserver v2:
 * a Pay press is refused while the button is transparent or covered, and ignored for a moment after it appears,
 * becomes visible again, or the frame changes size. (Cross-origin, through the real loader: test/e2e/obscured-frame.test.ts.)
 */
import { setViewport } from '@web/test-runner-commands';
import { PaykeyConfirm } from '../../widget/frame/confirm/paykey-confirm.ts';
import { VisibilityGuard } from '../../widget/frame/confirm/visibility-guard.ts';
import '../../widget/frame/app/paykey-wallet.ts';
import { writeWallet } from '../../widget/frame/storage/wallet-cache.ts';
import { deepEqual, equal, ok } from './support/assert.ts';
import { byRole, cleanup, mount, pressable } from './support/dom.ts';
import { installFakeBackend, termsFor, until, walletOn } from './support/fake-wallet-backend.ts';
import { checkoutView, savedCard, visa4242 } from './support/fixtures.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Longer than IntersectionObserver v2's reporting delay (100 ms) plus a frame or two. */
const observed = () => sleep(250);

async function confirmScreen() {
  const el = await mount(Object.assign(new PaykeyConfirm(), { checkout: checkoutView, cards: [savedCard('c1', 'visa', '4242')], selectedId: 'c1', terms: termsFor('c1') }));
  const seen: string[] = [];
  el.addEventListener('paykey-pay', () => seen.push('pay'));
  el.addEventListener('paykey-pay-obscured', () => seen.push('obscured'));
  return { el, seen, pay: () => byRole(el, 'button', /^Pay/) };
}

describe('Pay against clickjacking', () => {
  const covers: Element[] = [];
  afterEach(async () => {
    cleanup();
    for (const c of covers.splice(0)) c.remove();
    await setViewport({ width: 800, height: 600 });
  });

  it('runs where IntersectionObserver v2 reports visibility (Chromium)', () => {
    ok('isVisible' in IntersectionObserverEntry.prototype, 'IntersectionObserverEntry.isVisible');
    equal(VisibilityGuard.settleMs, 600);
  });

  it(`ignores a press in the first ${VisibilityGuard.settleMs} ms after Pay appears (aria-disabled meanwhile), then pays`, async () => {
    const { el, seen, pay } = await confirmScreen();
    equal(pay().getAttribute('aria-disabled'), 'true', 'not pressable yet');
    pay().click();
    await observed();
    pay().click();
    deepEqual(seen, [], 'both presses came too early');
    const started = performance.now();
    (await pressable(el, /^Pay/)).click();
    deepEqual(seen, ['pay']);
    ok(performance.now() - started > 200, 'pressable only once the moment has passed');
  });

  it('refuses Pay as paykey-pay-obscured while the element is nearly transparent (opacity 0.001)', async () => {
    const { el, seen, pay } = await confirmScreen();
    await pressable(el, /^Pay/);
    el.style.opacity = '0.001';
    await observed();
    pay().click();
    deepEqual(seen, ['obscured']);
    equal(pay().getAttribute('aria-disabled'), 'false', 'pressable, so the press is answered with a reason');
  });

  it('refuses Pay while another element covers it, even one letting clicks through (pointer-events: none)', async () => {
    const { el, seen, pay } = await confirmScreen();
    await pressable(el, /^Pay/);
    const cover = document.createElement('div');
    const r = pay().getBoundingClientRect();
    Object.assign(cover.style, { position: 'fixed', left: `${r.left}px`, top: `${r.top}px`, width: `${r.width}px`, height: `${r.height}px`, background: '#fff', pointerEvents: 'none' });
    covers.push(cover);
    document.body.append(cover);
    await observed();
    pay().click();
    deepEqual(seen, ['obscured']);
  });

  it('pays when Pay is in full view and only "Add card" below it is cut off by the bottom of the window', async () => {
    const { el, seen, pay } = await confirmScreen();
    await pressable(el, /^Pay/);
    const payBottom = pay().getBoundingClientRect().bottom;
    const addCard = byRole(el, 'button', 'Add card').getBoundingClientRect();
    ok(addCard.top > payBottom + 4, `"Add card" below Pay (${addCard.top} > ${payBottom} + 4)`);
    // Where Tab leaves a control it scrolls into view: Pay at the window's bottom edge, what follows it out of view.
    await setViewport({ width: 800, height: Math.ceil(payBottom) + 2 });
    await observed();
    (await pressable(el, /^Pay/)).click();
    deepEqual(seen, ['pay']);
  });

  it('refuses Pay when the bottom of the window cuts Pay itself, brings it into view, and pays once it has settled there', async () => {
    const { el, seen, pay } = await confirmScreen();
    await pressable(el, /^Pay/);
    const r = pay().getBoundingClientRect();
    await setViewport({ width: 800, height: Math.floor(r.top + r.height / 2) });
    await observed();
    (await pressable(el, /^Pay/)).click();
    deepEqual(seen, ['obscured']);
    const after = pay().getBoundingClientRect();
    ok(after.top >= 0 && after.bottom <= innerHeight, `Pay in view after the refused press: ${after.top}–${after.bottom} of ${innerHeight}`);
    await until(() => pay().getAttribute('aria-disabled') === 'true', 'Pay settling in view');
    (await pressable(el, /^Pay/)).click();
    deepEqual(seen, ['obscured', 'pay']);
  });

  it('ignores a press right after the element becomes visible again, and pays a moment later', async () => {
    const { el, seen, pay } = await confirmScreen();
    await pressable(el, /^Pay/);
    el.style.opacity = '0.001';
    await observed();
    el.style.opacity = '';
    await until(() => pay().getAttribute('aria-disabled') === 'true', 'Pay settling after it became visible');
    pay().click();
    deepEqual(seen, [], 'too soon after becoming visible');
    (await pressable(el, /^Pay/)).click();
    deepEqual(seen, ['pay']);
  });

  it('ignores a press right after the frame changes size', async () => {
    const { el, seen, pay } = await confirmScreen();
    await pressable(el, /^Pay/);
    await setViewport({ width: 700, height: 600 });
    await until(() => pay().getAttribute('aria-disabled') === 'true', 'Pay settling after the resize');
    pay().click();
    deepEqual(seen, [], 'too soon after the resize');
    (await pressable(el, /^Pay/)).click();
    deepEqual(seen, ['pay']);
  });
});

describe('paykey-wallet: Pay pressed while obscured', () => {
  let backend: ReturnType<typeof installFakeBackend>;
  afterEach(() => {
    cleanup();
    backend.restore();
  });

  it('says why in the alert, tells the merchant page frame_obscured, and asks nothing of the passkey or the server', async () => {
    backend = installFakeBackend();
    await writeWallet({ id: 'sh_1', email: 'ada@example.com' }, [visa4242]);
    const wallet = await mount(walletOn(backend));
    backend.init();
    const confirm = await until(() => wallet.shadowRoot!.querySelector('paykey-confirm'), 'the confirm screen');
    const pay = await pressable(confirm, /^Pay \$19\.99/);
    wallet.style.opacity = '0.001';
    await observed();
    pay.click();
    await wallet.updateComplete;
    const message = 'Pay was hidden or covered, so nothing was paid. Make it fully visible and press it again.';
    equal(wallet.shadowRoot!.querySelector('main > [role=alert]')!.textContent!.trim(), message);
    deepEqual(backend.posted.filter((m) => m.type === 'error'), [{ paykey: 1, type: 'error', code: 'frame_obscured', message }]);
    equal(backend.calls['/confirmations/options'], undefined, 'no server call');
    equal(backend.passkeys.length, 0, 'no passkey prompt');
  });
});
