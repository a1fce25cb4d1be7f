/**
 * The cut every weight measurement makes: what the wallet frame had loaded at the moment it posted `ready` to the
 * loader. An init script (for `page.addInitScript`) that, on the merchant page, calls `binding` when `paykey-ready`
 * fires there; and in the wallet's frame, wraps `parent.postMessage` so the frame's Resource Timing is noted in
 * `window[readyState]` as `{ document, loaded }` when it posts `ready`. The frame starts its passkey code right after
 * posting `ready`; that fetch can finish before the merchant page hears of it, so the frame's own moment is the exact cut.
 *
 * A string, not a function: tsx would wrap named functions inside in a helper the browser does not have.
 */
export function frameReadyCutScript(wallet: string, binding: string, readyState: string): string {
  return `(() => {
    const binding = ${JSON.stringify(binding)};
    const readyState = ${JSON.stringify(readyState)};
    if (location.origin !== ${JSON.stringify(wallet)}) {
      window.addEventListener('paykey-ready', () => window[binding](), { capture: true, once: true });
      return;
    }
    // The wallet frame: \`parent\` is [Replaceable]; a stand-in notes what has loaded when \`ready\` is posted.
    const real = window.parent;
    const postMessage = (message, targetOrigin) => {
      if (message && message.type === 'ready' && !window[readyState]) {
        window[readyState] = { document: location.href, loaded: performance.getEntriesByType('resource').map((e) => e.name) };
      }
      real.postMessage(message, targetOrigin);
    };
    const stand = new Proxy(real, { get: (target, key) => (key === 'postMessage' ? postMessage : Reflect.get(target, key)) });
    Object.defineProperty(window, 'parent', { configurable: true, value: stand });
    // The frame reads only messages whose source is its parent: the parent's messages name the stand-in as source.
    const source = Object.getOwnPropertyDescriptor(MessageEvent.prototype, 'source');
    Object.defineProperty(MessageEvent.prototype, 'source', {
      configurable: true,
      get() {
        const from = source.get.call(this);
        return from === real ? stand : from;
      },
    });
  })();`;
}

/** What the wallet frame had finished loading when it posted `ready` (recorded inside the frame). */
export interface FrameReady {
  document: string;
  loaded: string[];
}
