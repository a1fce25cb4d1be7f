import { html, nothing } from 'lit/html.js';
import type { Receipt, SpendingSummaryResponse } from '../../shopper-api.ts';
import type { Locale } from '../i18n/messages.ts';
import { formatAmount } from '../money/format-amount.ts';
import { paymentStatusText } from '../receipt/payment-status-text.ts';
import { walletScreenStyles } from '../receipt/wallet-screen-styles.ts';
import { TemplateElement } from '../template-element.ts';
import { css } from '../theme/css.ts';
import { formStyles } from '../theme/form-styles.ts';
import { sharedStyles } from '../theme/shared-styles.ts';
import { paymentsMessages } from './payments-messages.ts';

/** The day of the month from which the spending summary projects a month-end total (before it: too few days). */
export const PROJECTION_FROM_DAY = 7;

/**
 * `<paykey-payments>`: the shopper's recent payments across all merchants, newest first, each a button that opens
 * its receipt and reads out as one sentence ("Coffee Shop, $25.00, Paid, Dec 1, 2026, fee $0.38"). Loaded on demand
 * (`import('../payments/paykey-payments.ts')`), never with the first screen; its strings are in
 * `payments-messages.ts`, beside it.
 *
 * Properties (set as properties; `busy` also as a boolean attribute):
 * - `payments: readonly Receipt[] | undefined` — the payments loaded so far (`PaymentListResponse.payments`, pages appended
 *   by the wallet); undefined shows "Loading your payments…"; [] shows the empty state. Shown newest first
 *   (sorted by `createdAt`) whatever the order given.
 * - `hasMore: boolean` — `PaymentListResponse.hasMore`: show "Load more payments".
 * - `busy: boolean` — the wallet is fetching the next page: "Load more" is busy
 *   (`aria-disabled`) and says so. When the new payments arrive after "Load more", the focus moves to the first of them.
 * - `messages` is not read: this screen's strings are its own (`payments-messages.ts`).
 * - `locale: Locale` — `'en'` (default) or `'zh-CN'`.
 * - `timeZone: string | undefined` — IANA zone for the dates; default the browser's.
 * - `summary: SpendingSummaryResponse | null` — the shopper's spending this month (`GET /api/frame/spending-summary`),
 *   shown above the list, one line per currency (never converted) with its categories and the projected month-end
 *   total and how it is projected; null (the default, or when it could not be had) shows nothing.
 *
 * The level-one heading has `tabindex="-1"`: the wallet focuses it when the screen opens.
 *
 * @fires paykey-open-receipt - `{ paymentIntentId }`: the shopper opened a payment; show its receipt.
 * @fires paykey-load-more - The shopper asked for older payments (the cursor is the last one's `paymentIntentId`). No detail.
 * @fires paykey-back - The shopper pressed Back. No detail.
 */
export class PaykeyPayments extends TemplateElement {
  // Reactive properties, as `TemplateElement` reads them (no decorators: their helpers would ship too).
  static override properties = {
    payments: { attribute: false },
    hasMore: { attribute: false },
    busy: { type: Boolean },
    locale: { attribute: false },
    timeZone: { attribute: false },
    summary: { attribute: false },
  };

  static override styles = [
    sharedStyles,
    formStyles,
    walletScreenStyles,
    css`
      button.payment {
        display: block;
        inline-size: 100%;
        text-align: start;
        font-weight: 400;
        padding: 0.6em 0.75em;
      }
      .headline { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0 1em; font-weight: 600; }
      .meta { display: flex; flex-wrap: wrap; gap: 0 0.5em; font-size: 0.9em; }
      .more { margin-block-start: 1em; inline-size: 100%; }
      .summary { margin-block: 0 1em; padding: 0.5em 0.75em; border: 1px solid var(--paykey-color-border, #596070); border-radius: var(--paykey-radius, 8px); }
      .summary p { margin: 0.25em 0; }
    `,
  ];

  /** The payments loaded so far; undefined while the first page loads. */
  payments: readonly Receipt[] | undefined = undefined;
  /** Older payments exist: offer "Load more payments". */
  hasMore = false;
  /** The wallet is fetching the next page. */
  busy = false;
  /** The frame's language. */
  locale: Locale = 'en';
  /** IANA time zone of the dates (tests); the browser's when undefined. */
  timeZone: string | undefined = undefined;
  /** The shopper's spending this month; null: not shown. */
  summary: SpendingSummaryResponse | null = null;

  /** How many payments were shown when "Load more" was pressed: the focus goes to the next one once it arrives. */
  private countBeforeMore: number | null = null;

