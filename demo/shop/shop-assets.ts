/**
 * The shop page's own script: listens to the checkout's events and confirms
 * the outcome with the shop backend, then watches until Paykey's webhook has
 * marked the order paid (or the payment has ended otherwise).
 */
export const shopScript = `
const summary = document.querySelector('[data-order-id]');
const outcome = document.getElementById('outcome');
const webhookStatus = document.getElementById('webhook-status');
const BEING_CONFIRMED = 'Your payment is being confirmed\u2026';
window.paykeyEvents = [];
let watching = false;

async function checkPayment() {
  const res = await fetch('/orders/' + encodeURIComponent(summary.dataset.orderId) + '/payment');
  const body = await res.json();
  if (!res.ok) throw new Error(body.error.message);
  if (body.paidByWebhook) {
    webhookStatus.dataset.paid = 'true';
    webhookStatus.textContent = 'Paid (confirmed by webhook)';
  }
  return body;
}
function showOutcome(body) {
  outcome.dataset.status = body.status;
  outcome.textContent = body.status === 'succeeded'
    ? 'Thank you! Demo Shop confirmed your payment on its server.'
    : body.status === 'processing' || body.status === 'requires_review'
      ? BEING_CONFIRMED
      : 'Payment ' + body.status + (body.lastError ? ' (' + body.lastError.code + ')' : '') + '.';
}
async function confirmWithServer() {
  try {
    showOutcome(await checkPayment());
    watch();
  } catch (error) {
    outcome.textContent = 'Could not confirm the payment: ' + error.message;
  }
}
// The webhook may arrive a moment after the widget's event, or long after it when the bank is slow.
async function watch() {
  if (watching) return;
  watching = true;
  for (let i = 0; i < 300 && webhookStatus.dataset.paid !== 'true'; i++) {
    await new Promise((resolve) => setTimeout(resolve, i < 10 ? 1000 : 3000));
    const body = await checkPayment().catch(() => null);
    if (!body) continue;
    if (outcome.dataset.status !== body.status) showOutcome(body);
    if (body.status === 'failed' || body.status === 'canceled') break;
  }
  watching = false;
}
for (const type of ['paykey-ready', 'paykey-success', 'paykey-processing', 'paykey-error', 'paykey-cancel']) {
  document.addEventListener(type, (event) => {
    window.paykeyEvents.push({ type, detail: event.detail ?? null });
    if (type === 'paykey-success' || type === 'paykey-error') confirmWithServer();
    if (type === 'paykey-processing') {
      outcome.dataset.status = 'processing';
      outcome.textContent = BEING_CONFIRMED;
      watch();
    }
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
#outcome, #webhook-status { font-weight: 600; }
#webhook-status[data-paid] { color: #1a7f37; }
`;
