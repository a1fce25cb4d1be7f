import { html, nothing } from 'lit/html.js';
import type { CheckoutView, OfferSettings, OfferView, OffersResponse, PaymentTerms, SavedCard } from '../../shopper-api.ts';
import { formatApr } from '../confirm/paykey-confirm.ts';
import { localized } from '../i18n/localized.ts';
import type { Locale } from '../i18n/messages.ts';
import { formatAmount } from '../money/format-amount.ts';
import { TemplateElement } from '../template-element.ts';
import { css } from '../theme/css.ts';
import { formStyles } from '../theme/form-styles.ts';
import { sharedStyles } from '../theme/shared-styles.ts';
import { bestCard } from './best-card.ts';
import { offersMessages } from './offers-messages.ts';

/**
 * An offer whose own end (`endsAt`) is at most this far from now shows its end time; no countdown ever. A quote's
 * `expiresAt` is not an end: the wallet renews quotes by itself.
 */
const SHOW_END_WITHIN_MS = 30 * 60_000;

/**
 * The bank offers on the confirm screen, for the chosen card (its code comes with `offer-keeper.ts`, loaded when the
 * wallet asks for offers, after the first screen):
 * - the best card for this payment (`bestCard`), as a chip the shopper may press — the chosen card never changes by itself;
 * - with an instalment plan: "Pay in full" (chosen unless the shopper picks the plan) or the plan, one radio group;
 * - each offer: its title and terms, "Don't use this offer" / "Use this offer", its end time only when the offer
 *   itself ends within 30 minutes (`endsAt`, never the quote's `expiresAt`),
 *   and "Why am I seeing this?" (personalised or not, who funds it, what the shop learns);
 * - "Offer settings": the two switches (`role="switch"`), as the server answered. Both off: no offers, only the settings.
 *
 * @fires paykey-choose-offer - `{ offerId }`: an offer id, null (none), or undefined (pay in full: the wallet's pick).
 * @fires paykey-select-card - `{ id }`: the best-card chip was pressed.
 * @fires paykey-offer-settings - "Offer settings" was pressed (opens or closes the panel).
 * @fires paykey-offer-setting - `{ which, on }`: a switch was turned.
 */
export class PaykeyOffers extends TemplateElement {
  // Reactive properties, as `TemplateElement` reads them (no decorators: their helpers would ship too).
  static override properties = {
    locale: {},
    checkout: { attribute: false },
    cards: { attribute: false },
    selectedId: { attribute: false },
    terms: { attribute: false },
    offers: { attribute: false },
    choice: { attribute: false },
    offersGone: { attribute: false },
    settings: { attribute: false },
    settingsOpen: { type: Boolean, attribute: 'settings-open' },
    busy: { type: Boolean },
    open: { state: true },
  };

  static override styles = [
    sharedStyles,
    formStyles,
    css`
      :host { margin-block-end: 1em; }
      h2 { font-size: 1.05em; margin-block-end: .5em; }
      ul { list-style: none; margin: 0 0 .75em; padding: 0; }
      li { border: 1px solid var(--paykey-color-border, #596070); border-radius: var(--paykey-radius, 8px); padding: .6em .75em; margin-block-end: .5em; }
      li p { margin: 0 0 .4em; }
      .title { font-weight: 600; }
      .state { font-size: .9em; font-weight: 600; }
      .actions { display: flex; flex-wrap: wrap; gap: .4em; }
      .chip { width: 100%; text-align: start; font-weight: 600; border-width: 2px; margin-block-end: .75em; }
      fieldset { border: 0; padding: 0; margin: 0 0 .75em; min-width: 0; }
      legend { font-weight: 600; padding: 0; margin-block-end: .4em; }
      .option {
        display: flex; align-items: center; gap: .6em; min-height: 44px; font-weight: 600; cursor: pointer;
        border: 1px solid var(--paykey-color-border, #596070); border-radius: var(--paykey-radius, 8px);
        padding: .5em .75em; margin-block-end: .4em;
      }
      .option:has(input:checked) { border: 2px solid var(--paykey-color-primary, #1f3fbf); }
      .option:has(:focus-visible) { outline: 3px solid var(--paykey-color-text, #1a1d24); outline-offset: 2px; }
      .option input { width: 1.1em; height: 1.1em; margin: 0; flex: none; accent-color: var(--paykey-color-primary, #1f3fbf); }
      .why { font-size: .95em; border-inline-start: 3px solid var(--paykey-color-border, #596070); padding-inline-start: .6em; margin-block-start: .4em; }
      .switch { display: flex; justify-content: space-between; align-items: center; gap: .75em; width: 100%; text-align: start; margin-block-end: .2em; }
      .switch .knob { flex: none; min-width: 3em; text-align: center; border-radius: 1em; padding: 0 .5em; border: 1px solid currentColor; }
      .switch[aria-checked='true'] .knob { background: var(--paykey-color-primary, #1f3fbf); color: var(--paykey-color-on-primary, #fff); }
      .hint { font-size: .9em; margin-block-end: .6em; }
      .panel { margin-block-start: .5em; }
    `,
  ];

