import { PaykeyCheckout } from '../../widget/loader/paykey-checkout.ts';
import '../../widget/loader/paykey.ts';
import { deepEqual, equal, ok } from './support/assert.ts';

const SECRET = 'pi_TEST123_secret_abcDEF456';
const walletOrigin = location.origin; // the loader module is served from the test server
const nextTask = () => new Promise((r) => setTimeout(r, 20));

const cleanups: Array<() => void> = [];

/** Mounts <paykey-checkout> inside another shadow root and records every paykey-* event reaching the document. */
async function embed(secret = SECRET, attrs: Record<string, string> = {}, parent?: HTMLElement) {
  const events: CustomEvent[] = [];
  const record = (e: Event) => events.push(e as CustomEvent);
  const types = ['paykey-ready', 'paykey-success', 'paykey-processing', 'paykey-error', 'paykey-cancel'];
  for (const t of types) document.addEventListener(t, record);
  const outer = document.createElement('div');
  const shadow = outer.attachShadow({ mode: 'open' });
  (parent ?? document.body).append(outer);
  const el = document.createElement('paykey-checkout');
  el.setAttribute('locale', 'en');
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  el.setAttribute('client-secret', secret);
  shadow.append(el);
  cleanups.push(() => {
    for (const t of types) document.removeEventListener(t, record);
    outer.remove();
    parent?.remove();
  });
  return { el, events };
}

function frameOf(el: PaykeyCheckout): HTMLIFrameElement {
  const frame = el.shadowRoot!.querySelector('iframe');
  ok(frame, 'an iframe');
  return frame;
}

function post(data: unknown, origin: string, source: MessageEventSource | null) {
  window.dispatchEvent(new MessageEvent('message', { data, origin, source }));
}

