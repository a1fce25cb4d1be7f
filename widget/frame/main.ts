/** Entry of the wallet frame (`frame.html`). */
import './app/paykey-wallet.ts';

// Page-level rules as a constructed sheet: the frame's CSP allows no inline <style>.
const page = new CSSStyleSheet();
page.replaceSync('html,body{margin:0;background:transparent}');
document.adoptedStyleSheets = [...document.adoptedStyleSheets, page];