  /** The frame's locale: the offers' own strings (`offers-messages.ts`), amounts and dates. */
  locale: Locale = 'en';
  checkout?: CheckoutView;
  cards: SavedCard[] = [];
  selectedId?: string;
  /** The chosen card's terms as quoted (with the offer applied, if any); undefined while fetched. */
  terms?: PaymentTerms;
  offers?: OffersResponse;
  /** The shopper's pick for the chosen card: an offer id, null (none), undefined (the wallet's). */
  choice?: string | null;
  offersGone: Readonly<Record<string, readonly string[]>> = {};
  settings?: OfferSettings;
  settingsOpen = false;
  busy = false;

  /** Offer ids whose "Why am I seeing this?" is open. */
  private open: ReadonlySet<string> = new Set();

  override render() {
    const t = offersMessages[this.locale];
    const c = this.checkout;
    const on = !this.offers || this.offers.settings.general || this.offers.settings.personalized;
    const card = this.offers?.cards.find((x) => x.cardId === this.selectedId);
    const gone = (this.selectedId && this.offersGone[this.selectedId]) || [];
    const shown = on && c ? (card?.offers ?? []) : [];
    const plans = shown.filter((o) => o.kind === 'instalments' && !gone.includes(o.offerId));
    const chip = on && c ? this.renderBestCard(c) : nothing;
    return html`
      ${shown.length
        ? html`<section aria-labelledby="offers-heading">
            <h2 id="offers-heading">${t.heading}</h2>
            ${chip}
            ${plans.length ? this.renderPlans(plans, c!) : nothing}
            <ul>
              ${shown.map((o) => this.renderOffer(o, gone.includes(o.offerId), c!))}
            </ul>
          </section>`
        : chip}
      <button type="button" class="link" aria-expanded=${this.settingsOpen} aria-controls="offer-settings" aria-disabled=${this.busy} @click=${this.onSettings}>
        ${t.settings}
      </button>
      <div id="offer-settings" class="panel" ?hidden=${!this.settingsOpen}>
        ${this.settingsOpen && this.settings ? this.renderSwitches(this.settings) : nothing}
      </div>
    `;
  }

  private renderBestCard(c: CheckoutView) {
    const t = offersMessages[this.locale];
    const best = this.offers ? bestCard(this.offers.cards, this.selectedId, this.offersGone) : null;
    const card = best && this.cards.find((x) => x.id === best.cardId);
    if (!best || !card) return nothing;
    const money = (amount: number) => formatAmount(amount, c.currency, this.locale, c.currencyDigits);
    const bank = localized(c.banks.find((b) => b.id === card.bank)?.name ?? card.bankName, this.locale);
    const { cost, offer } = best;
    const saving =
      offer?.value.kind === 'instant_discount' ? t.bestOff(money(offer.value.discount))
      : cost.comesBackLater > 0 ? t.bestBack(money(cost.comesBackLater), cost.estimate)
      : '';
    const crossCurrency = this.offers!.cards.find((x) => x.cardId === card.id)?.crossCurrency ?? false;
    const fees = cost.fee > 0 ? t.fee(money(cost.fee), crossCurrency) : t.noFees;
    const label = t.bestCard(t.cardShort(bank, card.last4), money(cost.charged + cost.fee), saving, fees);
    return html`<button type="button" class="chip" aria-disabled=${this.busy} @click=${() => this.select(card.id)}>${label}</button>`;
  }

  private renderPlans(plans: OfferView[], c: CheckoutView) {
    const t = offersMessages[this.locale];
    const money = (amount: number) => formatAmount(amount, c.currency, this.locale, c.currencyDigits);
    const chosen = plans.find((p) => p.offerId === this.choice)?.offerId;
    return html`<fieldset role="radiogroup" aria-labelledby="how-to-pay">
      <legend id="how-to-pay">${t.howToPay}</legend>
      <label class="option">
        <input type="radio" name="how-to-pay" .checked=${!chosen} ?disabled=${this.busy} @change=${() => this.choose(undefined)} />
        <span>${t.payInFull}</span>
      </label>
      ${plans.map((p) => {
        if (p.value.kind !== 'instalments') return nothing;
        const v = p.value;
        const label = v.aprBasisPoints === 0 && v.totalFees === 0
          ? t.instalmentsFree(v.count, money(v.perInstalment))
          : t.instalmentsCost(v.count, money(v.perInstalment), formatApr(v.aprBasisPoints, this.locale), money(v.totalFees));
        return html`<label class="option">
          <input type="radio" name="how-to-pay" .checked=${chosen === p.offerId} ?disabled=${this.busy} @change=${() => this.choose(p.offerId)} />
          <span>${label}</span>
        </label>`;
      })}
    </fieldset>`;
  }

