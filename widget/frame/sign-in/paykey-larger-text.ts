import { html } from 'lit/html.js';
import { enFirstScreen, type FirstScreenMessages } from '../i18n/en-first-screen.ts';
import { TemplateElement } from '../template-element.ts';
import { css } from '../theme/css.ts';
import { sharedStyles } from '../theme/shared-styles.ts';
import { readLargerText, writeLargerText } from './larger-text-preference.ts';

/** Detail of `paykey-larger-text`. */
export interface LargerTextDetail {
  on: boolean;
}

/**
 * The "Larger text" switch: a toggle button (`aria-pressed`) that remembers the choice on this device and tells the
 * wallet, which sets `larger-text` on its host (see `shared-styles.ts`: every screen's text then grows by 30 %).
 *
 * @fires paykey-larger-text - `LargerTextDetail` after each press, the choice already saved.
 */
export class PaykeyLargerText extends TemplateElement {
  // Reactive properties, as `TemplateElement` reads them (no decorators: their helpers would ship too).
  static override properties = {
    messages: { attribute: false },
    on: { type: Boolean },
  };

  static override styles = [
    sharedStyles,
    css`
      :host { display: flex; justify-content: flex-end; }
      button { font-weight: normal; }
      button[aria-pressed='true'] { font-weight: 700; }
    `,
  ];

  /** UI text. */
  messages: FirstScreenMessages = enFirstScreen;
  /** Whether larger text is on; starts as this device remembers it. */
  on = readLargerText();

  override render() {
    return html`<button type="button" aria-pressed=${this.on ? 'true' : 'false'} @click=${this.onToggle}>${this.messages.largerText}</button>`;
  }

  private onToggle() {
    this.on = !this.on;
    writeLargerText(this.on);
    this.dispatchEvent(new CustomEvent<LargerTextDetail>('paykey-larger-text', { detail: { on: this.on }, bubbles: true, composed: true }));
  }
}

customElements.define('paykey-larger-text', PaykeyLargerText);

declare global {
  interface HTMLElementTagNameMap {
    'paykey-larger-text': PaykeyLargerText;
  }
  interface HTMLElementEventMap {
    'paykey-larger-text': CustomEvent<LargerTextDetail>;
  }
}
