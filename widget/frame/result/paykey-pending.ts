import { html } from 'lit/html.js';
import { en, type Messages } from '../i18n/en.ts';
import { TemplateElement } from '../template-element.ts';
import { css } from '../theme/css.ts';
import { formStyles } from '../theme/form-styles.ts';
import { sharedStyles } from '../theme/shared-styles.ts';

/**
 * The shopper has confirmed, but the outcome is not known yet: the bank has not answered, or its answer is being
 * checked. Calm on purpose — nothing has failed, and the one thing the shopper must not do is pay again; the merchant
 * confirms the outcome. No buttons: there is nothing to do here. The wallet moves the focus to the heading, which is
 * described by the whole text, so a screen reader reads all of it.
 */
export class PaykeyPending extends TemplateElement {
  // Reactive properties, as `TemplateElement` reads them (no decorators: their helpers would ship too).
  static override properties = {
    messages: { attribute: false },
    payee: {},
    review: { type: Boolean },
  };

  static override styles = [
    sharedStyles,
    formStyles,
    css`
      :host { border-inline-start: 4px solid var(--paykey-color-primary, #1f3fbf); padding-inline-start: .9em; }
      .note { font-weight: 600; }
    `,
  ];

  /** UI text. */
  messages: Messages = en;
  /** Who will confirm the outcome to the shopper (the merchant's name). */
  payee = '';
  /** The bank's answer is being checked (`requires_review`) rather than awaited (`processing`). */
  review = false;

  override render() {
    const m = this.messages;
    return html`
      <h1 tabindex="-1" aria-describedby="body note merchant">${this.review ? m.reviewTitle : m.processingTitle}</h1>
      <p id="body">${this.review ? m.reviewBody : m.processingBody}</p>
      <p id="note" class="note">${m.doNotPayAgain}</p>
      <p id="merchant">${m.merchantWillConfirm(this.payee)}</p>
    `;
  }
}

customElements.define('paykey-pending', PaykeyPending);

declare global {
  interface HTMLElementTagNameMap {
    'paykey-pending': PaykeyPending;
  }
}