  private renderOffer(o: OfferView, gone: boolean, c: CheckoutView) {
    const t = offersMessages[this.locale];
    const applied = this.terms?.offer?.offerId === o.offerId;
    const bankBrand = c.banks.find((b) => b.id === o.bank);
    const bank = bankBrand ? localized(bankBrand.name, this.locale) : o.bank;
    // The offer's own end (its campaign), never its quote's `expiresAt` (minutes, renewed by the wallet): no end, none shown.
    const ends = o.endsAt === null ? NaN : Date.parse(o.endsAt);
    const soon = ends > Date.now() && ends - Date.now() <= SHOW_END_WITHIN_MS;
    const whyId = `why-${o.offerId}`;
    const expanded = this.open.has(o.offerId);
    const funded = o.fundedBy === 'bank' ? t.fundedByBank(bank) : o.fundedBy === 'merchant' ? t.fundedByMerchant(c.payee) : t.fundedShared(bank, c.payee);
    return html`<li>
      <p class="title">${o.title}</p>
      <p>${o.terms}</p>
      ${soon ? html`<p>${t.endsAt(new Intl.DateTimeFormat(this.locale, { timeStyle: 'short' }).format(new Date(ends)))}</p>` : nothing}
      ${gone ? html`<p class="state">${t.gone}</p>` : applied ? html`<p class="state">${t.applied}</p>` : nothing}
      <div class="actions">
        ${o.kind === 'instalments' || gone
          ? nothing
          : applied
            ? html`<button type="button" aria-disabled=${this.busy} @click=${() => this.choose(null)}>${t.removeOffer}</button>`
            : html`<button type="button" aria-disabled=${this.busy} @click=${() => this.choose(o.offerId)}>${t.useOffer}</button>`}
        <button type="button" class="link" aria-expanded=${expanded} aria-controls=${whyId} @click=${() => this.toggleWhy(o.offerId)}>${t.why}</button>
      </div>
      <div id=${whyId} class="why" ?hidden=${!expanded}>
        ${expanded
          ? html`<p>${o.personalized ? t.whyPersonalized(bank) : t.whyGeneral}</p>
              <p>${funded}</p>`
          : nothing}
      </div>
    </li>`;
  }

  private renderSwitches(s: OfferSettings) {
    const t = offersMessages[this.locale];
    const row = (which: keyof OfferSettings, label: string, hint: string) => html`
      <button
        type="button"
        class="switch"
        role="switch"
        aria-checked=${s[which]}
        aria-describedby=${`hint-${which}`}
        aria-disabled=${this.busy}
        @click=${() => this.turn(which, !s[which])}
      >
        <span>${label}</span><span class="knob" aria-hidden="true">${s[which] ? t.on : t.off}</span>
      </button>
      <p class="hint" id=${`hint-${which}`}>${hint}</p>`;
    return html`<p class="hint">${t.settingsHint}</p>
      ${row('general', t.general, t.generalHint)} ${row('personalized', t.personalized, t.personalizedHint)}`;
  }

  private toggleWhy(offerId: string) {
    const open = new Set(this.open);
    if (!open.delete(offerId)) open.add(offerId);
    this.open = open;
  }

  private choose(offerId: string | null | undefined) {
    if (!this.busy) this.emit('paykey-choose-offer', { offerId });
  }

  private select(id: string) {
    if (!this.busy) this.emit('paykey-select-card', { id });
  }

  private onSettings() {
    if (!this.busy) this.emit('paykey-offer-settings', undefined);
  }

  private turn(which: keyof OfferSettings, on: boolean) {
    if (!this.busy) this.emit('paykey-offer-setting', { which, on });
  }

  private emit(type: string, detail: unknown) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

customElements.define('paykey-offers', PaykeyOffers);

declare global {
  interface HTMLElementTagNameMap {
    'paykey-offers': PaykeyOffers;
  }
  interface HTMLElementEventMap {
    'paykey-choose-offer': CustomEvent<{ offerId?: string | null }>;
    'paykey-offer-settings': CustomEvent<undefined>;
    'paykey-offer-setting': CustomEvent<{ which: keyof OfferSettings; on: boolean }>;
  }
}
