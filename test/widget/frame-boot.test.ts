import type { FrameBoot } from '../../widget/frame/boot/frame-boot.ts';
import { EarlyChannel } from '../../widget/frame/early-start.ts';
import { toSealedCheckoutForm } from '../../widget/frame/boot/sealed-checkout-form.ts';
import type { CheckoutAnswer } from '../../widget/shopper-api.ts';
import { deepEqual, equal, ok } from './support/assert.ts';

/**
 * The frame's inline boot, run in a real same-origin iframe whose parent is this test page (the wallet frame's page is
 * the server's stub here): what it says to its parent, what it keeps, and how the frame's channel takes over.
 */
const ORIGIN = location.origin;
const init = { paykey: 1, type: 'init', clientSecret: 'pi_boot1_secret_a', locale: 'en' };

let frame: HTMLIFrameElement;
let received: Array<{ data: unknown; fromFrame: boolean }>;
const onMessage = (event: MessageEvent) => received.push({ data: event.data, fromFrame: event.source === frame.contentWindow });

async function openFrame(origin: string | null): Promise<Window> {
  frame = document.createElement('iframe');
  frame.src = `/frame/pi_boot1${origin === null ? '' : `?origin=${encodeURIComponent(origin)}`}`;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await loaded;
  return frame.contentWindow!;
}

/** Runs the boot in the frame's own realm, as the page's inline script does (what it posts comes from the frame). */
async function bootIn(win: Window): Promise<FrameBoot> {
  const script = win.document.createElement('script');
  script.type = 'module';
  script.src = '/widget/frame/boot/inline-boot.ts';
  const ran = new Promise((resolve, reject) => {
    script.addEventListener('load', resolve, { once: true });
    script.addEventListener('error', reject, { once: true });
  });
  win.document.head.append(script);
  await ran;
  ok(win.paykeyBoot, 'the boot ran');
  return win.paykeyBoot;
}

/** The checkout of the frame's intent, as `POST /api/frame/checkout` answers it. */
const checkout: CheckoutAnswer = {
  paymentIntentId: 'pi_boot1',
  amount: 1999,
  currency: 'USD',
  currencyDigits: 2,
  description: null,
  payee: 'Demo Shop',
  status: 'requires_confirmation',
  lastError: null,
  payByBank: null,
};

/**
 * Puts `answer` into the frame page sealed to `clientSecret`, as the wallet server does (`sealToClientSecret`:
 * AES-256-GCM under SHA-256 of the secret, base64 of nonce ‖ ciphertext ‖ tag; the short form, `toSealedCheckoutForm`).
 */
