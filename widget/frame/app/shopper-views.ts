import { WalletApiError } from '../api/wallet-api.ts';
import type { CheckoutFlow } from './checkout-flow.ts';
import type { Screen } from './flow-state.ts';
import { sessionLost } from './session-lost.ts';
import { withCards } from './with-cards.ts';
import * as calls from '../api/shopper-calls.ts';
import { wholeTable } from './whole-table.ts';

/** How long Payments waits for the spending summary once asked (with the list, so in parallel with it). */
export const SUMMARY_WAIT_MS = 1_500;

/** The summary if it comes within `ms`, else null; a failed one is null too. */
function summaryWithin<T>(summary: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(resolve, ms, null)));
  return Promise.race([summary.catch(() => null), late]).finally(() => clearTimeout(timer));
}

/**
 * The shopper's own views, loaded with their first use (none is a first screen): the receipt of the payment just made,
 * Payments (with the spending summary at its top, shown with the list), Manage cards, Sign out, and Back from each.
 * The checkout flow keeps the state; these move it, through the flow's own plumbing (`run`, `go`, `set`,
 * `ensureSession`).
 */
export class ShopperViews {
  constructor(private readonly flow: CheckoutFlow) {}

  /** The receipt of the payment just made (from the confirmation's answer, else fetched with the session). */
  async openReceipt(): Promise<void> {
    const id = this.flow.state.checkout?.paymentIntentId;
    if (!id || this.flow.state.busy) return;
    let receipt = this.flow.paymentReceipt;
    if (!receipt) {
      if (!(await this.flow.ensureSession())) return;
      const ok = await this.flow.run(wholeTable(this.flow.state).loadingReceipt, async () => {
        receipt = (await calls.receipt(this.flow.deps.api, this.flow.session!, id)).receipt;
      }, sessionLost(this.flow));
      if (!ok || !receipt) return;
    }
    this.flow.receiptReturn = this.flow.state.screen;
    await this.flow.go('receipt', { receipt, alert: '' });
  }

  /**
   * Payments: the list, with the shopper's spending this month at its top. The summary is asked for with the list and
   * shown with it, never inserted above rows already on screen: it moved them under the pointer, so a click meant
   * for one payment could open another, or nothing. It gets `SUMMARY_WAIT_MS`; one slower, or failed, leaves this
   * opening of Payments without it (the list is what the shopper came for), and never shows another session's.
   */
  async openPayments(): Promise<void> {
    if (this.flow.state.busy || !(await this.flow.ensureSession())) return;
    const from = this.flow.state.screen;
    await this.flow.run(wholeTable(this.flow.state).loadingPayments, async () => {
      const session = this.flow.session!;
      const [{ payments, hasMore }, , spendingSummary] = await Promise.all([
        calls.payments(this.flow.deps.api, session),
        this.flow.deps.loadScreen('payments'),
        summaryWithin(calls.spendingSummary(this.flow.deps.api, session), SUMMARY_WAIT_MS),
      ]);
      this.leaveCheckout(from);
      this.flow.set({ payments: { list: payments, hasMore }, spendingSummary, screen: 'payments' });
    }, sessionLost(this.flow));
  }

  async loadMorePayments(): Promise<void> {
    const shown = this.flow.state.payments;
    const last = shown?.list.at(-1);
    if (!shown || !last || !shown.hasMore || !(await this.flow.ensureSession())) return;
    await this.flow.run(wholeTable(this.flow.state).loadingPayments, async () => {
      const { payments, hasMore } = await calls.payments(this.flow.deps.api, this.flow.session!, last.paymentIntentId);
      this.flow.set({ payments: { list: [...shown.list, ...payments], hasMore } });
    }, sessionLost(this.flow));
  }

  async openPaymentReceipt(paymentIntentId: string): Promise<void> {
    const receipt = this.flow.state.payments?.list.find((p) => p.paymentIntentId === paymentIntentId);
    if (!receipt || this.flow.state.busy) return;
    this.flow.receiptReturn = 'payments';
    await this.flow.go('receipt', { receipt, alert: '' });
  }

