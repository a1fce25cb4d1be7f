import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { CheckoutView, SavedCard } from '../../shopper-api.ts';
import { en, type Messages } from '../i18n/en.ts';
import { brandName } from '../i18n/messages.ts';
import { formatAmount } from '../money/format-amount.ts';
import { sharedStyles } from '../theme/shared-styles.ts';
import { VisibilityGuard } from './visibility-guard.ts';

/** `12, 2030` → `"12/30"`. */
export function formatExpiryShort(month: number, year: number): string {
  return `${String(month).padStart(2, '0')}/${String(year % 100).padStart(2, '0')}`;
}

/**
 * The confirm screen: payee, amount, the bank's brand, the saved cards (and 'Pay by bank' when offered, value
 * `bank:<id>`) as a radio group and one Pay button.
 * It can render before the checkout arrives (returning shoppers see their cached cards at once); Pay stays
 * disabled until the amount is known. The heading is described by the payee and amount, so a screen reader
 * reads them when the screen takes focus. While `busy`, Pay and "Add card" are `aria-disabled` (they keep the
 * focus) and ignore presses. The focus ring goes round the whole card, as the radio alone is small to spot.
 *
 * Against clickjacking (`VisibilityGuard`): Pay is also `aria-disabled` and ignores presses for a moment after it
 * appears or becomes pressable, after the frame becomes visible again or changes size; and a press while the button is
 * not fully visible (Chromium) is refused as `paykey-pay-obscured` instead of `paykey-pay`.
 *
 * @fires paykey-select-card - `{ id }` when another card is chosen.
 * @fires paykey-add-card - the shopper pressed "Add card".
 * @fires paykey-pay - the shopper pressed Pay.
 * @fires paykey-pay-obscured - the shopper (or a page tricking them) pressed Pay while it was hidden, transparent or covered.
 */
