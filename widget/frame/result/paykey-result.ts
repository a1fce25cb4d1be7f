import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { en, type Messages } from '../i18n/en.ts';
import { sharedStyles } from '../theme/shared-styles.ts';

/**
 * The outcome: "Payment complete", or why it did not go through with a way to try another card.
 * The heading takes focus so screen readers announce the outcome.
 *
 * @fires paykey-retry - the shopper pressed "Try another card".
 */
@customElement('paykey-result')
export class PaykeyResult extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      h2:focus { outline: none; }
      .ok { color: #17692f; }
      .failed { color: #b3261e; }
    `,
  ];

  /** UI text. */
  @property({ attribute: false }) messages: Messages = en;
  /** Whether the payment succeeded. */
  @property({ type: Boolean }) ok = false;
  /** The heading (e.g. "Payment complete"). */
  @property() heading = '';
  /** The explanation: the amount paid, or the decline reason. */
  @property() body = '';
  /** Offer "Try another card". */
  @property({ type: Boolean }) retry = false;

  @query('h2') private headingEl!: HTMLElement;

  override render() {
    return html`
      <h2 tabindex="-1" class=${this.ok ? 'ok' : 'failed'}>${this.heading}</h2>
      ${this.body ? html`<p>${this.body}</p>` : nothing}
      ${this.retry
        ? html`<button class="primary" type="button" @click=${this.onRetry}>${this.messages.tryAnotherCard}</button>`
        : nothing}
    `;
  }

  override firstUpdated() {
    // Only after a shopper action: moving focus on the frame's first render would steal it from the merchant page.
    if (this.ownerDocument.hasFocus()) this.headingEl.focus();
  }

  private onRetry() {
    this.dispatchEvent(new CustomEvent('paykey-retry', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'paykey-result': PaykeyResult;
  }
  interface HTMLElementEventMap {
    'paykey-retry': CustomEvent<undefined>;
  }
}
