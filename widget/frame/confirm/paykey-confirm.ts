import { html, nothing } from 'lit/html.js';
import type { AppliedOffer, BankBrandView, CheckoutView, OfferSettings, OffersResponse, PaymentTerms, SavedCard } from '../../shopper-api.ts';
import { en, type Messages } from '../i18n/en.ts';
import { brandName, localized } from '../i18n/localized.ts';
import type { Locale } from '../i18n/messages.ts';
import { formatAmount, minorUnitsToDecimal } from '../money/format-amount.ts';
import { TemplateElement, type PropertyValues } from '../template-element.ts';
import { css } from '../theme/css.ts';
import { formStyles } from '../theme/form-styles.ts';
import { sharedStyles } from '../theme/shared-styles.ts';
import { VisibilityGuard } from './visibility-guard.ts';

/** `12, 2030` → `"12/30"`. */
export function formatExpiryShort(month: number, year: number): string {
  return `${String(month).padStart(2, '0')}/${String(year % 100).padStart(2, '0')}`;
}

/** The rate exactly as quoted, never reformatted: `1 USD = 7.1234 CNY`. */
export function formatRate(terms: Pick<PaymentTerms, 'currency' | 'debit'> & { fx: NonNullable<PaymentTerms['fx']> }): string {
  return `1 ${terms.currency} = ${terms.fx.rate} ${terms.debit.currency}`;
}

/** An APR in basis points as a percentage, exactly: `0` → "0%", `1999` → "19.99%". */
export function formatApr(basisPoints: number, locale: string): string {
  const percent = minorUnitsToDecimal(basisPoints, 2).replace(/\.?0+$/, '');
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(`${percent}E-2` as Intl.StringNumericLiteral);
}

type BankTheme = typeof import('../theme/bank-theme.ts');
let bankTheme: Promise<BankTheme> | undefined;
/** `bank-theme.ts`, fetched once for every confirm screen (again after a failed download). */
function loadBankTheme(): Promise<BankTheme> {
  bankTheme ??= import('../theme/bank-theme.ts');
  bankTheme.catch(() => (bankTheme = undefined));
  return bankTheme;
}

/**
 * The confirm screen: what the shopper signs. The payee and the amount in the merchant's currency; the saved cards (and
 * 'Pay by bank' when offered, value `bank:<id>`) as a radio group, each with its bank's logo and name; then what the
 * chosen card costs (`#terms`): the fee charged to the shopper (when there is one), and for a card in another currency
 * the rate exactly as quoted (`1 USD = 7.1234 CNY`), its source and the amount debited in the card's currency; the bank's
 * offers; and one Pay button.
 *
 * Nothing above the cards changes with the card chosen, the terms or the banks' offers: all that comes later or differs
 * per card is rendered below them, so the card list never moves under the shopper's pointer (a row or an offer panel
 * arriving above it moved it by up to a third of the frame, and a second click landed elsewhere); a bank's logo keeps
 * its place before it shows (`renderLogo`), as the brand check's code loads after the screen first draws.
 *
 * The Pay button names the **debit**: what leaves the shopper's account (amount + fee, converted when the card's
 * currency differs), e.g. "Pay ¥180.79" for a $25.00 payment with a Lotus Bank CNY card; the merchant's amount stays in
 * the summary at the top. Paying by bank names the payment's amount.
 *
 * `terms` are the quoted figures for the chosen card (fetched by the wallet whenever the card changes). Until terms for
 * that card arrive, Pay is disabled and a visible status says the price (or the exchange rate) is being fetched: no
 * one pays on figures they have not seen. That status line keeps its height while the terms have no line of their own
 * (a plain price): Pay and Add card stay under the pointer of someone pressing them as the price comes. The heading is
 * described by both parts of the summary, so a screen reader reads payee, amount, fee, rate and debit when the screen
 * takes focus.
 *
 * Brands: the chosen card's bank's brand (`checkout.banks`, by `card.bank`) is applied on this element's host as
 * `--paykey-*` properties (bank-theme.ts), over the operator's that the wallet applies; a brand failing the frame's
 * own check (contrast and the rest) is refused and the operator's shows instead. The payee, the amounts and the bank's
 * identity live only inside this cross-origin frame: nothing the merchant's page sets reaches them.
 *
 * While `busy`, Pay and "Add card" are `aria-disabled` (they keep the focus) and ignore presses. The focus ring goes
 * round the whole card, as the radio alone is small to spot.
 *
 * Against clickjacking (`VisibilityGuard`): Pay is also `aria-disabled` and ignores presses for a moment after it
 * appears or becomes pressable (the checkout or new terms arrived), after the frame becomes visible again or changes
 * size; and a press while the button is not fully visible (Chromium) is refused as `paykey-pay-obscured`.
 *
 * A bank offer applied to the terms (`terms.offer`) is one more line of the summary, what it signs: "Lotus Bank offer:
 * ¥20.00 off", "$1.00 back, expected by Dec 3", or the instalment plan; Pay names the debit, as ever. The offers
 * themselves (the choice, "Why am I seeing this?", the switches, the best card) are `<paykey-offers>`, shown once
 * `offers` are set (its code loads with the flow's offer logic, off the first screen). Until then, with cards to have
 * offers, an empty line of the "Offer settings" link's height (`.offers-due`: a link button's 44 px, or its line and
 * two .5em paddings when the text is larger, and the offers' bottom margin) holds the least the offers will take: a
 * payment with no offer moves nothing under the pointer when they answer (if the banks' offers cannot be had at all,
 * the line stays empty: the flow keeps `offers` undefined and never waits on them). `offerNotice` (an offer refused,
 * the new amount) is an alert that takes the focus.
 *
 * @fires paykey-select-card - `{ id }` when another card is chosen.
 * @fires paykey-add-card - the shopper pressed "Add card".
 * @fires paykey-pay - the shopper pressed Pay (on the `terms` shown).
 * @fires paykey-pay-obscured - the shopper (or a page tricking them) pressed Pay while it was hidden, transparent or covered.
 */