describe('<paykey-checkout>', () => {
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
    PaykeyCheckout.loadTimeout = 15000;
  });

  it('is defined and typed', () => {
    ok(document.createElement('paykey-checkout') instanceof PaykeyCheckout);
  });

  it('creates the wallet iframe without the client secret in its URL', async () => {
    const { el } = await embed();
    const frame = frameOf(el);
    equal(frame.title, 'Paykey checkout');
    equal(frame.getAttribute('allow'), 'publickey-credentials-get; publickey-credentials-create; payment');
    const src = new URL(frame.src);
    equal(src.origin, walletOrigin);
    equal(src.pathname, '/frame/pi_TEST123');
    equal(src.searchParams.get('origin'), location.origin);
    equal(src.searchParams.get('locale'), 'en');
    equal(frame.src.includes('secret'), false, 'no secret in the frame URL');
  });

  it('fires paykey-error invalid_client_secret for a malformed secret, without an iframe', async () => {
    const { el, events } = await embed('not-a-secret');
    equal(el.shadowRoot!.querySelector('iframe'), null);
    equal(events.length, 1);
    equal(events[0].type, 'paykey-error');
    equal(events[0].detail.code, 'invalid_client_secret');
    ok(events[0].bubbles && events[0].composed, 'bubbles and crosses shadow roots');
  });

  it('waits for a client secret set after the element is connected, without an error', async () => {
    const { el, events } = await embed('');
    equal(el.shadowRoot!.querySelector('iframe'), null);
    el.setAttribute('client-secret', SECRET);
    equal(new URL(frameOf(el).src).pathname, '/frame/pi_TEST123');
    deepEqual(events, []);
  });

  it('ignores messages from another origin, another window, or outside the protocol', async () => {
    const { el, events } = await embed();
    const frame = frameOf(el);
    post({ paykey: 1, type: 'success', paymentIntentId: 'pi_TEST123', status: 'succeeded' }, 'https://evil.example', frame.contentWindow);
    post({ paykey: 1, type: 'ready' }, `${walletOrigin}.evil.example`, frame.contentWindow);
    post({ paykey: 1, type: 'ready' }, walletOrigin, window);
    post({ paykey: 1, type: 'ready' }, walletOrigin, null);
    post({ paykey: 2, type: 'ready' }, walletOrigin, frame.contentWindow);
    post({ paykey: 1, type: 'error', code: 7 }, walletOrigin, frame.contentWindow);
    post('{"paykey":1,"type":"ready"}', walletOrigin, frame.contentWindow);
    await nextTask();
    deepEqual(events.map((e) => e.type), [], 'no events');
  });

  it('relays ready, resize, success, error and cancel from its own frame', async () => {
    const { el, events } = await embed();
    const frame = frameOf(el);
    const w = frame.contentWindow;
    post({ paykey: 1, type: 'ready' }, walletOrigin, w);
    post({ paykey: 1, type: 'resize', height: 412.4 }, walletOrigin, w);
    post({ paykey: 1, type: 'error', code: 'card_declined', message: 'Declined' }, walletOrigin, w);
    post({ paykey: 1, type: 'success', paymentIntentId: 'pi_TEST123', status: 'succeeded' }, walletOrigin, w);
    post({ paykey: 1, type: 'cancel' }, walletOrigin, w);
    await nextTask();
    deepEqual(events.map((e) => e.type), ['paykey-ready', 'paykey-error', 'paykey-success', 'paykey-cancel']);
    deepEqual(events[1].detail, { code: 'card_declined', message: 'Declined' });
    deepEqual(events[2].detail, { paymentIntentId: 'pi_TEST123', status: 'succeeded' });
    ok(events.every((e) => e.bubbles && e.composed));
    equal(frame.style.height, '413px');
  });

  it('relays processing as paykey-processing, only from its own frame at the exact wallet origin', async () => {
    const { el, events } = await embed();
    const w = frameOf(el).contentWindow;
    const processing = { paykey: 1, type: 'processing', paymentIntentId: 'pi_TEST123', status: 'processing' };
    post(processing, 'https://evil.example', w);
    post(processing, `${walletOrigin}.evil.example`, w);
    post(processing, walletOrigin.replace(/:\d+$/, ''), w);
    post(processing, walletOrigin, window);
    post(processing, walletOrigin, null);
    post({ ...processing, status: undefined }, walletOrigin, w);
    post({ ...processing, paymentIntentId: 42 }, walletOrigin, w);
    await nextTask();
    deepEqual(events, [], 'nothing from elsewhere, nothing malformed');
    post(processing, walletOrigin, w);
    post({ ...processing, status: 'requires_review' }, walletOrigin, w);
    await nextTask();
    deepEqual(events.map((e) => [e.type, e.detail]), [
      ['paykey-processing', { paymentIntentId: 'pi_TEST123', status: 'processing' }],
      ['paykey-processing', { paymentIntentId: 'pi_TEST123', status: 'requires_review' }],
    ]);
    ok(events.every((e) => e.bubbles && e.composed), 'bubbles and crosses shadow roots');
  });

  it('answers loaded with init, sent only to the wallet origin', async () => {
    const { el } = await embed();
    const frame = frameOf(el);
    await new Promise((r) => frame.addEventListener('load', r, { once: true }));
    const received: MessageEvent[] = [];
    frame.contentWindow!.addEventListener('message', (e) => received.push(e));
    post({ paykey: 1, type: 'loaded' }, walletOrigin, frame.contentWindow);
    await nextTask();
    equal(received.length, 1);
    deepEqual(received[0].data, { paykey: 1, type: 'init', clientSecret: SECRET, locale: 'en', dir: 'ltr', layout: 'comfortable' });
    equal(received[0].origin, location.origin);
  });

  it('fires frame_unavailable when the frame never says loaded', async () => {
    PaykeyCheckout.loadTimeout = 50;
    const { events } = await embed();
    await new Promise((r) => setTimeout(r, 120));
    deepEqual(events.map((e) => [e.type, e.detail?.code]), [['paykey-error', 'frame_unavailable']]);
  });

  it('fires frame_unavailable within a second when the frame page loads without saying loaded (a refused page)', async () => {
    // The test server answers /frame/* with an empty page: loaded as a document, silent as a wallet.
    const { el, events } = await embed();
    await new Promise((r) => frameOf(el).addEventListener('load', r, { once: true }));
    equal(events.length, 0, 'not before the grace period');
    await new Promise((r) => setTimeout(r, 1200));
    deepEqual(events.map((e) => [e.type, e.detail?.code]), [['paykey-error', 'frame_unavailable']]);
  });

  it('does not time out once the frame has loaded', async () => {
    PaykeyCheckout.loadTimeout = 80;
    const { el, events } = await embed();
    post({ paykey: 1, type: 'loaded' }, walletOrigin, frameOf(el).contentWindow);
    await new Promise((r) => setTimeout(r, 150));
    deepEqual(events, []);
  });

  describe('appearance', () => {
    /** The init message the frame receives once it says `loaded`. */
    async function initOf(el: PaykeyCheckout): Promise<Record<string, unknown>> {
      const frame = frameOf(el);
      await new Promise((r) => frame.addEventListener('load', r, { once: true }));
      const received: MessageEvent[] = [];
      frame.contentWindow!.addEventListener('message', (e) => received.push(e));
      post({ paykey: 1, type: 'loaded' }, walletOrigin, frame.contentWindow);
      await nextTask();
      equal(received.length, 1);
      return received[0].data;
    }

    it('sends the frame only the secret, locale, direction and a layout from its closed list', async () => {
      const { el } = await embed(SECRET, {
        layout: 'compact',
        style: 'color: red',
        'primary-color': '#ff0000',
        payee: 'Someone Else',
        amount: '1',
        'bank-name': 'Fake Bank',
        theme: 'dark',
      });
      deepEqual(await initOf(el), { paykey: 1, type: 'init', clientSecret: SECRET, locale: 'en', dir: 'ltr', layout: 'compact' });
      equal(frameOf(el).src.includes('Someone'), false, 'nor in the frame URL');
      equal(new URL(frameOf(el).src).search, `?origin=${encodeURIComponent(location.origin)}&locale=en`);
    });

    it('sends comfortable for a layout outside the list', async () => {
      const { el } = await embed(SECRET, { layout: 'font-size:0' });
      equal((await initOf(el)).layout, 'comfortable');
    });

    it('passes the page’s writing direction, or the element’s own dir', async () => {
      const rtlPage = document.createElement('section');
      rtlPage.dir = 'rtl';
      document.body.append(rtlPage);
      const { el } = await embed(SECRET, {}, rtlPage);
      equal((await initOf(el)).dir, 'rtl', 'inherited from an ancestor, through a shadow root');
      const another = document.createElement('section');
      another.dir = 'rtl';
      document.body.append(another);
      const { el: own } = await embed(SECRET, { dir: 'ltr' }, another);
      equal((await initOf(own)).dir, 'ltr', 'the element’s own dir wins');
    });

    it('takes max-width as a length, ignoring anything else', async () => {
      const { el } = await embed(SECRET, { 'max-width': '480px' });
      equal(frameOf(el).style.maxWidth, '480px');
      el.setAttribute('max-width', '30rem');
      equal(frameOf(el).style.maxWidth, '30rem', 'changed without a new frame');
      el.setAttribute('max-width', '100px; opacity: 0');
      equal(frameOf(el).style.maxWidth, '');
      equal(frameOf(el).style.opacity, '');
    });

    it('exposes the iframe as ::part(frame) for margins, borders and shadow', async () => {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync('paykey-checkout::part(frame) { border: 3px solid rgb(1, 2, 3); border-radius: 12px; margin-top: 7px; }');
      const { el } = await embed();
      const root = el.getRootNode() as ShadowRoot;
      root.adoptedStyleSheets = [sheet];
      const style = getComputedStyle(frameOf(el));
      equal(style.borderTopColor, 'rgb(1, 2, 3)');
      equal(style.borderTopWidth, '3px');
      equal(style.borderTopLeftRadius, '12px');
      equal(style.marginTop, '7px');
    });

    it('a new layout or direction means a new frame, initialised with it', async () => {
      const { el } = await embed();
      const first = frameOf(el);
      el.setAttribute('layout', 'compact');
      const second = frameOf(el);
      ok(first !== second && !first.isConnected, 'the old frame is gone');
      equal((await initOf(el)).layout, 'compact');
    });
  });
});
