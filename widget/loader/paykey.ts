/** Entry of `paykey.js`, the one script a merchant embeds. */
import { PaykeyCheckout } from './paykey-checkout.ts';

export { PaykeyCheckout };

if (!customElements.get('paykey-checkout')) customElements.define('paykey-checkout', PaykeyCheckout);
