// Benchmark entry: Adyen's card component as a merchant bundles it (AdyenCheckout + Card + the stylesheet).
// Plain JS: it is bundled by Vite for `npm run bench`, never type-checked or run against Adyen.
import { AdyenCheckout, Card } from '@adyen/adyen-web';
import '@adyen/adyen-web/styles/adyen.css';

// Reachable from the page, so tree-shaking keeps exactly what mounting a card component needs.
window.benchMountPeer = async (container, config) => new Card(await AdyenCheckout(config), {}).mount(container);
