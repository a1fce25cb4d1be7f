/**
 * Entry of the wallet frame (`frame.html`): small, so it runs as soon as it arrives. It opens the channel to the loader
 * (`early-start.ts`: `loaded` now, the checkout asked for as soon as `init` brings the client secret), then, once `init`
 * is in, runs the wallet's code, which `frame.html` preloads from its head so that it downloads side by side with this.
 */
import { earlyStart } from './early-start.ts';

// Page-level rules as a constructed sheet: the frame's CSP allows no inline <style>.
const page = new CSSStyleSheet();
page.replaceSync('html,body{margin:0;background:transparent}');
document.adoptedStyleSheets = [...document.adoptedStyleSheets, page];

/**
 * How long the wallet's code waits for the loader's `init` before it runs anyway (ms). Its evaluation is the frame's
 * longest task, and a message that arrives meanwhile waits for it: run first, it would hold back the checkout request
 * that `init` starts (`early-start.ts`). After `init`, that request is on its way while the wallet's code runs.
 */
const INIT_WAIT_MS = 50;

const initOrTimeout = new Promise<void>((resolve) => {
  earlyStart.channel.onInit(() => resolve());
  setTimeout(resolve, INIT_WAIT_MS);
});

// `loaded` is said already, so the loader no longer times out on its own: a wallet that cannot load says so.
initOrTimeout
  .then(() => import('./app/paykey-wallet.ts'))
  .catch(() => earlyStart.channel.post({ type: 'error', code: 'frame_unavailable', message: 'The Paykey wallet did not load.' }));
