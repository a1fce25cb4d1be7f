/** The shop page's own script: listens to the checkout's events and confirms the outcome with the shop backend. */
export const shopScript = `
const summary = document.querySelector('[data-order-id]');
const outcome = document.getElementById('outcome');
window.paykeyEvents = [];
async function confirmWithServer() {
  const res = await fetch('/orders/' + encodeURIComponent(summary.dataset.orderId) + '/payment');
  const body = await res.json();
  if (!res.ok) { outcome.textContent = 'Could not confirm the payment: ' + body.error.message; return; }
  outcome.dataset.status = body.status;
  outcome.textContent = body.status === 'succeeded'
    ? 'Thank you! Demo Shop confirmed your payment on its server.'
    : 'Payment ' + body.status + (body.lastError ? ' (' + body.lastError.code + ')' : '') + '.';
}
for (const type of ['paykey-ready', 'paykey-success', 'paykey-error', 'paykey-cancel']) {
  document.addEventListener(type, (event) => {
    window.paykeyEvents.push({ type, detail: event.detail ?? null });
    if (type === 'paykey-success' || type === 'paykey-error') confirmWithServer();
    if (type === 'paykey-cancel') outcome.textContent = 'Checkout cancelled.';
  });
}
`;

export const shopCss = `
:root { font-family: system-ui, sans-serif; color: #1d2433; background: #f6f7fb; }
body { margin: 0; }
.bar { display: flex; gap: 1rem; align-items: baseline; padding: 1rem 2rem; background: #fff; border-bottom: 1px solid #e3e6ef; }
.logo { font-weight: 700; color: #1d2433; text-decoration: none; font-size: 1.2rem; }
.tag, .muted { color: #5b6478; font-size: .9rem; }
main { max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
.products { list-style: none; padding: 0; display: grid; gap: 1rem; }
.product { background: #fff; border: 1px solid #e3e6ef; border-radius: 12px; padding: 1rem 1.5rem; }
.price { font-size: 1.25rem; font-weight: 600; }
button { font: inherit; padding: .6rem 1.2rem; border-radius: 8px; border: 0; background: #1d2433; color: #fff; cursor: pointer; }
.summary { background: #fff; border: 1px solid #e3e6ef; border-radius: 12px; padding: .5rem 1.5rem; margin-bottom: 1rem; }
paykey-checkout { display: block; }
#outcome { font-weight: 600; }
`;
