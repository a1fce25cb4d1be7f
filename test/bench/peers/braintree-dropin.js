// Benchmark entry: Braintree's drop-in UI as a merchant bundles it (the drop-in + its stylesheet).
// Plain JS: it is bundled by Vite for `npm run bench`, never type-checked or run against Braintree.
import dropin from 'braintree-web-drop-in';
import 'braintree-web-drop-in/dropin.css';

// Reachable from the page, so tree-shaking keeps exactly what creating a drop-in needs.
window.benchMountPeer = (container, authorization) => dropin.create({ authorization, container });
