import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { BankBrandView, Receipt } from '../../shopper-api.ts';
import { en, type Messages } from '../i18n/en.ts';
import { formatDateTime } from '../i18n/format-date-time.ts';
import { brandName, localized, type Locale } from '../i18n/messages.ts';
import { formatAmount } from '../money/format-amount.ts';
import { applyBrand } from '../theme/bank-theme.ts';
import { sharedStyles } from '../theme/shared-styles.ts';
import { maskedCard } from './masked-card.ts';
import { paymentStatusText } from './payment-status-text.ts';
import { receiptMessages } from './receipt-messages.ts';
import { walletScreenStyles } from './wallet-screen-styles.ts';

/**
 * `<paykey-receipt>`: one payment as the shopper saw and signed it, and what happened — payee, amount in the
 * merchant's currency, fee, exchange rate (`1 USD = 7.1234 CNY` and its source), amount debited in the card's
 * currency, card, time, reference, status. Loaded on demand (`import('../receipt/paykey-receipt.ts')`), never with
 * the first screen; its strings are in `receipt-messages.ts`, beside it.
 *
 * Properties (all set as properties, none as attributes):
 * - `receipt: Receipt | undefined` — the receipt (`widget/shopper-api.ts`); undefined shows "Loading the receipt…".
 * - `locale: Locale` — `'en'` (default) or `'zh-CN'`: the receipt's own strings, amounts and dates.
 * - `messages: Messages` — the frame's table for `locale` (card brand names); defaults to English.
 * - `brand: BankBrandView | null` — the card's bank's brand, applied to this screen (`--paykey-*`); null: inherit.
 * - `timeZone: string | undefined` — IANA zone for the time; default the browser's.
 *
 * The level-one heading has `tabindex="-1"`: the wallet focuses it when the screen opens.
 *
 * @fires paykey-back - The shopper pressed Back. No detail.
 */
@customElement('paykey-receipt')
export class PaykeyReceipt extends LitElement {
  static override styles = [
    sharedStyles,
    walletScreenStyles,
    css`
      dl { margin: 0; }
      dl > div {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 0.25em 1em;
        padding-block: 0.5em;
        border-block-end: 1px solid var(--paykey-color-border, #596070);
      }
      dt { font-weight: 600; }
      dd { margin: 0; text-align: end; }
      .rate-source { display: block; font-size: 0.9em; }
      .total dd, .total dt { font-size: 1.1em; }
    `,
  ];

  /** The receipt to show; undefined while it loads. */
  @property({ attribute: false }) receipt: Receipt | undefined = undefined;
  /** The frame's language. */
  @property({ attribute: false }) locale: Locale = 'en';
  /** The frame's table for `locale` (card brand names). */
  @property({ attribute: false }) messages: Messages = en;
  /** The card's bank's brand, or null to inherit the wallet's. */
  @property({ attribute: false }) brand: BankBrandView | null = null;
  /** IANA time zone of the time shown (tests); the browser's when undefined. */
  @property({ attribute: false }) timeZone: string | undefined = undefined;

  override render() {
    const t = receiptMessages[this.locale] ?? receiptMessages.en;
    return html`
      <div class="top"><button class="back" type="button" @click=${this.onBack}>${t.back}</button></div>
      <h1 tabindex="-1">${t.title}</h1>
      ${this.receipt ? this.details(this.receipt) : html`<p role="status">${t.loading}</p>`}
    `;
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('brand')) applyBrand(this.renderRoot as ShadowRoot, this.brand);
  }

  private details(r: Receipt) {
    const t = receiptMessages[this.locale] ?? receiptMessages.en;
    const money = (amount: number, currency: string, digits: number) => formatAmount(amount, currency, this.locale, digits);
    const brand = r.card ? brandName(this.messages, r.card.brand) : '';
    return html`
      <dl>
        <div><dt>${t.payee}</dt><dd>${r.payee}</dd></div>
        ${r.description ? html`<div><dt>${t.description}</dt><dd>${r.description}</dd></div>` : nothing}
        <div><dt>${t.status}</dt><dd>${paymentStatusText[this.locale][r.status]}</dd></div>
        <div><dt>${t.amount}</dt><dd>${money(r.amount, r.currency, r.currencyDigits)}</dd></div>
        <div><dt>${t.fee}</dt><dd>${r.fee > 0 ? money(r.fee, r.currency, r.currencyDigits) : t.noFee}</dd></div>
        ${r.fx
          ? html`<div>
              <dt>${t.rate}</dt>
              <dd><span dir="ltr">1 ${r.currency} = ${r.fx.rate} ${r.debit.currency}</span> <span class="rate-source">${t.rateSource(r.fx.source)}</span></dd>
            </div>`
          : nothing}
        <div class="total"><dt>${t.debited}</dt><dd>${money(r.debit.amount, r.debit.currency, r.debit.currencyDigits)}</dd></div>
        ${r.card
          ? html`<div>
              <dt>${t.card}</dt>
              <dd>${maskedCard(brand, r.card.last4, t.cardSpoken(brand, r.card.last4))} <span class="rate-source">${localized(r.card.bankName, this.locale)}</span></dd>
            </div>`
          : nothing}
        ${r.payByBank ? html`<div><dt>${t.paidByBank}</dt><dd>${localized(r.payByBank, this.locale)}</dd></div>` : nothing}
        <div><dt>${t.time}</dt><dd>${this.time(r.createdAt)}</dd></div>
        <div><dt>${t.reference}</dt><dd>${r.reference}</dd></div>
      </dl>
    `;
  }

  private time(iso: string): string {
    try {
      return formatDateTime(iso, this.locale, this.timeZone);
    } catch {
      return iso; // The server's own string beats "Invalid Date".
    }
  }

  private onBack() {
    this.dispatchEvent(new CustomEvent('paykey-back', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'paykey-receipt': PaykeyReceipt;
  }
  interface HTMLElementEventMap {
    'paykey-back': CustomEvent<undefined>;
  }
}
