import { html, nothing } from 'lit/html.js';
import { en, type Messages } from '../i18n/en.ts';
import { TemplateElement } from '../template-element.ts';
import { css } from '../theme/css.ts';
import { formStyles } from '../theme/form-styles.ts';
import { sharedStyles } from '../theme/shared-styles.ts';

/**
 * The outcome: "Payment complete", or why it did not go through with a way to try another card.
 * The wallet moves the focus to the heading, which is described by the body, so a screen reader announces both.
 *
 * @fires paykey-retry - the shopper pressed "Try another card".
 */
export class PaykeyResult extends TemplateElement {
  // Reactive properties, as `TemplateElement` reads them (no decorators: their helpers would ship too).
  static override properties = {
    messages: { attribute: false },
    ok: { type: Boolean },
    heading: {},
    body: {},
    retry: { type: Boolean },
  };

  static override styles = [
    sharedStyles,
    formStyles,
    css`
      .ok { color: #17692f; }
      .failed { color: #b3261e; }
    `,
  ];

  /** UI text. */
  messages: Messages = en;
  /** Whether the payment succeeded. */
  ok = false;
  /** The heading (e.g. "Payment complete"). */
  heading = '';
  /** The explanation: the amount paid, or the decline reason. */
  body = '';
  /** Offer "Try another card". */
  retry = false;

  override render() {
    return html`
      <h1 tabindex="-1" class=${this.ok ? 'ok' : 'failed'} aria-describedby=${this.body ? 'body' : nothing}>${this.heading}</h1>
      ${this.body ? html`<p id="body">${this.body}</p>` : nothing}
      ${this.retry
        ? html`<button class="primary" type="button" @click=${this.onRetry}>${this.messages.tryAnotherCard}</button>`
        : nothing}
    `;
  }

  private onRetry() {
    this.dispatchEvent(new CustomEvent('paykey-retry', { bubbles: true, composed: true }));
  }
}

customElements.define('paykey-result', PaykeyResult);

declare global {
  interface HTMLElementTagNameMap {
    'paykey-result': PaykeyResult;
  }
  interface HTMLElementEventMap {
    'paykey-retry': CustomEvent<undefined>;
  }
}
