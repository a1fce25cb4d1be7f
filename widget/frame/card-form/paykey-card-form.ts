import { html, nothing } from 'lit/html.js';
import { en, type Messages } from '../i18n/en.ts';
import { TemplateElement } from '../template-element.ts';
import { css } from '../theme/css.ts';
import { formStyles } from '../theme/form-styles.ts';
import { sharedStyles } from '../theme/shared-styles.ts';
import {
  cvcLength,
  detectBrand,
  digitsOnly,
  expiryInFuture,
  formatCardNumber,
  formatExpiry,
  luhnValid,
  parseExpiry,
} from './card-validation.ts';

/** Detail of `paykey-card-submit`: the parsed card, handed straight to `POST /api/frame/cards`. */
export interface CardSubmitDetail {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
  name: string;
  /** "Save card" was ticked: keep the card for later payments. Unticked (the default), it pays once and is not kept. */
  save: boolean;
}

type Field = 'number' | 'expiry' | 'cvc' | 'name';
const FIELDS: Field[] = ['number', 'expiry', 'cvc', 'name'];

/**
 * The add-card form. Validates locally (Luhn, expiry in the future, CVC length by brand, name present) and shows
 * each error under its field, tied with `aria-describedby`; the first invalid field gets focus, and an alert region
 * above the form says how many fields need attention (announced even when the focus does not move) or shows the
 * server's error.
 * Saving the card for later is the shopper's explicit choice: the "Save card" checkbox starts unticked, and the
 * submit button says "Use this card" either way.
 * Card data lives only in the inputs and the submit event; this element never stores it.
 *
 * @fires paykey-card-submit - `CardSubmitDetail` when every field is valid.
 * @fires paykey-card-back - the shopper pressed Back.
 */
export class PaykeyCardForm extends TemplateElement {
  // Reactive properties, as `TemplateElement` reads them (no decorators: their helpers would ship too).
  static override properties = {
    messages: { attribute: false },
    busy: { type: Boolean },
    showBack: { type: Boolean, attribute: 'show-back' },
    serverError: { attribute: false },
    errors: { state: true },
    submitted: { state: true },
  };

  static override styles = [
    sharedStyles,
    formStyles,
    css`
      .label-row { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: baseline; column-gap: .5em; margin-block-end: .25em; }
      .label-row label { margin: 0; }
      .form-error { margin-block-end: .75em; }
      .form-error:empty { margin: 0; }
      .save { margin-block-end: 1em; }
      .save .hint { margin: .25em 0 0; }
    `,
  ];

  /** UI text. */
  messages: Messages = en;
  /** Disables the submit button while the card is being saved (`aria-disabled`: it keeps the focus). */
  busy = false;
  /** Whether a Back button is offered (the shopper already has cards). */
  showBack = false;
  /** A form-level error from the server (e.g. the bank refused the card). */
  serverError = '';

  private errors: Partial<Record<Field, string>> = {};
  /** Whether the form was submitted: only then does the alert region count the errors. */
  private submitted = false;
  private get form(): HTMLFormElement {
    return this.renderRoot?.querySelector<HTMLFormElement>('form') as HTMLFormElement;
  }

  override render() {
    const m = this.messages;
    const invalid = FIELDS.filter((name) => this.errors[name]).length;
    return html`
      <h1 tabindex="-1">${m.addCardTitle}</h1>
      <p class="error form-error" role="alert">${(this.submitted && invalid && m.fieldsToFix(invalid)) || this.serverError}</p>
      <form novalidate @submit=${this.onSubmit} @input=${this.onInput}>
        ${this.field('number', m.cardNumber, { autocomplete: 'cc-number', inputmode: 'numeric', maxlength: 23 })}
        <div class="row">
          ${this.field('expiry', m.expiryDate, { autocomplete: 'cc-exp', inputmode: 'numeric', maxlength: 5, hint: m.expiryHint })}
          ${this.field('cvc', m.securityCode, { autocomplete: 'cc-csc', inputmode: 'numeric', maxlength: 4 })}
        </div>
        ${this.field('name', m.nameOnCard, { autocomplete: 'cc-name' })}
        <div class="save">
          <label class="check"><input type="checkbox" name="save" aria-describedby="save-hint" />${m.saveCard}</label>
          <p class="hint" id="save-hint">${m.saveCardHint}</p>
        </div>
        <div class="stack">
          <button class="primary" type="submit" aria-disabled=${this.busy}>${m.useThisCard}</button>
          ${this.showBack ? html`<button type="button" @click=${this.onBack}>${m.back}</button>` : nothing}
        </div>
      </form>
    `;
  }

