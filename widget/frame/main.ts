/**
 * Entry of the wallet frame (`frame.html`): the first screen's code, all in this one module. The boot inlined in the
 * page's head (`boot/frame-boot.ts`) has said `loaded` already, so the loader's `init` with the client secret travels
 * while this downloads and evaluates; `early-start.ts` takes what the boot kept and asks for the checkout as soon as
 * `init` is in, and the wallet element (`app/paykey-wallet.ts`) then takes over its channel, API client and cache.
 * A download that fails is reported to the loader by the boot (`frame_unavailable`).
 */
import './early-start.ts';
import './app/paykey-wallet.ts';

// Page-level rules as a constructed sheet: the frame's CSP allows no inline <style>.
const page = new CSSStyleSheet();
page.replaceSync('html,body{margin:0;background:transparent}');
document.adoptedStyleSheets = [...document.adoptedStyleSheets, page];