@customElement('paykey-confirm')
export class PaykeyConfirm extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .bank { display: flex; align-items: center; gap: .5rem; margin-bottom: .75rem; font-weight: 600; }
      .bank img { width: 32px; height: 32px; border-radius: 6px; }
      dl { display: grid; grid-template-columns: auto 1fr; gap: .25rem 1rem; margin: 0 0 1rem; }
      dt { color: #4a5160; }
      dd { margin: 0; font-weight: 600; }
      .amount { font-size: 1.3rem; }
      fieldset { border: 0; padding: 0; margin: 0 0 1rem; }
      legend { font-weight: 600; padding: 0; margin-bottom: .4rem; }
      .card {
        display: flex; align-items: center; gap: .6rem; font-weight: 400;
        border: 1px solid #596070; border-radius: 8px; padding: .6rem .75rem; margin-bottom: .5rem; cursor: pointer;
      }
      .card:has(input:checked) { border: 2px solid var(--pk-primary, #1f3fbf); }
      .card:has(:focus-visible) { outline: 3px solid #1a1d24; outline-offset: 2px; }
      .card input { width: 1.1rem; height: 1.1rem; min-height: 0; margin: 0; accent-color: var(--pk-primary, #1f3fbf); }
    `,
  ];

  /** UI text. */
  @property({ attribute: false }) messages: Messages = en;
  /** BCP 47 locale for amounts. */
  @property() locale = 'en';
  /** The payment being confirmed; undefined while it loads. */
  @property({ attribute: false }) checkout?: CheckoutView;
  /** Saved cards, possibly from the device cache. */
  @property({ attribute: false }) cards: SavedCard[] = [];
  /** Id of the chosen card. */
  @property({ attribute: false }) selectedId?: string;
  /** Disables the controls while a request runs. */
  @property({ type: Boolean }) busy = false;

  private readonly guard = new VisibilityGuard(() => this.requestUpdate());

  override firstUpdated() {
    this.watchPay();
  }

  override connectedCallback() {
    super.connectedCallback();
    if (this.hasUpdated) this.watchPay();
  }

  override willUpdate(changed: PropertyValues<this>) {
    // Pay becomes pressable once the payment is known: a moment must pass before a press counts.
    if (this.hasUpdated && changed.has('checkout') && !changed.get('checkout')) this.guard.restart();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.guard.stop();
  }

  override render() {
    const m = this.messages;
    const c = this.checkout;
    const amount = c ? formatAmount(c.amount, c.currency, this.locale, c.currencyDigits) : '';
    return html`
      <h2 tabindex="-1" aria-describedby="summary">${m.confirmTitle}</h2>
      ${c
        ? html`<div class="bank">
            ${c.bank.logo ? html`<img src=${c.bank.logo} alt="" />` : nothing}<span>${m.issuedBy(c.bank.name)}</span>
          </div>`
        : nothing}
      <dl id="summary" aria-busy=${c ? 'false' : 'true'}>
        <dt>${m.payTo}</dt>
        <dd>${c?.payee ?? '…'}</dd>
        <dt>${m.amount}</dt>
        <dd class="amount">${amount || '…'}</dd>
      </dl>
      <fieldset role="radiogroup" aria-labelledby="cards-legend">
        <legend id="cards-legend">${m.chooseCard}</legend>
        ${this.cards.map(
          (card) => html`<label class="card">
            <input
              type="radio"
              name="card"
              .value=${card.id}
              .checked=${card.id === this.selectedId}
              ?disabled=${this.busy}
              @change=${this.onSelect}
            />
            <span>${m.cardLabel(brandName(m, card.brand), card.last4, formatExpiryShort(card.expMonth, card.expYear))}</span>
          </label>`,
        )}
        ${c?.payByBank
          ? html`<label class="card">
              <input type="radio" name="card" .value=${`bank:${c.payByBank.id}`} .checked=${this.selectedId === `bank:${c.payByBank.id}`} ?disabled=${this.busy} @change=${this.onSelect} />
              <img src=${c.payByBank.logo} alt="" width="24" height="24" /><span>${m.payByBank(c.payByBank.name)}</span>
            </label>`
          : nothing}
      </fieldset>
      <div class="stack">
        <button
          class="primary"
          type="button"
          ?disabled=${!c || !this.selectedId}
          aria-disabled=${this.busy || (this.guard.settling && !this.guard.obscured)}
          @click=${this.onPay}
        >
          ${amount ? m.pay(amount) : m.payPending}
        </button>
        <button type="button" aria-disabled=${this.busy} @click=${this.onAddCard}>${m.addCard}</button>
      </div>
    `;
  }

  private onSelect(event: Event) {
    const id = (event.target as HTMLInputElement).value;
    this.dispatchEvent(new CustomEvent('paykey-select-card', { detail: { id }, bubbles: true, composed: true }));
  }

  private onAddCard() {
    if (!this.busy) this.dispatchEvent(new CustomEvent('paykey-add-card', { bubbles: true, composed: true }));
  }

  private onPay() {
    if (this.busy) return;
    // Obscured first: the shopper (and the merchant) hear why, whereas a press while settling is just too early.
    if (this.guard.obscured) this.emit('paykey-pay-obscured');
    else if (!this.guard.settling) this.emit('paykey-pay');
  }

  /** Watches Pay's row, not Pay itself: a dimmed (busy, settling) Pay has opacity below 1, which would read as obscured. */
  private watchPay() {
    this.guard.watch(this.renderRoot.querySelector('.stack')!);
  }

  private emit(type: string) {
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'paykey-confirm': PaykeyConfirm;
  }
  interface HTMLElementEventMap {
    'paykey-select-card': CustomEvent<{ id: string }>;
    'paykey-add-card': CustomEvent<undefined>;
    'paykey-pay': CustomEvent<undefined>;
    'paykey-pay-obscured': CustomEvent<undefined>;
  }
}
