import { serverCode } from '../api/server-code.ts';
import { formatAmount } from '../money/format-amount.ts';
import type { CheckoutFlow } from './checkout-flow.ts';
import { messageForCode } from './describe-error.ts';
import { flowTiming } from './flow-timing.ts';
import { isPending, pollQuickly, watchOutcome, type PaymentState } from './wait-for-outcome.ts';
import { withCards } from './with-cards.ts';
import { wholeTable } from './whole-table.ts';

/*
 * The outcome of a confirmed payment, loaded when a payment has one (never before the first screen): paid, declined,
 * canceled, or still with the bank (quick polls, then the pending screen and a watch in the background).
 */

/**
 * Shows the outcome of a confirmed payment. While it is not known: a few quick polls (still busy, on the confirm
 * screen, as most banks answer in a second), then the pending screen, the `processing` message, and the watch.
 */
export async function settle(flow: CheckoutFlow, result: PaymentState): Promise<void> {
  if (isPending(result.status)) {
    const timing = flow.deps.timing ?? flowTiming;
    const poll = () => flow.deps.api.checkout(flow.secret);
    result = await pollQuickly(result, poll, timing);
    if (isPending(result.status)) {
      await showPending(flow, result);
      if (!flow.processingSent) {
        flow.processingSent = true;
        flow.deps.channel.post({ type: 'processing', paymentIntentId: result.paymentIntentId, status: result.status });
      }
      // In the background: the shopper is free, and the merchant's server learns the outcome whatever happens here.
      const id = ++flow.watchId;
      flow.set({ watching: true });
      void watchOutcome(result, poll, timing, () => id !== flow.watchId, (state) => {
        flow.set({ review: state.status === 'requires_review' });
      })
        .then(async (state) => {
          if (!state) return;
          flow.set({ watching: false });
          if (!isPending(state.status)) await finish(flow, state);
        })
        .catch((error: unknown) => flow.unexpected(error));
      return;
    }
  }
  await finish(flow, result);
}

/**
 * An intent confirmed before this frame loaded (the page was reloaded, say), as `/checkout` answers it: its outcome, or
 * the pending screen and the watch (true: the checkout ends there, never Pay over the cached cards); after a failed
 * attempt, why it failed, in the alert (false: another card may be tried).
 */
export async function resume(flow: CheckoutFlow, result: PaymentState): Promise<boolean> {
  if (isPending(result.status)) await showPending(flow, result);
  if (result.status === 'succeeded' || isPending(result.status)) {
    await settle(flow, result);
    return true;
  }
  const { lastError } = result;
  if (result.status === 'failed' && lastError) flow.set({ alert: messageForCode(flow.state.m, lastError.code, lastError.message) });
  return false;
}

export async function showPending(flow: CheckoutFlow, result: PaymentState): Promise<void> {
  flow.card?.terms.stop();
  await flow.go('pending', { alert: '', review: result.status === 'requires_review' }).catch(() =>
    // Without its screen, the notice says the same: the bank is confirming, do not pay again.
    flow.set({ screen: 'notice', outcome: { ok: true, heading: wholeTable(flow.state).processingTitle, body: wholeTable(flow.state).doNotPayAgain, retry: false } }),
  );
}

/** A settled payment: paid, declined (another card may be tried), or canceled by the merchant. */
async function finish(flow: CheckoutFlow, result: PaymentState): Promise<void> {
  const m = wholeTable(flow.state);
  const { locale } = flow.state;
  const c = flow.state.checkout!;
  flow.card?.terms.stop();
  if (result.status === 'succeeded' || result.status === 'failed') dropOneTimeCards(flow);
  if (result.status === 'succeeded') {
    const body = m.paymentCompleteBody(formatAmount(c.amount, c.currency, locale, c.currencyDigits), c.payee);
    await flow.show({ ok: true, heading: m.paymentComplete, body, retry: false }, { receiptOffered: true });
    flow.deps.channel.post({ type: 'success', paymentIntentId: result.paymentIntentId, status: result.status });
  } else if (result.status === 'failed') {
    // A failed payment always carries the bank's code; anything else is not an answer Paykey sends.
    const code = await serverCode(result.lastError?.code);
    const message = messageForCode(m, result.lastError?.code, result.lastError?.message);
    await flow.show({ ok: false, heading: m.paymentFailed, body: message, retry: true });
    flow.deps.channel.post({ type: 'error', code, message });
  } else if (result.status === 'canceled') {
    await flow.showCanceled();
  } else {
    // No attempt started after all: the shopper may pay.
    await flow.showCards();
  }
}

/** A one-time card pays once: its token is released at the bank once the outcome is known. */
function dropOneTimeCards(flow: CheckoutFlow): void {
  if (!flow.oneTime.size) return;
  const cards = flow.state.cards.filter((c) => !flow.oneTime.has(c.id));
  flow.oneTime.clear();
  flow.set(withCards(flow.state, cards));
}
