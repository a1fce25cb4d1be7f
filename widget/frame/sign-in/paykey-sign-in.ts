import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { en, type Messages } from '../i18n/en.ts';
import { sharedStyles } from '../theme/shared-styles.ts';

/**
 * The first screen for a shopper this device does not know: sign in with a discoverable passkey, or open the
 * (lazily loaded) registration form.
 *
 * @fires paykey-sign-in - the shopper pressed "Continue with passkey".
 */
@customElement('paykey-sign-in')
export class PaykeySignIn extends LitElement {
  static override styles = sharedStyles;

  /** UI text. */
  @property({ attribute: false }) messages: Messages = en;
  /** Disables the buttons while a ceremony runs (`aria-disabled`: they keep the focus, and ignore presses). */
  @property({ type: Boolean }) busy = false;

  @state() private registering = false;

  override render() {
    const m = this.messages;
    return html`
      <h2 tabindex="-1">${m.signInTitle}</h2>
      <p>${m.signInIntro}</p>
      <div class="stack">
        <button class="primary" type="button" aria-disabled=${this.busy} @click=${this.onSignIn}>${m.continueWithPasskey}</button>
        <button type="button" aria-expanded=${this.registering} aria-controls="register" aria-disabled=${this.busy} @click=${this.onToggle}>
          ${m.createAPasskey}
        </button>
      </div>
      <div id="register">
        ${this.registering ? html`<paykey-register .messages=${m} ?busy=${this.busy}></paykey-register>` : nothing}
      </div>
    `;
  }

  private onSignIn() {
    if (!this.busy) this.dispatchEvent(new CustomEvent('paykey-sign-in', { bubbles: true, composed: true }));
  }

  private async onToggle() {
    if (this.busy) return;
    // Fetch the ceremony code now, so pressing "Create passkey" does not wait on a download.
    if (!this.registering) await Promise.all([import('./paykey-register.ts'), import('./register-passkey.ts')]);
    this.registering = !this.registering;
    if (this.registering) {
      await this.updateComplete;
      const register = this.renderRoot.querySelector('paykey-register');
      await register?.updateComplete;
      register?.focusEmail();
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'paykey-sign-in': PaykeySignIn;
  }
  interface HTMLElementEventMap {
    'paykey-sign-in': CustomEvent<undefined>;
  }
}
