import { html, nothing } from 'lit/html.js';
import type { BankBrandView, SavedCard } from '../../shopper-api.ts';
import { en, type Messages } from '../i18n/en.ts';
import { brandName, localized } from '../i18n/localized.ts';
import type { Locale } from '../i18n/messages.ts';
import { maskedCard } from '../receipt/masked-card.ts';
import { walletScreenStyles } from '../receipt/wallet-screen-styles.ts';
import { TemplateElement } from '../template-element.ts';
import { css } from '../theme/css.ts';
import { formStyles } from '../theme/form-styles.ts';
import { sharedStyles } from '../theme/shared-styles.ts';
import { manageCardsMessages } from './manage-cards-messages.ts';

/**
 * `<paykey-manage-cards>`: the shopper's saved cards, each removable after a confirmation step, and "Sign out on this
 * device". Loaded on demand (`import('../manage-cards/paykey-manage-cards.ts')`), never with the first screen; its
 * strings are in `manage-cards-messages.ts`, beside it.
 *
 * Removing takes two presses: "Remove" (named after its card, e.g. "Remove Visa ending in 4242, Sandbox Bank") opens
 * a question with "Remove card" and "Keep card"; the focus goes to "Keep card", so a double press or a stray Enter
 * removes nothing; Escape keeps the card too. "Remove card" fires `paykey-remove-card` and the card's button says
 * "Removing…" until `cards` comes without the card ("… removed." is announced, the focus goes to the heading), or
 * `busy` ends with the card still there, or `cards` is set again with it (the removal failed; the wallet says why):
 * then the button is back to "Remove", with the focus.
 *
 * Properties (set as properties; `busy` also as a boolean attribute):
 * - `cards: readonly SavedCard[]` — the saved cards (`CardListResponse.cards`); without the removed one once removed.
 * - `banks: BankBrandView[]` — card banks' brands (`CheckoutView.banks`), for each card's bank logo (by `SavedCard.bank`).
 * - `busy: boolean` — the wallet is working on a removal or the sign-out: Remove
 *   and Sign out are `aria-disabled`, and the one pressed says "Removing…" / "Signing out…".
 * - `locale: Locale` — `'en'` (default) or `'zh-CN'`.
 * - `messages: Messages` — the frame's table for `locale` (card brand names); defaults to English.
 *
 * The level-one heading has `tabindex="-1"`: the wallet focuses it when the screen opens.
 *
 * @fires paykey-remove-card - `{ id }`: the shopper confirmed removing that card (revoke, delete, uncache it).
 * @fires paykey-sign-out - The shopper chose "Sign out on this device". No detail.
 * @fires paykey-back - The shopper pressed Back. No detail.
 */
export class PaykeyManageCards extends TemplateElement {
  // Reactive properties, as `TemplateElement` reads them (no decorators: their helpers would ship too).
  static override properties = {
    cards: { attribute: false },
    banks: { attribute: false },
    busy: { type: Boolean },
    locale: { attribute: false },
    messages: { attribute: false },
    confirming: { state: true },
    removing: { state: true },
    signingOut: { state: true },
    announcement: { state: true },
  };

  static override styles = [
    sharedStyles,
    formStyles,
    walletScreenStyles,
    css`
      li.card {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5em 0.75em;
        padding: 0.6em 0.75em;
        border: 1px solid var(--paykey-color-border, #596070);
        border-radius: var(--paykey-radius, 8px);
      }
      .logo { inline-size: 2.5em; block-size: 2.5em; object-fit: contain; flex: none; }
      .info { flex: 1 1 8em; display: flex; flex-direction: column; }
      .bank { font-weight: 600; }
      .confirm { flex: 1 1 100%; }
      .confirm p { margin-block-end: 0.5em; }
      .actions { display: flex; flex-wrap: wrap; gap: 0.5em; }
      .actions button { flex: 1 1 8em; }
      section { margin-block-start: 1.5em; }
      .sign-out { inline-size: 100%; }
    `,
  ];

  /** The saved cards. */
  cards: readonly SavedCard[] = [];
  /** Card banks' brands, for the logos. */
  banks: BankBrandView[] = [];
  /** The wallet is working on a removal or the sign-out. */
  busy = false;
  /** The frame's language. */
  locale: Locale = 'en';
  /** The frame's table for `locale` (card brand names). */
  messages: Messages = en;

  /** The card whose removal is being confirmed. */
  private confirming: string | null = null;
  /** The card removal was confirmed for, until `cards` is set again. */
  private removing: string | null = null;
  /** The shopper pressed Sign out; until `busy` ends. */
  private signingOut = false;
  private announcement = '';
  /** What to focus after the next render. */
  private focusNext: string | null = null;

  private get t() {
    return manageCardsMessages[this.locale] ?? manageCardsMessages.en;
  }