  private field(
    name: Field,
    label: string,
    o: { autocomplete: string; inputmode?: string; maxlength?: number; hint?: string },
  ) {
    const error = this.errors[name];
    const describedBy = [o.hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ');
    return html`<div class="field">
      <div class="label-row">
        <label for=${name}>${label}</label>
        ${o.hint ? html`<span class="hint" id="${name}-hint">${o.hint}</span>` : nothing}
      </div>
      <input
        id=${name}
        name=${name}
        type="text"
        autocomplete=${o.autocomplete}
        inputmode=${o.inputmode ?? nothing}
        maxlength=${o.maxlength ?? nothing}
        placeholder=${o.hint ?? nothing}
        spellcheck="false"
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${describedBy || nothing}
      />
      ${error ? html`<p class="error" id="${name}-error">${error}</p>` : nothing}
    </div>`;
  }

  private input(name: Field | 'save'): HTMLInputElement {
    return this.form.elements.namedItem(name) as HTMLInputElement;
  }

  private onInput(event: InputEvent) {
    const input = event.target as HTMLInputElement;
    if (!FIELDS.includes(input.name as Field)) return;
    const name = input.name as Field;
    if (name === 'number' || name === 'expiry') {
      // Reformat while keeping the caret after the same number of digits.
      const caretDigits = digitsOnly(input.value.slice(0, input.selectionStart ?? input.value.length)).length;
      const formatted = name === 'number' ? formatCardNumber(input.value) : formatExpiry(input.value);
      if (formatted !== input.value) {
        input.value = formatted;
        let pos = 0;
        for (let seen = 0; pos < formatted.length && seen < caretDigits; pos++) if (/\d/.test(formatted[pos])) seen++;
        input.setSelectionRange(pos, pos);
      }
    } else if (name === 'cvc') {
      input.value = digitsOnly(input.value);
    }
    // Clear an error as soon as the field becomes valid, but do not nag while the shopper is still typing.
    if (this.errors[name] && !this.check(name)) this.errors = { ...this.errors, [name]: undefined };
  }

  /** The error for one field, or '' when it is valid. */
  private check(name: Field): string {
    const m = this.messages;
    const value = this.input(name).value;
    switch (name) {
      case 'number':
        return luhnValid(value) ? '' : m.cardNumberInvalid;
      case 'expiry': {
        const exp = parseExpiry(value);
        return !exp ? m.expiryInvalid : expiryInFuture(exp) ? '' : m.expiryPast;
      }
      case 'cvc': {
        const length = cvcLength(detectBrand(this.input('number').value));
        return digitsOnly(value).length === length && value.length === length ? '' : m.cvcInvalid(length);
      }
      case 'name':
        return value.trim() ? '' : m.nameRequired;
    }
  }

  private async onSubmit(event: SubmitEvent) {
    event.preventDefault();
    if (this.busy) return;
    const errors: Partial<Record<Field, string>> = {};
    for (const name of FIELDS) {
      const error = this.check(name);
      if (error) errors[name] = error;
    }
    this.errors = errors;
    this.submitted = true;
    const firstInvalid = FIELDS.find((name) => errors[name]);
    if (firstInvalid) {
      await this.updateComplete;
      this.input(firstInvalid).focus();
      return;
    }
    const exp = parseExpiry(this.input('expiry').value)!;
    const detail: CardSubmitDetail = {
      number: digitsOnly(this.input('number').value),
      expMonth: exp.month,
      expYear: exp.year,
      cvc: this.input('cvc').value,
      name: this.input('name').value.trim(),
      save: this.input('save').checked,
    };
    this.dispatchEvent(new CustomEvent('paykey-card-submit', { detail, bubbles: true, composed: true }));
  }

  private onBack() {
    this.dispatchEvent(new CustomEvent('paykey-card-back', { bubbles: true, composed: true }));
  }
}

customElements.define('paykey-card-form', PaykeyCardForm);

declare global {
  interface HTMLElementTagNameMap {
    'paykey-card-form': PaykeyCardForm;
  }
  interface HTMLElementEventMap {
    'paykey-card-submit': CustomEvent<CardSubmitDetail>;
    'paykey-card-back': CustomEvent<undefined>;
  }
}