export class PaykeyConfirm extends TemplateElement {
  // Reactive properties, as `TemplateElement` reads them (no decorators: their helpers would ship too).
  static override properties = {
    messages: { attribute: false },
    locale: {},
    checkout: { attribute: false },
    cards: { attribute: false },
    selectedId: { attribute: false },
    terms: { attribute: false },
    busy: { type: Boolean },
    offers: { attribute: false },
    offersGone: { attribute: false },
    offerSettings: { attribute: false },
    offerSettingsOpen: { type: Boolean },
    offerChoice: { attribute: false },
    offerNotice: {},
    theme: { state: true },
  };

  static override styles = [
    sharedStyles,
    formStyles,
    css`
      :host { background: var(--paykey-color-background, #fff); }
      .bank { display: flex; align-items: center; gap: .5em; margin-block-end: .75em; font-weight: 600; min-height: 2em; }
      .bank :is(img, .logo) { flex: none; width: 2em; height: 2em; border-radius: calc(var(--paykey-radius, 8px) * .75); }
      dl { display: grid; grid-template-columns: auto 1fr; gap: .25em 1em; margin: 0 0 1em; }
      #terms:not(:has(dt)) { margin: 0; }
      dt { font-weight: 400; }
      dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
      dd small { display: block; font-weight: 400; font-size: .9em; }
      .amount, .debit { font-size: 1.2em; }
      .status { font-style: italic; }
      #terms:not(:has(dt)) + .status { min-height: 1lh; }
      .offers-due { min-height: max(44px, 2.5em); margin-block-end: 1em; }
      .offer-notice { border: 1px solid #8a5a00; background: #fff8e6; color: #3d2800; border-radius: var(--paykey-radius, 8px); padding: .6em .75em; }
      .offer-notice:empty { padding: 0; border: 0; margin: 0; }
      .offer-notice:focus-visible, .offer-notice:focus { outline: 3px solid var(--paykey-color-text, #1a1d24); outline-offset: 2px; }
      fieldset { border: 0; padding: 0; margin: 0 0 1em; min-width: 0; }
      legend { font-weight: 600; padding: 0; margin-block-end: .4em; }
      .card {
        display: flex; align-items: center; flex-wrap: wrap; gap: .25em .6em; font-weight: 400; min-height: 44px;
        border: 1px solid var(--paykey-color-border, #596070); border-radius: var(--paykey-radius, 8px);
        padding: .6em .75em; margin-block-end: .5em; cursor: pointer;
      }
      .card:has(input:checked) { border-color: var(--paykey-color-primary, #1f3fbf); box-shadow: inset 0 0 0 1px var(--paykey-color-primary, #1f3fbf); }
      .card:has(:focus-visible) { outline: 3px solid var(--paykey-color-text, #1a1d24); outline-offset: 2px; }
      .card input { width: 1.1em; height: 1.1em; margin: 0; accent-color: var(--paykey-color-primary, #1f3fbf); }
      .card :is(img, .logo) { flex: none; width: 1.5em; height: 1.5em; border-radius: 4px; }
      .card .issuer { font-size: .9em; }
    `,
  ];

