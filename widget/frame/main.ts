/**
 * Entry of the wallet frame (`frame.html`): the first screen's code, all in this one module. The boot inlined in the
 * page's head (`boot/frame-boot.ts`) has said `loaded` already, so the loader's `init` with the client secret travels
 * while this downloads and evaluates; `early-start.ts` takes what the boot kept and the checkout the boot opened
 * from the page as soon as `init` is in, and the wallet element (`app/paykey-wallet.ts`) then takes over its channel, API client and cache.
 * Until this module's last line has run, the boot reports a failure to the loader (`frame_unavailable`).
 */
import './early-start.ts';
import './app/paykey-wallet.ts';

// Page-level rules as a constructed sheet: the frame's CSP allows no inline <style>.
const page = new CSSStyleSheet();
page.replaceSync('html,body{margin:0;background:transparent}');
document.adoptedStyleSheets = [...document.adoptedStyleSheets, page];

// Every static import above has run: from here on, what fails is the wallet's to report, not the boot's.
window.paykeyBoot?.ran();
