import { html, nothing } from 'lit/html.js';
import type { BankBrandView, Receipt, ReceiptOffer } from '../../shopper-api.ts';
import { en, type Messages } from '../i18n/en.ts';
import { formatDateTime } from '../i18n/format-date-time.ts';
import { brandName, localized } from '../i18n/localized.ts';
import type { Locale } from '../i18n/messages.ts';
import { formatAmount, minorUnitsToDecimal } from '../money/format-amount.ts';
import { TemplateElement } from '../template-element.ts';
import { applyBrand } from '../theme/bank-theme.ts';
import { css } from '../theme/css.ts';
import { formStyles } from '../theme/form-styles.ts';
import { sharedStyles } from '../theme/shared-styles.ts';
import { maskedCard } from './masked-card.ts';
import { paymentStatusText } from './payment-status-text.ts';
import { receiptMessages } from './receipt-messages.ts';
import { walletScreenStyles } from './wallet-screen-styles.ts';

/**
 * `<paykey-receipt>`: one payment as the shopper saw and signed it, and what happened — payee, amount in the
 * merchant's currency, fee, exchange rate (`1 USD = 7.1234 CNY` and its source), amount debited in the card's
 * currency, card, time, reference, status; and the bank offer applied to it (an instant discount and the net charged,
 * cashback expected by a date then credited, an instalment plan, or the offer revoked). Loaded on demand (`import('../receipt/paykey-receipt.ts')`), never with
 * the first screen; its strings are in `receipt-messages.ts`, beside it.
 *
 * Properties (all set as properties, none as attributes):
 * - `receipt: Receipt | undefined` — the receipt (`widget/shopper-api.ts`); undefined shows "Loading the receipt…".
 * - `locale: Locale` — `'en'` (default) or `'zh-CN'`: the receipt's own strings, amounts and dates.
 * - `messages: Messages` — the frame's table for `locale` (card brand names); defaults to English.
 * - `brand: BankBrandView | null` — the card's bank's brand, applied to this screen (`--paykey-*`); null: inherit.
 * - `timeZone: string | undefined` — IANA zone for the time; default the browser's.
 * - `busy: boolean` — the wallet is re-reading the receipt ("Refresh" is `aria-disabled` and says so).
 *
 * "Refresh" is offered while something on the receipt may still change — the payment is processing or under review,
 * or its cashback is expected but not yet credited — and only when pressed: the receipt never polls by itself. Once
 * the refreshed receipt arrives, "Receipt updated" is announced.
 *
 * The level-one heading has `tabindex="-1"`: the wallet focuses it when the screen opens.
 *
 * @fires paykey-back - The shopper pressed Back. No detail.
 * @fires paykey-refresh-receipt - `{ paymentIntentId }`: re-read this receipt (`GET /api/frame/payments/:id`) and set it anew.
 */
export class PaykeyReceipt extends TemplateElement {
  // Reactive properties, as `TemplateElement` reads them (no decorators: their helpers would ship too).
  static override properties = {
    receipt: { attribute: false },
    locale: { attribute: false },
    messages: { attribute: false },
    brand: { attribute: false },
    timeZone: { attribute: false },
    busy: { type: Boolean },
  };