  /** UI text. */
  messages: Messages = en;
  /** The frame's locale: amounts (Intl) and bank names. */
  locale: Locale = 'en';
  /** The payment being confirmed; undefined while it loads. */
  checkout?: CheckoutView;
  /** Saved cards, possibly from the device cache. */
  cards: SavedCard[] = [];
  /** Id of the chosen card (`bank:<id>` for pay by bank). */
  selectedId?: string;
  /** What paying with the chosen card costs, as quoted; undefined while it is being fetched. */
  terms?: PaymentTerms;
  /** Disables the controls while a request runs. */
  busy = false;
  /** Every card's bank offers and costs (undefined: none yet, or none to be had). */
  offers?: OffersResponse;
  /** Offers the bank refused in this checkout, per card id. */
  offersGone: Readonly<Record<string, readonly string[]>> = {};
  /** The two offer switches as the server answered. */
  offerSettings?: OfferSettings;
  /** The "Offer settings" panel is open. */
  offerSettingsOpen = false;
  /** The shopper's pick of offer for the chosen card: an offer id, null (none), undefined (the wallet's own). */
  offerChoice?: string | null;
  /** An offer was refused: the new amount, to review before pressing Pay again. */
  offerNotice = '';

  private readonly guard = new VisibilityGuard(() => this.requestUpdate());
  /** Whether Pay could be pressed at the last render (it becoming so restarts the guard). */
  private payable = false;
  /** The brand applied on the host, by id (`operator`: none of our own). */
  private shownBrand?: BankBrandView;
  /**
   * The frame's own check of bank brands and their application (`bank-theme.ts`), loaded once this screen is on show:
   * until it is here no bank logo or colours show (the operator's theme, inherited, does), so a brand is never shown
   * unchecked, and the first screen does not wait for that code.
   */
  private theme?: BankTheme;

  override firstUpdated() {
    this.watchPay();
  }

  override connectedCallback() {
    super.connectedCallback();
    if (this.hasUpdated) this.watchPay();
    if (!this.theme) loadBankTheme().then((theme) => (this.theme = theme), () => {}); // Not here: no brand shows.
  }

  override willUpdate(changed: PropertyValues) {
    const payable = this.readyToPay();
    // Pay becomes pressable once the payment and its terms are known, and the figures may change under it with new
    // terms: either way a moment must pass before a press counts, so no one presses on figures they did not see.
    const newTerms = changed.has('terms') && this.terms !== undefined && changed.get('terms') !== undefined;
    if (this.hasUpdated && payable && (!this.payable || newTerms)) this.guard.restart();
    this.payable = payable;
    if (changed.has('checkout') || changed.has('selectedId') || changed.has('cards') || (changed as PropertyValues).has('theme')) this.showBrand(this.selectedBrand());
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.guard.stop();
  }

  override updated(changed: PropertyValues) {
    // Read first: the amount changed under the shopper, who must see it before pressing Pay again.
    if (changed.has('offerNotice') && this.offerNotice) this.renderRoot.querySelector<HTMLElement>('.offer-notice')?.focus();
  }