  override render() {
    const t = paymentsMessages[this.locale] ?? paymentsMessages.en;
    return html`
      <div class="top"><button class="back" type="button" @click=${this.onBack}>${t.back}</button></div>
      <h1 tabindex="-1">${t.title}</h1>
      <p>${t.intro}</p>
      ${this.summary ? this.spending(this.summary) : nothing}
      ${this.payments === undefined
        ? html`<p role="status">${t.loading}</p>`
        : this.payments.length === 0
          ? html`<p>${t.empty}</p>`
          : html`<ul class="plain" role="list">${this.sorted(this.payments).map((p) => html`<li>${this.row(p)}</li>`)}</ul>`}
      ${this.payments?.length && this.hasMore
        ? html`<button class="more" type="button" aria-disabled=${this.busy ? 'true' : 'false'} @click=${this.onLoadMore}>
            ${this.busy ? t.loadingMore : t.loadMore}
          </button>`
        : nothing}
      <p class="visually-hidden" role="status">${this.busy && this.countBeforeMore !== null ? t.loadingMore : ''}</p>
    `;
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    if (this.countBeforeMore === null) return;
    const rows = this.renderRoot.querySelectorAll<HTMLButtonElement>('button.payment');
    if (changed.has('payments') && rows.length > this.countBeforeMore) {
      rows[this.countBeforeMore].focus();
      this.countBeforeMore = null;
    } else if (changed.has('busy') && !this.busy) {
      this.countBeforeMore = null; // The page did not come (the wallet's alert says why).
    }
  }

  /**
   * "This month: $45.00 — Groceries $25.00, Clothing $20.00. Projected by Dec 31: $100.00 (…)", per currency. Before the
   * month's PROJECTION_FROM_DAY-th day a straight line from a day or two would mislead (one payment on the 1st is
   * "projected" 31 times over): the line says from when a projection shows instead.
   */
  private spending(s: SpendingSummaryResponse) {
    const t = paymentsMessages[this.locale] ?? paymentsMessages.en;
    const dayOfMonth = (n: number) => {
      const date = new Date(`${s.month}-${String(n).padStart(2, '0')}T00:00:00Z`);
      return Number.isNaN(date.getTime()) ? s.month : new Intl.DateTimeFormat(this.locale, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(date);
    };
    const day = dayOfMonth(s.daysInMonth);
    const projection = (amount: string) => (s.daysElapsed >= PROJECTION_FROM_DAY ? t.projected(day, amount) : t.projectionLater(dayOfMonth(PROJECTION_FROM_DAY)));
    return html`<section class="summary" aria-label=${t.summaryLabel}>
      ${s.totals.length === 0
        ? html`<p>${t.nothingYet}</p>`
        : s.totals.map((total) => {
            const money = (amount: number) => formatAmount(amount, total.currency, this.locale, total.currencyDigits);
            const parts = total.byCategory.map((c) => t.categoryAmount(t.categories[c.category] ?? t.categories.other, money(c.amount))).join(t.listSeparator);
            return html`<p>${t.thisMonth(money(total.spent), parts)} ${projection(money(total.projected))}</p>`;
          })}
      ${s.totals.length > 1 ? html`<p class="secondary">${t.noConversion}</p>` : nothing}
    </section>`;
  }

  /** Newest first; equal times keep the server's order. */
  private sorted(payments: readonly Receipt[]): Receipt[] {
    return [...payments].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  }

  private row(p: Receipt) {
    const t = paymentsMessages[this.locale] ?? paymentsMessages.en;
    const amount = formatAmount(p.amount, p.currency, this.locale, p.currencyDigits);
    const fee = p.fee > 0 ? t.fee(formatAmount(p.fee, p.currency, this.locale, p.currencyDigits)) : '';
    // Hidden commas make the button's accessible name one sentence; the visible dots are hidden from readers.
    const comma = html`<span class="visually-hidden">,</span>`;
    const dot = html`<span aria-hidden="true">·</span>`;
    return html`<button class="payment" type="button" @click=${() => this.open(p.paymentIntentId)}>
      <span class="headline"><span>${p.payee}${comma}</span> <span>${amount}${comma}</span></span>
      <span class="meta"
        ><span>${paymentStatusText[this.locale][p.status]}${comma}</span> ${dot} <span>${this.date(p.createdAt)}${fee ? comma : nothing}</span>
        ${fee ? html`${dot} <span>${fee}</span>` : nothing}</span
      >
    </button>`;
  }

  private date(iso: string): string {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    return new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeZone: this.timeZone }).format(date);
  }

  private open(paymentIntentId: string) {
    this.dispatchEvent(new CustomEvent('paykey-open-receipt', { detail: { paymentIntentId }, bubbles: true, composed: true }));
  }

  private onLoadMore() {
    if (this.busy) return;
    this.countBeforeMore = this.payments?.length ?? 0;
    this.dispatchEvent(new CustomEvent('paykey-load-more', { bubbles: true, composed: true }));
  }

  private onBack() {
    this.dispatchEvent(new CustomEvent('paykey-back', { bubbles: true, composed: true }));
  }
}

customElements.define('paykey-payments', PaykeyPayments);

declare global {
  interface HTMLElementTagNameMap {
    'paykey-payments': PaykeyPayments;
  }
  interface HTMLElementEventMap {
    'paykey-open-receipt': CustomEvent<{ paymentIntentId: string }>;
    'paykey-load-more': CustomEvent<undefined>;
    'paykey-back': CustomEvent<undefined>;
  }
}