  static override styles = [
    sharedStyles,
    formStyles,
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
      .top .refresh { margin-inline-start: auto; }
    `,
  ];

  /** The receipt to show; undefined while it loads. */
  receipt: Receipt | undefined = undefined;
  /** The frame's language. */
  locale: Locale = 'en';
  /** The frame's table for `locale` (card brand names). */
  messages: Messages = en;
  /** The card's bank's brand, or null to inherit the wallet's. */
  brand: BankBrandView | null = null;
  /** IANA time zone of the time shown (tests); the browser's when undefined. */
  timeZone: string | undefined = undefined;
  /** The wallet is re-reading the receipt. */
  busy = false;

  /** "Refresh" was pressed: the next receipt set is announced as updated. */
  private refreshAsked = false;
  private announcement = '';
  /** "Refresh" had the focus before this update: if it is gone (nothing left to wait for), the heading takes it. */
  private refreshHadFocus = false;

  override render() {
    const t = receiptMessages[this.locale] ?? receiptMessages.en;
    return html`
      <div class="top">
        <button class="back" type="button" @click=${this.onBack}>${t.back}</button>
        ${this.receipt && mayChange(this.receipt)
          ? html`<button class="refresh" type="button" aria-disabled=${this.busy ? 'true' : 'false'} @click=${this.onRefresh}>
              ${this.busy ? t.refreshing : t.refresh}
            </button>`
          : nothing}
      </div>
      <h1 tabindex="-1">${t.title}</h1>
      ${this.receipt ? this.details(this.receipt) : html`<p role="status">${t.loading}</p>`}
      ${this.receipt ? html`<p class="visually-hidden" role="status">${this.announcement}</p>` : nothing}
    `;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    this.refreshHadFocus = this.shadowRoot?.activeElement?.classList.contains('refresh') ?? false;
    if (changed.has('receipt') && this.refreshAsked && this.receipt) {
      this.refreshAsked = false;
      this.announcement = (receiptMessages[this.locale] ?? receiptMessages.en).refreshed;
    } else if (changed.has('busy') && !this.busy) {
      this.refreshAsked = false; // The refresh did not come (the wallet's alert says why).
    }
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('brand')) applyBrand(this.renderRoot as ShadowRoot, this.brand);
    if (this.refreshHadFocus && !this.renderRoot.querySelector('button.refresh')) this.renderRoot.querySelector('h1')?.focus();
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
        ${r.offer ? this.offerRows(r, r.offer) : nothing}
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

  /** The offer's row (what it gave, or that it was revoked; its title), and an instant discount's net charge. */
  private offerRows(r: Receipt, offer: ReceiptOffer) {
    const t = receiptMessages[this.locale] ?? receiptMessages.en;
    const money = (amount: number) => formatAmount(amount, r.currency, this.locale, r.currencyDigits);
    const bank = r.card ? localized(r.card.bankName, this.locale) : '';
    const v = offer.value;
    let what: string;
    if (offer.status === 'revoked') {
      what = r.status === 'failed' ? t.revokedFailed : t.revokedRefunded;
    } else if (v.kind === 'instant_discount') {
      what = t.discount(money(v.discount));
    } else if (v.kind === 'cashback') {
      const cashback = offer.cashback ?? { amount: v.cashback, expectedBy: v.expectedBy, creditedAt: null };
      what = cashback.creditedAt
        ? t.cashbackCredited(money(cashback.amount), this.time(cashback.creditedAt))
        : t.cashbackExpected(money(cashback.amount), this.date(cashback.expectedBy));
    } else {
      const apr = t.apr(minorUnitsToDecimal(v.aprBasisPoints, 2).replace(/\.00$/, ''));
      const fees = v.totalFees > 0 ? t.planFees(money(v.totalFees)) : t.noPlanFees;
      what = `${t.plan(money(v.firstInstalment), v.count - 1, money(v.perInstalment))} · ${apr} · ${fees}`;
    }
    return html`
      <div class="offer">
        <dt>${bank ? t.offer(bank) : t.bankOffer}</dt>
        <dd>
          ${what} <span class="rate-source">${offer.title}</span>
          ${offer.personalized && bank ? html`<span class="rate-source">${t.personalized(bank)}</span>` : nothing}
        </dd>
      </div>
      ${v.kind === 'instant_discount' ? html`<div><dt>${t.chargedWithOffer}</dt><dd>${money(offer.effect.charged)}</dd></div>` : nothing}
    `;
  }

  /** A day, as in "expected by Dec 3, 2026" / "2026年12月3日". */
  private date(iso: string): string {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    return new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeZone: this.timeZone }).format(date);
  }

  private time(iso: string): string {
    try {
      return formatDateTime(iso, this.locale, this.timeZone);
    } catch {
      return iso; // The server's own string beats "Invalid Date".
    }
  }

  private onRefresh() {
    if (this.busy || !this.receipt) return;
    this.refreshAsked = true;
    this.announcement = '';
    const detail = { paymentIntentId: this.receipt.paymentIntentId };
    this.dispatchEvent(new CustomEvent('paykey-refresh-receipt', { detail, bubbles: true, composed: true }));
  }

  private onBack() {
    this.dispatchEvent(new CustomEvent('paykey-back', { bubbles: true, composed: true }));
  }
}

customElements.define('paykey-receipt', PaykeyReceipt);

declare global {
  interface HTMLElementTagNameMap {
    'paykey-receipt': PaykeyReceipt;
  }
  interface HTMLElementEventMap {
    'paykey-back': CustomEvent<undefined>;
    'paykey-refresh-receipt': CustomEvent<{ paymentIntentId: string }>;
  }
}

/** Whether the receipt may still change: the outcome is not known yet, or cashback is expected but not credited. */
function mayChange(r: Receipt): boolean {
  if (r.status === 'processing' || r.status === 'requires_review') return true;
  return r.offer?.status === 'applied' && r.offer.kind === 'cashback' && !r.offer.cashback?.creditedAt;
}