  override render() {
    const m = this.messages;
    const c = this.checkout;
    const money = (amount: number, currency: string, digits: number) => formatAmount(amount, currency, this.locale, digits);
    const amount = c ? money(c.amount, c.currency, c.currencyDigits) : '';
    const terms = this.currentTerms();
    const selected = this.selectedCard();
    const bank = this.selectedBrand();
    const payLabel = !this.readyToPay()
      ? m.payPending
      : terms
        ? m.pay(money(terms.debit.amount, terms.debit.currency, terms.debit.currencyDigits))
        : m.pay(amount);
    const waiting = c && selected && !terms ? (selected.currency && selected.currency !== c.currency ? m.gettingRate : m.gettingPrice) : '';
    return html`
      <h1 tabindex="-1" aria-describedby="summary terms">${m.confirmTitle}</h1>
      ${bank
        ? html`<div class="bank">
            ${this.renderLogo(bank)}<span>${localized(bank.name, this.locale)}</span>
          </div>`
        : nothing}
      <dl id="summary">
        <dt>${m.payTo}</dt>
        <dd>${c?.payee ?? '…'}</dd>
        <dt>${m.amount}</dt>
        <dd class="amount">${amount || '…'}</dd>
      </dl>
      <fieldset role="radiogroup" aria-labelledby="cards-legend">
        <legend id="cards-legend">${m.chooseCard}</legend>
        ${this.cards.map((card) => {
          const brand = this.brandOf(card.bank);
          return html`<label class="card">
            <input
              type="radio"
              name="card"
              .value=${card.id}
              .checked=${card.id === this.selectedId}
              ?disabled=${this.busy}
              @change=${this.onSelect}
            />
            ${this.renderLogo(brand)}
            <span>${m.cardLabel(brandName(m, card.brand), card.last4, formatExpiryShort(card.expMonth, card.expYear))}</span>
            <span class="issuer">${localized(brand?.name ?? card.bankName, this.locale)}</span>
          </label>`;
        })}
        ${c?.payByBank
          ? html`<label class="card">
              <input type="radio" name="card" .value=${`bank:${c.payByBank.id}`} .checked=${this.selectedId === `bank:${c.payByBank.id}`} ?disabled=${this.busy} @change=${this.onSelect} />
              <img src=${c.payByBank.logo} alt="" /><span>${m.payByBank(localized(c.payByBank.name, this.locale))}</span>
            </label>`
          : nothing}
      </fieldset>
      <dl id="terms" aria-busy=${c && (terms || !selected) ? 'false' : 'true'}>
        ${c && terms?.offer ? this.renderOffer(terms.offer, c, bank) : nothing}
        ${c && terms && terms.fee > 0 ? html`<dt>${m.fee}</dt>
              <dd class="fee">${money(terms.fee, terms.currency, c.currencyDigits)}</dd>` : nothing}
        ${terms?.fx
          ? html`<dt>${m.exchangeRate}</dt>
              <dd class="rate"><span dir="ltr">${formatRate({ ...terms, fx: terms.fx })}</span>
                <small>${m.rateSource(terms.fx.source)}</small></dd>`
          : nothing}
        ${terms && (terms.fx || terms.fee > 0 || terms.offer)
          ? html`<dt>${m.debited}</dt>
              <dd class="debit">${money(terms.debit.amount, terms.debit.currency, terms.debit.currencyDigits)}</dd>`
          : nothing}
      </dl>
      <p class="status" role="status">${waiting}</p>
      <p class="offer-notice" role="alert" tabindex="-1">${this.offerNotice}</p>
      ${this.offers && c
        ? html`<paykey-offers
            .locale=${this.locale}
            .checkout=${c}
            .cards=${this.cards}
            .selectedId=${this.selectedId}
            .terms=${terms}
            .offers=${this.offers}
            .offersGone=${this.offersGone}
            .choice=${this.offerChoice}
            .settings=${this.offerSettings}
            ?settings-open=${this.offerSettingsOpen}
            ?busy=${this.busy}
          ></paykey-offers>`
        : this.cards.length
          ? html`<p class="offers-due"></p>`
          : nothing}
      <div class="stack">
        <div class="pay">
          <button
            class="primary"
            type="button"
            aria-disabled=${this.busy || !this.readyToPay() || (this.guard.settling && !this.guard.obscured)}
            @click=${this.onPay}
          >
            ${payLabel}
          </button>
        </div>
        <button type="button" aria-disabled=${this.busy} @click=${this.onAddCard}>${m.addCard}</button>
      </div>
    `;
  }

  /**
   * A bank's logo, once the frame has checked its brand (`theme`) and the checkout with the banks' brands is in; until
   * then an empty box of its size holds its place, so the bank's name and the card rows do not move (nor wrap anew)
   * when it shows. None for a bank without a brand, or with one the check refused.
   */
  private renderLogo(brand: BankBrandView | undefined) {
    if (!this.theme || !this.checkout) return html`<span class="logo"></span>`;
    return brand && this.theme.brandFits(brand) ? html`<img src=${brand.logo} alt="" />` : nothing;
  }

