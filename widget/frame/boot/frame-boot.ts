/**
 * The frame's first script: inlined in `frame.html`'s head at build (`widget/build/inline-frame-boot.ts`; the frame's
 * CSP allows exactly it by its hash), so it runs as the page is parsed, while the frame's one module still downloads.
 * It tells the loader `loaded` at once, so the loader's `init` with the client secret travels while that module
 * downloads and evaluates; it opens the checkout the page holds sealed to that secret at once (`boot-checkout.ts`),
 * and it keeps what the loader sends until the module's channel (`early-start.ts`) takes it. Of what it keeps it reads
 * only the client secret of the first init: the channel checks every message as it checks its own.
 *
 * It imports nothing but the sealed checkout's opening (`boot-checkout.ts`) and stays well under a kilobyte: the
 * frame page is never cached, so every load downloads it.
 */
import type { FrameToParentMessage } from '../../protocol.ts';
import { openCheckout, type BootCheckout } from './boot-checkout.ts';

/** What the boot leaves on `window.paykeyBoot` for the frame's module. */
export interface FrameBoot {
  /** Said `loaded` to the embedding page (false when the page names no origin, or the frame has no parent). */
  readonly loaded: boolean;
  /** Messages the embedding page sent before the module listened: exact origin and parent window only. */
  readonly kept: MessageEvent[];
  /** The checkout the page holds, opened with the first `init` of the frame's intent (`open`); the module takes it. */
  checkout?: BootCheckout;
  /** Opens the page's checkout with `data` if it is the first `init` of the frame's intent to come (the boot's, or the module's). */
  open(data: unknown): void;
  /** The module listens from now on: nothing more is kept. */
  stop(): void;
  /** The module has run to its end: what fails from now on is for its own code to report. */
  ran(): void;
}

/** What the loader gets when the frame's module cannot be downloaded or run. */
const UNAVAILABLE: FrameToParentMessage = { paykey: 1, type: 'error', code: 'frame_unavailable', message: 'The Paykey wallet did not load.' };

/**
 * Starts the frame in `win`: keeps the parent's messages, says `loaded` to the origin in the page's `origin` parameter
 * (which the server checked against the merchant's allowed origins before serving the page), and, until the module
 * has run, reports `frame_unavailable` once if it cannot: a script that fails to download, or an error thrown as one
 * is compiled or run (a browser without the syntax the module needs, say). The loader has `loaded` already, so
 * without that it would wait for nothing.
 */
export function bootFrame(win: Window): FrameBoot {
  const origin = new URLSearchParams(win.location.search).get('origin');
  const kept: MessageEvent[] = [];
  const post = (message: FrameToParentMessage): boolean => {
    if (!origin || win.parent === win) return false;
    try {
      win.parent.postMessage(message, origin);
      return true;
    } catch {
      return false; // An unparseable origin throws SyntaxError: there is nobody we may talk to.
    }
  };
  const keep = (event: MessageEvent) => {
    if (event.origin !== origin || event.source !== win.parent) return;
    kept.push(event);
    boot.open(event.data);
  };
  // A script's failed download fires `error` on its element, which does not bubble: seen while captured. A script
  // error is an `ErrorEvent` (it has a `message`); a preload link's failure is neither, and the flow handles it.
  const failed = (event: Event) => {
    if ((event.target as Node | null)?.nodeName !== 'SCRIPT' && !('message' in event)) return;
    ran();
    post(UNAVAILABLE);
  };
  const ran = () => win.removeEventListener('error', failed, true);
  win.addEventListener('message', keep);
  win.addEventListener('error', failed, true);
  const boot: FrameBoot = {
    loaded: post({ paykey: 1, type: 'loaded' }),
    kept,
    open: (data) => (boot.checkout ??= openCheckout(win, data)),
    stop: () => win.removeEventListener('message', keep),
    ran,
  };
  return boot;
}

declare global {
  interface Window {
    /** Set by the boot inlined in `frame.html` (absent in tests that mount the wallet themselves). */
    paykeyBoot?: FrameBoot;
  }
}
