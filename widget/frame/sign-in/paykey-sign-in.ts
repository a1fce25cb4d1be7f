import { html, nothing } from 'lit/html.js';
import { enFirstScreen, type FirstScreenMessages } from '../i18n/en-first-screen.ts';
import { TemplateElement } from '../template-element.ts';
import { css } from '../theme/css.ts';
import { sharedStyles } from '../theme/shared-styles.ts';
import { readLargerText } from './larger-text-preference.ts';
import './paykey-larger-text.ts';

/**
 * The first screen for a shopper this device does not know: sign in with a discoverable passkey, or open the
 * (lazily loaded) registration form. It tells a shopper new to digital wallets, one sentence each, what a passkey is
 * and that the shop never sees their card, and offers "Larger text" (the wallet applies it; see `paykey-larger-text`).
 *
 * @fires paykey-sign-in - the shopper pressed "Continue with passkey".
 * @fires paykey-larger-text - from the "Larger text" switch (`LargerTextDetail`).
 */
export class PaykeySignIn extends TemplateElement {
  // Reactive properties, as `TemplateElement` reads them (no decorators: their helpers would ship too).
  static override properties = {
    messages: { attribute: false },
    busy: { type: Boolean },
    largerText: { type: Boolean, attribute: 'larger-text' },
    registering: { state: true },
  };

  static override styles = [
    sharedStyles,
    css`
      .education { margin: 0 0 1em; padding: 0; list-style: none; }
      .education li { margin-block-end: .5em; padding-inline-start: .9em; border-inline-start: 3px solid var(--paykey-color-border, #596070); }
      paykey-larger-text { margin-block-start: 1em; }
    `,
  ];

  /** UI text. */
  messages: FirstScreenMessages = enFirstScreen;
  /** Disables the buttons while a ceremony runs (`aria-disabled`: they keep the focus, and ignore presses). */
  busy = false;
  /** Whether larger text is on (the wallet's `larger-text`); the switch shows it. */
  largerText = readLargerText();

  private registering = false;

  override render() {
    const m = this.messages;
    return html`
      <h1 tabindex="-1">${m.signInTitle}</h1>
      <p>${m.signInIntro}</p>
      <ul class="education">
        <li>${m.whatIsAPasskey}</li>
        <li>${m.merchantNeverSeesCard}</li>
      </ul>
      <div class="stack">
        <button class="primary" type="button" aria-disabled=${this.busy} @click=${this.onSignIn}>${m.continueWithPasskey}</button>
        <button type="button" aria-expanded=${this.registering} aria-controls="register" aria-disabled=${this.busy} @click=${this.onToggle}>
          ${m.createAPasskey}
        </button>
      </div>
      <div id="register">
        ${this.registering ? html`<paykey-register .messages=${m} ?busy=${this.busy}></paykey-register>` : nothing}
      </div>
      <paykey-larger-text
        .messages=${m}
        .on=${this.largerText}
        @paykey-larger-text=${(e: CustomEvent<{ on: boolean }>) => (this.largerText = e.detail.on)}
      ></paykey-larger-text>
    `;
  }

  private onSignIn() {
    if (!this.busy) this.dispatchEvent(new CustomEvent('paykey-sign-in', { bubbles: true, composed: true }));
  }

  private async onToggle() {
    if (this.busy) return;
    // The form's code, fetched as it opens (the passkey library is warmed once the first screen shows).
    if (!this.registering) await import('./paykey-register.ts');
    this.registering = !this.registering;
    if (this.registering) {
      await this.updateComplete;
      const register = this.renderRoot.querySelector('paykey-register');
      await register?.updateComplete;
      register?.focusEmail();
    }
  }
}

customElements.define('paykey-sign-in', PaykeySignIn);

declare global {
  interface HTMLElementTagNameMap {
    'paykey-sign-in': PaykeySignIn;
  }
  interface HTMLElementEventMap {
    'paykey-sign-in': CustomEvent<undefined>;
  }
}