  /** The applied offer's line of the chosen card's terms, in the payment's currency. */
  private renderOffer(offer: AppliedOffer, c: CheckoutView, bank: BankBrandView | undefined) {
    const m = this.messages;
    const money = (amount: number) => formatAmount(amount, c.currency, this.locale, c.currencyDigits);
    const v = offer.value;
    if (v.kind === 'instalments') {
      const fees = v.totalFees > 0 ? m.feesOf(money(v.totalFees)) : m.noFees;
      const plan = m.instalmentPlan(money(v.firstInstalment), v.count - 1, money(v.perInstalment), formatApr(v.aprBasisPoints, this.locale), fees);
      return html`<dt>${m.instalments}</dt>
        <dd class="offer">${plan} <small>${offer.title}</small></dd>`;
    }
    const label = m.offerOf(bank ? localized(bank.name, this.locale) : offer.title);
    const date = v.kind === 'cashback' ? new Intl.DateTimeFormat(this.locale, { day: 'numeric', month: 'short' }).format(new Date(v.expectedBy)) : '';
    const line = v.kind === 'cashback' ? m.offerCashback(money(v.cashback), date) : m.offerOff(money(v.discount));
    return html`<dt>${label}</dt>
      <dd class="offer">${line} <small>${offer.title}</small></dd>`;
  }

  private selectedCard(): SavedCard | undefined {
    return this.cards.find((card) => card.id === this.selectedId);
  }

  private brandOf(bank: string): BankBrandView | undefined {
    return this.checkout?.banks.find((brand) => brand.id === bank);
  }

  /** The chosen card's bank's brand, or the pay-by-bank bank's; none before a choice. */
  private selectedBrand(): BankBrandView | undefined {
    const card = this.selectedCard();
    if (card) return this.brandOf(card.bank);
    const payByBank = this.checkout?.payByBank;
    return payByBank && this.selectedId === `bank:${payByBank.id}` ? payByBank : undefined;
  }

  /** The terms, when they are for the chosen card and this payment; otherwise they are being fetched. */
  private currentTerms(): PaymentTerms | undefined {
    const { terms, checkout: c } = this;
    return terms && c && terms.cardId === this.selectedId && terms.amount === c.amount && terms.currency === c.currency ? terms : undefined;
  }

  /** The payment is known and a way to pay chosen: a card with its terms, or pay by bank. */
  private readyToPay(): boolean {
    if (!this.checkout || !this.selectedId) return false;
    return this.selectedId.startsWith('bank:') ? this.selectedBrand() !== undefined : this.currentTerms() !== undefined;
  }

  private showBrand(brand: BankBrandView | undefined) {
    if (!this.theme || brand === this.shownBrand) return;
    this.shownBrand = brand;
    // A refused brand (applyBrand says why in the console) leaves the operator's, inherited from the wallet.
    if (this.shadowRoot) this.theme.applyBrand(this.shadowRoot, brand);
  }

  private onSelect(event: Event) {
    const id = (event.target as HTMLInputElement).value;
    this.dispatchEvent(new CustomEvent('paykey-select-card', { detail: { id }, bubbles: true, composed: true }));
  }

  private onAddCard() {
    if (!this.busy) this.dispatchEvent(new CustomEvent('paykey-add-card', { bubbles: true, composed: true }));
  }

  private onPay() {
    if (this.busy || !this.readyToPay()) return;
    // Obscured first: the shopper (and the merchant) hear why, whereas a press while settling is just too early.
    if (this.guard.obscured) {
      this.emit('paykey-pay-obscured');
      // Out of view, say the screen grew under a focused Pay: brought into view, so that a press there, once it has
      // settled, pays. A transparent or covered Pay stays refused wherever it is.
      this.renderRoot.querySelector('.pay')!.scrollIntoView({ block: 'center' });
    } else if (!this.guard.settling) this.emit('paykey-pay');
  }

  /**
   * Watches the box holding Pay alone, not Pay itself: a dimmed (busy, settling) Pay has opacity below 1, which would
   * read as obscured. Nor the row with "Add card" below it: a Pay in full view would be refused while that button was
   * cut off by the bottom of the shopper's window, where the browser leaves a control it scrolls into view (Tab).
   */
  private watchPay() {
    this.guard.watch(this.renderRoot.querySelector('.pay')!);
  }

  private emit(type: string) {
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true }));
  }
}

customElements.define('paykey-confirm', PaykeyConfirm);

declare global {
  interface HTMLElementTagNameMap {
    'paykey-confirm': PaykeyConfirm;
  }
  interface HTMLElementEventMap {
    'paykey-select-card': CustomEvent<{ id: string }>;
    'paykey-add-card': CustomEvent<undefined>;
    'paykey-pay': CustomEvent<undefined>;
    'paykey-pay-obscured': CustomEvent<undefined>;
  }
}