  override render() {
    const t = this.t;
    return html`
      <div class="top"><button class="back" type="button" @click=${this.onBack}>${t.back}</button></div>
      <h1 tabindex="-1">${t.title}</h1>
      ${this.cards.length === 0
        ? html`<p>${t.empty}</p>`
        : html`<ul class="plain" role="list">${this.cards.map((card) => this.card(card))}</ul>`}
      <p class="visually-hidden" role="status">${this.announcement}</p>
      <section aria-labelledby="device-title">
        <h2 id="device-title">${t.deviceTitle}</h2>
        <p id="sign-out-explain">${t.signOutExplain}</p>
        <button
          class="sign-out"
          type="button"
          aria-describedby="sign-out-explain"
          aria-disabled=${this.busy || this.signingOut ? 'true' : 'false'}
          @click=${this.onSignOut}
        >
          ${this.signingOut ? t.signingOut : t.signOut}
        </button>
      </section>
    `;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    const busyEnded = changed.get('busy') === true && !this.busy;
    if (busyEnded) this.signingOut = false;
    if (changed.has('cards') && this.confirming && !this.cards.some((c) => c.id === this.confirming)) this.confirming = null;
    if (!this.removing || !(changed.has('cards') || busyEnded)) return;
    const id = this.removing;
    if (!this.cards.some((c) => c.id === id)) {
      const card = (changed.get('cards') as readonly SavedCard[] | undefined)?.find((c) => c.id === id);
      this.announcement = card ? this.t.removed(this.spoken(card)) : '';
      this.focusNext = 'h1';
      this.removing = null;
    } else if (busyEnded || (changed.has('cards') && !this.busy)) {
      this.focusNext = `#${CSS.escape(`remove-${id}`)}`;
      this.removing = null;
    }
  }

  protected override updated(): void {
    if (!this.focusNext) return;
    this.renderRoot.querySelector<HTMLElement>(this.focusNext)?.focus();
    this.focusNext = null;
  }

  private card(card: SavedCard) {
    const t = this.t;
    const brand = brandName(this.messages, card.brand);
    const bank = localized(card.bankName, this.locale);
    const logo = this.banks.find((b) => b.id === card.bank)?.logo;
    const spoken = this.spoken(card);
    const expiry = `${String(card.expMonth).padStart(2, '0')}/${String(card.expYear % 100).padStart(2, '0')}`;
    const removing = this.removing === card.id;
    return html`<li class="card">
      ${logo ? html`<img class="logo" src=${logo} alt="" />` : nothing}
      <span class="info">
        <span class="bank">${bank}</span>
        <span>${maskedCard(brand, card.last4, spoken)}</span>
        <span class="secondary">${t.expires(expiry)}</span>
      </span>
      <button
        id=${`remove-${card.id}`}
        type="button"
        aria-disabled=${removing || this.busy ? 'true' : 'false'}
        aria-expanded=${this.confirming === card.id ? 'true' : 'false'}
        @click=${() => this.askToRemove(card.id)}
      >
        ${removing ? t.removing : t.remove}<span class="visually-hidden"> ${t.removeWhich(spoken, bank)}</span>
      </button>
      ${this.confirming === card.id
        ? html`<div class="confirm" role="group" aria-labelledby="confirm-question" @keydown=${this.onConfirmKeydown}>
            <p id="confirm-question"><strong>${t.confirmQuestion(spoken, bank)}</strong></p>
            <p>${t.confirmBody}</p>
            <div class="actions">
              <button class="danger" type="button" @click=${() => this.confirmRemoval(card.id)}>${t.confirmRemove}</button>
              <button class="keep" type="button" @click=${this.keep}>${t.keepCard}</button>
            </div>
          </div>`
        : nothing}
    </li>`;
  }

  private spoken(card: SavedCard): string {
    return this.t.cardSpoken(brandName(this.messages, card.brand), card.last4);
  }

  private askToRemove(id: string) {
    if (this.removing || this.busy) return;
    if (this.confirming === id) return this.keep();
    this.confirming = id;
    this.announcement = '';
    this.focusNext = 'button.keep';
  }

  private keep() {
    const id = this.confirming;
    this.confirming = null;
    if (id) this.focusNext = `#${CSS.escape(`remove-${id}`)}`;
  }

  private onConfirmKeydown(event: KeyboardEvent) {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    this.keep();
  }

  private confirmRemoval(id: string) {
    this.confirming = null;
    this.removing = id;
    this.focusNext = `#${CSS.escape(`remove-${id}`)}`;
    this.dispatchEvent(new CustomEvent('paykey-remove-card', { detail: { id }, bubbles: true, composed: true }));
  }

  private onSignOut() {
    if (this.signingOut || this.busy) return;
    this.signingOut = true;
    this.dispatchEvent(new CustomEvent('paykey-sign-out', { bubbles: true, composed: true }));
  }

  private onBack() {
    this.dispatchEvent(new CustomEvent('paykey-back', { bubbles: true, composed: true }));
  }
}

customElements.define('paykey-manage-cards', PaykeyManageCards);

declare global {
  interface HTMLElementTagNameMap {
    'paykey-manage-cards': PaykeyManageCards;
  }
  interface HTMLElementEventMap {
    'paykey-remove-card': CustomEvent<{ id: string }>;
    'paykey-sign-out': CustomEvent<undefined>;
    'paykey-back': CustomEvent<undefined>;
  }
}
