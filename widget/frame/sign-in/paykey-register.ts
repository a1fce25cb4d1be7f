import { html, nothing } from 'lit/html.js';
import { enFirstScreen, type FirstScreenMessages } from '../i18n/en-first-screen.ts';
import { TemplateElement } from '../template-element.ts';
import { formStyles } from '../theme/form-styles.ts';
import { sharedStyles } from '../theme/shared-styles.ts';

/** Detail of `paykey-register`. */
export interface RegisterDetail {
  email: string;
}

/**
 * New-shopper form: an email, then "Create passkey". Loaded only when the shopper asks for it.
 * The event is dispatched synchronously from the click so the passkey ceremony that follows still has the
 * user activation a cross-origin iframe needs for `navigator.credentials.create`. The error sits in an alert region
 * that stays in the tree, so it is announced even when the focus is already on the email field.
 *
 * @fires paykey-register - `RegisterDetail` with a plausible email.
 */
export class PaykeyRegister extends TemplateElement {
  // Reactive properties, as `TemplateElement` reads them (no decorators: their helpers would ship too).
  static override properties = {
    messages: { attribute: false },
    busy: { type: Boolean },
    error: { state: true },
  };

  static override styles = [sharedStyles, formStyles];

  /** UI text. */
  messages: FirstScreenMessages = enFirstScreen;
  /** Disables the button while the ceremony runs (`aria-disabled`: it keeps the focus, and ignores presses). */
  busy = false;

  private error = '';
  private get emailInput(): HTMLInputElement {
    return this.renderRoot?.querySelector<HTMLInputElement>('input') as HTMLInputElement;
  }

  override render() {
    const m = this.messages;
    return html`<form novalidate @submit=${this.onSubmit}>
      <div class="field">
        <label for="email">${m.email}</label>
        <input
          id="email"
          type="email"
          autocomplete="email"
          spellcheck="false"
          aria-invalid=${this.error ? 'true' : 'false'}
          aria-describedby=${this.error ? 'email-error' : nothing}
        />
        <p class="error" id="email-error" role="alert">${this.error}</p>
      </div>
      <button class="primary" type="submit" aria-disabled=${this.busy}>${m.createPasskey}</button>
    </form>`;
  }

  focusEmail() {
    this.emailInput?.focus();
  }

  private onSubmit(event: SubmitEvent) {
    event.preventDefault();
    if (this.busy) return;
    const email = this.emailInput.value.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      this.error = this.messages.emailInvalid;
      this.emailInput.focus();
      return;
    }
    this.error = '';
    this.dispatchEvent(new CustomEvent<RegisterDetail>('paykey-register', { detail: { email }, bubbles: true, composed: true }));
  }
}

customElements.define('paykey-register', PaykeyRegister);

declare global {
  interface HTMLElementTagNameMap {
    'paykey-register': PaykeyRegister;
  }
  interface HTMLElementEventMap {
    'paykey-register': CustomEvent<RegisterDetail>;
  }
}
