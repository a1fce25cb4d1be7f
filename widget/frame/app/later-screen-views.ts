import { html, nothing, type TemplateResult } from 'lit/html.js';
import type { CheckoutFlow } from './checkout-flow.ts';
import type { FlowState } from './flow-state.ts';
import { isWholeTable } from '../i18n/messages.ts';
import { savedCards } from './with-cards.ts';

/**
 * The wallet's templates for every screen after sign-in (add a card, confirm, pending, result, receipt, payments,
 * manage cards): each screen's element with the flow's state in and the shopper's intents out. Loaded with the first
 * of those screens (`PaykeyWallet.loadViews`), so a new shopper's first screen does not carry them.
 */
export function renderLaterScreen(v: FlowState, flow: CheckoutFlow): TemplateResult | typeof nothing {
  // Each of these screens loads with the whole table (`CheckoutFlow.loadScreen`): without it, nothing to draw.
  if (!isWholeTable(v.m)) return nothing;
  const m = v.m;
  switch (v.screen) {
    case 'card-form':
      return html`<paykey-card-form
        .messages=${m}
        ?busy=${v.busy}
        ?show-back=${v.cards.length > 0}
        .serverError=${v.cardError}
        @paykey-card-submit=${(e: CustomEvent) => flow.submitCard(e.detail)}
        @paykey-card-back=${flow.showCards}
      ></paykey-card-form>`;
    case 'confirm':
      return html`<paykey-confirm
        .messages=${m}
        .locale=${v.locale}
        .checkout=${v.checkout}
        .cards=${v.cards}
        .selectedId=${v.selectedId}
        .terms=${v.terms}
        ?busy=${v.busy}
        .offers=${v.offers}
        .offersGone=${v.offersGone}
        .offerChoice=${v.selectedId ? v.offerChoice[v.selectedId] : undefined}
        .offerSettings=${v.offerSettings}
        .offerSettingsOpen=${v.offerSettingsOpen}
        .offerNotice=${v.offerNotice}
        @paykey-choose-offer=${(e: CustomEvent<{ offerId?: string | null }>) => flow.chooseOffer(e.detail.offerId)}
        @paykey-offer-settings=${flow.toggleOfferSettings}
        @paykey-offer-setting=${(e: CustomEvent<{ which: 'general' | 'personalized'; on: boolean }>) => flow.setOfferSetting(e.detail.which, e.detail.on)}
        @paykey-select-card=${(e: CustomEvent<{ id: string }>) => flow.selectCard(e.detail.id)}
        @paykey-add-card=${flow.addCard}
        @paykey-pay=${flow.pay}
        @paykey-pay-obscured=${() => flow.payObscured()}
      ></paykey-confirm>`;
    case 'pending':
      return html`<paykey-pending .messages=${m} .payee=${v.checkout!.payee} ?review=${v.review}></paykey-pending>`;
    case 'result': {
      const o = v.outcome;
      // "Try another card" clears the outcome a moment before the next screen replaces this one.
      if (!o) return nothing;
      return html`<paykey-result
        .messages=${m}
        ?ok=${o.ok}
        .heading=${o.heading}
        .body=${o.body}
        ?retry=${o.retry}
        @paykey-retry=${flow.showCards}
      ></paykey-result>`;
    }
    case 'receipt':
      return html`<paykey-receipt
        .messages=${m}
        .locale=${v.locale}
        .receipt=${v.receipt}
        .brand=${v.checkout?.banks?.find((b) => b.id === v.receipt?.card?.bank) ?? null}
        ?busy=${v.busy}
        @paykey-refresh-receipt=${(e: CustomEvent<{ paymentIntentId: string }>) => flow.refreshReceipt(e.detail.paymentIntentId)}
        @paykey-back=${flow.back}
      ></paykey-receipt>`;
    case 'payments':
      return html`<paykey-payments
        .messages=${m}
        .locale=${v.locale}
        .payments=${v.payments?.list ?? []}
        .summary=${v.spendingSummary ?? null}
        .hasMore=${v.payments?.hasMore ?? false}
        ?busy=${v.busy}
        @paykey-open-receipt=${(e: CustomEvent<{ paymentIntentId: string }>) => flow.openPaymentReceipt(e.detail.paymentIntentId)}
        @paykey-load-more=${flow.loadMorePayments}
        @paykey-back=${flow.back}
      ></paykey-payments>`;
    case 'manage-cards':
      return html`<paykey-manage-cards
        .messages=${m}
        .locale=${v.locale}
        .cards=${savedCards(v, flow.oneTime)}
        .banks=${v.checkout?.banks ?? []}
        ?busy=${v.busy}
        @paykey-remove-card=${(e: CustomEvent<{ id: string }>) => flow.removeCard(e.detail.id)}
        @paykey-sign-out=${flow.signOut}
        @paykey-back=${flow.back}
      ></paykey-manage-cards>`;
    default:
      return nothing;
  }
}

/** The status line while the frame watches for the bank's answer (empty otherwise; the flow's own `status` comes first). */
export function watchingStatus(v: FlowState): string {
  if (!v.watching || !isWholeTable(v.m)) return '';
  return v.review ? v.m.waitingForReview : v.m.waitingForBank;
}

/**
 * The links under a later screen: "View receipt" on a payment's result, and the account's (payments, manage cards,
 * sign out) on confirm and result once a shopper is signed in.
 */
export function renderLaterLinks(v: FlowState, flow: CheckoutFlow): TemplateResult | typeof nothing {
  if (!isWholeTable(v.m)) return nothing;
  const m = v.m;
  const account = !!v.shopper && (v.screen === 'confirm' || v.screen === 'result');
  return html`${v.screen === 'result' && v.receiptOffered
    ? html`<div class="after"><button type="button" aria-disabled=${v.busy} @click=${flow.openReceipt}>${m.viewReceipt}</button></div>`
    : nothing}
  ${account
    ? html`<nav aria-label=${m.accountNav}>
        <button class="link" type="button" aria-disabled=${v.busy} @click=${flow.openPayments}>${m.paymentsNav}</button>
        <button class="link" type="button" aria-disabled=${v.busy} @click=${flow.openManageCards}>${m.manageCardsNav}</button>
        <button class="link" type="button" aria-disabled=${v.busy} @click=${flow.signOut}>${m.signOutNav}</button>
      </nav>`
    : nothing}`;
}