async function sealInto(win: Window, clientSecret: string, answer: CheckoutAnswer = checkout): Promise<void> {
  const key = await crypto.subtle.importKey('raw', await crypto.subtle.digest('SHA-256', new TextEncoder().encode(clientSecret)), 'AES-GCM', false, ['encrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const text = new TextEncoder().encode(JSON.stringify(toSealedCheckoutForm(answer)));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, text));
  win.document.body.dataset.checkout = btoa(String.fromCharCode(...iv, ...sealed));
}

/** Lets messages posted so far be delivered. */
const delivered = () => new Promise((resolve) => setTimeout(resolve, 50));

/** Waits (at most 3 s) until `done()` holds: a message in flight, a download that fails. The assertion after says what was missing. */
async function settle(done: () => boolean): Promise<void> {
  for (const start = performance.now(); !done() && performance.now() - start < 3000; ) await new Promise((resolve) => setTimeout(resolve, 20));
}

const unavailable = (r: { data: unknown }) => (r.data as { code?: string }).code === 'frame_unavailable';

// Every test listens on this page (the frame's parent) from a clean slate, and closes its frame.
beforeEach(() => {
  received = [];
  addEventListener('message', onMessage);
});
afterEach(() => {
  removeEventListener('message', onMessage);
  frame?.remove();
});

/**
 * Replaces the frame's `fetch` with one that records each request (on the frame's `asked`) and answers `{ answered: n }`
 * with n the request's number; returns the record. A classic script, so it runs at once in the frame's own realm.
 */
function recordFetches(win: Window): Array<{ url: string; method?: string; body?: unknown; credentials?: string }> {
  const script = win.document.createElement('script');
  script.textContent = `window.asked = [];
    window.fetch = async (url, init = {}) => {
      asked.push({ url: String(url), method: init.method, body: init.body, credentials: init.credentials });
      return new Response(JSON.stringify({ answered: asked.length }), { headers: { 'content-type': 'application/json' } });
    };`;
  win.document.head.append(script);
  return (win as Window & { asked: Array<{ url: string }> }).asked;
}

describe('frame boot', () => {
  it("says loaded at once, to the origin of the page's parameter only", async () => {
    const boot = await bootIn(await openFrame(ORIGIN));
    equal(boot.loaded, true);
    await settle(() => received.length > 0);
    deepEqual(received, [{ data: { paykey: 1, type: 'loaded' }, fromFrame: true }]);
  });

  it('stays silent without an origin parameter, or with one that is not this page', async () => {
    const silent = await bootIn(await openFrame(null));
    equal(silent.loaded, false);
    frame.remove();
    const elsewhere = await bootIn(await openFrame('https://shop.example'));
    equal(elsewhere.loaded, true, 'posted, but the browser delivers it only to that origin');
    await delivered();
    deepEqual(received, []);
  });

  it('keeps what its parent sends at that origin until stopped, and nothing else', async () => {
    const win = await openFrame(ORIGIN);
    const boot = await bootIn(win);
    win.dispatchEvent(new MessageEvent('message', { data: init, origin: 'https://evil.example', source: window }));
    win.dispatchEvent(new MessageEvent('message', { data: init, origin: ORIGIN, source: win })); // the frame itself
    win.dispatchEvent(new MessageEvent('message', { data: init, origin: ORIGIN, source: null }));
    win.postMessage(init, ORIGIN); // this page: the frame's parent
    await settle(() => boot.kept.length > 0);
    equal(boot.kept.length, 1, 'only the parent, at the origin of the parameter');
    deepEqual(boot.kept[0]!.data, init);
    boot.stop();
    win.postMessage({ ...init, clientSecret: 'pi_boot1_secret_late' }, ORIGIN);
    await delivered();
    equal(boot.kept.length, 1, 'nothing kept once stopped');
  });

  it("opens the page's sealed checkout with the first init of the frame's own intent, before any module runs, and asks nothing", async () => {
    const win = await openFrame(ORIGIN);
    await sealInto(win, 'pi_boot1_secret_a');
    const asked = recordFetches(win);
    const boot = await bootIn(win);
    win.postMessage({ paykey: 1, type: 'hello' }, ORIGIN);
    win.postMessage({ ...init, clientSecret: 'pi_other_secret_a' }, ORIGIN); // another intent than the frame's URL names
    win.postMessage(init, ORIGIN);
    win.postMessage({ ...init, clientSecret: 'pi_boot1_secret_b' }, ORIGIN);
    await settle(() => boot.kept.length > 3);
    equal(boot.checkout?.clientSecret, 'pi_boot1_secret_a');
    deepEqual(JSON.parse(new TextDecoder().decode(await boot.checkout!.json)), toSealedCheckoutForm(checkout));
    equal(win.document.body.dataset.checkout, undefined, 'the sealed checkout left the page as it was opened');
    deepEqual(asked, []);
  });

  it('cannot open the checkout with another secret of the same intent: its tag fails', async () => {
    const win = await openFrame(ORIGIN);
    await sealInto(win, 'pi_boot1_secret_a');
    const boot = await bootIn(win);
    win.postMessage({ ...init, clientSecret: 'pi_boot1_secret_b' }, ORIGIN);
    await settle(() => boot.kept.length > 0);
    const failure = await boot.checkout!.json.then(() => null, (e: unknown) => e);
    equal((failure as Error | null)?.name, 'OperationError');
  });

  it('tells the loader frame_unavailable when a script of the page cannot be downloaded', async () => {
    const win = await openFrame(ORIGIN);
    await bootIn(win);
    addToFrame(win, 'script', { type: 'module', src: '/no-such-frame-module.js' });
    await settle(() => received.some(unavailable));
    deepEqual(received.at(-1), {
      data: { paykey: 1, type: 'error', code: 'frame_unavailable', message: 'The Paykey wallet did not load.' },
      fromFrame: true,
    });
  });
});

/** Adds a `<script>` or `<link>` to the frame's head (the test's stub page has no CSP). */
function addToFrame(win: Window, tag: 'script' | 'link', props: Record<string, string>) {
  win.document.head.append(Object.assign(win.document.createElement(tag), props));
}

/** Runs `code` as a module script in the frame. */
const runInFrame = (win: Window, code: string) => addToFrame(win, 'script', { type: 'module', textContent: code });

describe('frame boot, before the module has run', () => {
  it('tells the loader frame_unavailable, once, when a script throws as it is compiled or run', async () => {
    const win = await openFrame(ORIGIN);
    await bootIn(win);
    runInFrame(win, 'let a = ;'); // what a browser without the module's syntax meets
    runInFrame(win, "throw new Error('boom')");
    await settle(() => received.some(unavailable));
    await delivered();
    equal(received.filter(unavailable).length, 1);
  });

  it('leaves what fails once the module has run to the wallet: nothing from the boot', async () => {
    const win = await openFrame(ORIGIN);
    (await bootIn(win)).ran();
    runInFrame(win, "throw new Error('boom')");
    addToFrame(win, 'script', { src: '/no-such-later-script.js' });
    await delivered();
    await delivered();
    equal(received.filter(unavailable).length, 0);
  });

  it('does not count a preload link that fails (the flow loads that screen again)', async () => {
    const win = await openFrame(ORIGIN);
    await bootIn(win);
    addToFrame(win, 'link', { rel: 'modulepreload', href: '/no-such-screen.js' });
    await delivered();
    await delivered();
    equal(received.filter(unavailable).length, 0);
  });
});

describe("the frame's channel after the boot", () => {
  let win: Window;
  let boot: FrameBoot;
  beforeEach(async () => {
    win = await openFrame(ORIGIN);
    boot = await bootIn(win);
  });

  it("hands the kept init to its handlers, checked as its own, and does not say loaded again", async () => {
    win.dispatchEvent(new MessageEvent('message', { data: { paykey: 1, type: 'hello' }, origin: ORIGIN, source: window }));
    win.postMessage(init, ORIGIN);
    await settle(() => boot.kept.length > 1);
    equal(boot.kept.length, 2);
    const channel = new EarlyChannel(boot, win);
    const got: string[] = [];
    channel.onInit((m) => got.push(m.clientSecret));
    await Promise.resolve();
    deepEqual(got, ['pi_boot1_secret_a'], 'the malformed message is dropped, the init handed over');
    channel.post({ type: 'loaded' });
    channel.post({ type: 'ready' });
    await settle(() => received.length > 1);
    deepEqual(
      received.map((r) => r.data),
      [{ paykey: 1, type: 'loaded' }, { paykey: 1, type: 'ready' }],
      "the boot's loaded, then ready: loaded goes once",
    );
    win.postMessage({ ...init, clientSecret: 'pi_boot1_secret_b' }, ORIGIN);
    await settle(() => got.length > 1);
    equal(boot.kept.length, 2, 'the boot keeps nothing more: the channel listens');
    deepEqual(got, ['pi_boot1_secret_a', 'pi_boot1_secret_b']);
  });

  /** Imports the frame's module in the frame and asks its API client for the checkout of `clientSecret`. */
  async function moduleCheckout(clientSecret: string): Promise<unknown> {
    runInFrame(
      win,
      `const { earlyStart } = await import('/widget/frame/early-start.ts');
       window.answer = await earlyStart.api.checkout(${JSON.stringify(clientSecret)});`,
    );
    const frameWindow = win as Window & { answer?: unknown };
    await settle(() => frameWindow.answer !== undefined);
    return frameWindow.answer;
  }

  it("takes the checkout the boot opened, made whole again (what POST /checkout answers): no request leaves", async () => {
    await sealInto(win, 'pi_boot1_secret_a');
    const asked = recordFetches(win);
    win.postMessage(init, ORIGIN);
    await settle(() => boot.kept.length > 0);
    deepEqual(await moduleCheckout('pi_boot1_secret_a'), checkout);
    deepEqual(asked, []);
  });

  it('asks the server when the sealed checkout does not open with the secret that came', async () => {
    await sealInto(win, 'pi_boot1_secret_other');
    const asked = recordFetches(win);
    win.postMessage(init, ORIGIN);
    await settle(() => boot.kept.length > 0);
    deepEqual(await moduleCheckout('pi_boot1_secret_a'), { answered: 1 });
    deepEqual(asked, [{ url: '/api/frame/checkout', method: 'POST', body: '{"client_secret":"pi_boot1_secret_a"}', credentials: 'omit' }]);
  });

  it('asks the server when the page holds no sealed checkout', async () => {
    const asked = recordFetches(win);
    win.postMessage(init, ORIGIN);
    await settle(() => boot.kept.length > 0);
    equal(boot.checkout, undefined);
    deepEqual(await moduleCheckout('pi_boot1_secret_a'), { answered: 1 });
    equal(asked.length, 1);
  });

  it('without a boot, says loaded itself', async () => {
    const channel = new EarlyChannel(undefined, win);
    channel.post({ type: 'loaded' });
    channel.post({ type: 'loaded' });
    const loaded = () => received.filter((r) => (r.data as { type?: string }).type === 'loaded');
    await settle(() => loaded().length > 1);
    await delivered();
    equal(loaded().length, 2, "the boot's, and the channel's own once");
  });
});