  async openManageCards(): Promise<void> {
    if (this.flow.state.busy || !(await this.flow.ensureSession())) return;
    const from = this.flow.state.screen;
    await this.flow.deps.loadScreen('manage-cards');
    this.leaveCheckout(from);
    this.flow.set({ screen: 'manage-cards', alert: '' });
  }

  /** Removes a saved card: at the server (which releases its token at the bank), then from this device. */
  async removeCard(id: string): Promise<void> {
    if (this.flow.state.busy || !(await this.flow.ensureSession())) return;
    await this.flow.run(wholeTable(this.flow.state).removingCard, async () => {
      await calls.removeCard(this.flow.deps.api, this.flow.session!, id);
      await this.flow.deps.cache.removeCard(id);
      this.flow.set(withCards(this.flow.state, this.flow.state.cards.filter((c) => c.id !== id)));
    }, sessionLost(this.flow));
  }

  /**
   * "Sign out on this device": the session ends at the server, the frame's IndexedDB is deleted, the session is
   * forgotten. No passkey is asked: with no session in memory there is nothing to end at the server. If the server
   * cannot be reached the device is signed out all the same, and the shopper is told.
   */
  async signOut(): Promise<void> {
    const m = wholeTable(this.flow.state);
    let unreachable = false;
    const ok = await this.flow.run(m.signingOut, async () => {
      const session = this.flow.session;
      this.flow.session = undefined;
      if (session) {
        await calls.signOut(this.flow.deps.api, session).catch((e: unknown) => {
          // 401: the session had ended already.
          unreachable = !(e instanceof WalletApiError && e.status === 401);
        });
      }
      await this.flow.deps.cache.clear();
      this.flow.oneTime.clear();
      this.flow.card?.terms.stop();
      this.flow.paymentReceipt = undefined;
      // Without the card screens' code loaded, no offers were ever asked.
      this.flow.set({ shopper: undefined, cards: [], selectedId: undefined, terms: undefined, payments: undefined, receipt: undefined, receiptOffered: false, ...this.flow.card?.noOffers() });
      await (await this.flow.cardCode()).showCheckoutOr('sign-in');
    });
    if (ok && unreachable) this.flow.set({ alert: m.signedOutOffline });
  }

  /** Back from a receipt, the payments view or manage cards. */
  async back(): Promise<void> {
    if (this.flow.state.busy) return;
    const to = this.flow.state.screen === 'receipt' ? this.flow.receiptReturn : this.flow.checkoutScreen;
    this.flow.set({ alert: '', receipt: this.flow.state.screen === 'receipt' ? undefined : this.flow.state.receipt });
    if (to === 'payments' && this.flow.state.payments) return this.flow.set({ screen: 'payments' });
    if (to === 'result' && this.flow.state.outcome) return this.flow.set({ screen: 'result' });
    await this.flow.showCards();
  }

  /** Leaving the checkout for a view of the shopper's own: Back returns to the checkout screen left. */
  private leaveCheckout(from: Screen) {
    if (from === 'confirm' || from === 'result' || from === 'card-form') this.flow.checkoutScreen = from;
  }

  /** "Refresh" on a receipt: read it anew (cashback credited since, an outcome now known); the Payments list keeps the newer copy. */
  async refreshReceipt(paymentIntentId: string): Promise<void> {
    if (this.flow.state.busy || this.flow.state.receipt?.paymentIntentId !== paymentIntentId || !(await this.flow.ensureSession())) return;
    await this.flow.run(wholeTable(this.flow.state).loadingReceipt, async () => {
      const { receipt } = await calls.receipt(this.flow.deps.api, this.flow.session!, paymentIntentId);
      if (this.flow.state.screen !== 'receipt' || this.flow.state.receipt?.paymentIntentId !== paymentIntentId) return;
      if (this.flow.paymentReceipt?.paymentIntentId === paymentIntentId) this.flow.paymentReceipt = receipt;
      const shown = this.flow.state.payments;
      const payments = shown && { ...shown, list: shown.list.map((p) => (p.paymentIntentId === paymentIntentId ? receipt : p)) };
      this.flow.set({ receipt, payments });
    }, sessionLost(this.flow));
  }
}
