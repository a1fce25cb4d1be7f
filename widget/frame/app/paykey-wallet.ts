import { html, nothing } from 'lit/html.js';
import { isFrameLayout, type FrameLayout, type ParentToFrameMessage } from '../../protocol.ts';
import { intentIdFromPath } from '../boot/boot-checkout.ts';
import { earlyStart } from '../early-start.ts';
import type { ParentChannel } from '../parent-channel.ts';
import { browserPasskeys } from '../passkey/browser-passkeys.ts';
import { readLargerText } from '../sign-in/larger-text-preference.ts';
import '../sign-in/paykey-larger-text.ts';
// Sign-in, a new shopper's first screen, comes with the wallet in the frame's first module (screen-modules.ts).
import '../sign-in/paykey-sign-in.ts';
import { TemplateElement, type PropertyValues } from '../template-element.ts';
import { css } from '../theme/css.ts';
import { sharedStyles } from '../theme/shared-styles.ts';
import { CheckoutFlow } from './checkout-flow.ts';
import type { FlowDeps, FlowTiming } from './flow-deps.ts';
import { initialState, type FlowState, type Screen } from './flow-state.ts';
import { focusHeading, screenHeading } from './focus-heading.ts';
import { loadScreen } from './screen-modules.ts';

/** The loader's side of the channel as the element uses it: `init` in, every message out. */
export type WalletChannel = Pick<ParentChannel, 'post' | 'onInit'>;

/** What the element builds its flow from; tests hand in their own (a fake backend) before it connects. */
export type WalletDeps = Omit<FlowDeps, 'channel'> & { channel: WalletChannel };

/** Screens after which nothing is left to pay (or nothing can be): no Cancel. */
const settledScreens: ReadonlySet<Screen> = new Set(['pending', 'notice', 'receipt', 'payments', 'manage-cards']);

/**
 * The wallet inside the iframe: renders the checkout flow's state (`CheckoutFlow`, which owns every network call and
 * ceremony), moves the focus to each new screen's level-one heading after a shopper action, keeps the document's
 * language and title, and reports its height to the loader.
 */
export class PaykeyWallet extends TemplateElement {
  // Reactive properties, as `TemplateElement` reads them (no decorators: their helpers would ship too).
  static override properties = {
    largerText: { type: Boolean, reflect: true, attribute: 'larger-text' },
    layout: { reflect: true },
    deps: { attribute: false },
    view: { state: true },
  };

  /** How the frame waits (ms): `flowTiming` (flow-timing.ts) unless set here (tests). */
  static timing?: FlowTiming;

  /**
   * How long the wallet draws nothing while it waits for its first screen (ms), counted from when it connects. Most
   * loads have their first screen well within it, and drawing "Loading…" first would be one more render (style, layout,
   * paint) on the path to `ready`; a slow load still shows and announces "Loading…" once it has passed.
   */
  static loadingDelay = 300;

  // An opaque surface, because the text colours are chosen for it whatever the merchant's page behind.
  // Live regions (.alert, .status) stay in the tree while empty, so screen readers notice what is written into them.
  // The alert comes under the screen and its status line, next to the button just pressed: above it, an error
  // arriving (a passkey cancelled, a quote refused) moved the whole screen down under the shopper's pointer, Pay too.
  static override styles = [
    sharedStyles,
    css`
      :host {
        padding: 16px; max-width: 480px; margin: 0 auto; border-radius: 12px;
        background: var(--paykey-color-background, #fff); color: var(--paykey-color-text, #1a1d24);
      }
      .alert {
        border: 1px solid #b3261e; background: #fdf0ef; color: #8c1d18;
        border-radius: 8px; padding: .6rem .75rem; margin-top: .9rem;
      }
      .alert:empty { padding: 0; border: 0; margin: 0; }
      .status { text-align: center; margin: .6rem 0 0; }
      .status:empty { margin: 0; }
      .after { display: flex; flex-direction: column; gap: .4rem; margin-top: .6rem; }
      nav { display: flex; flex-wrap: wrap; gap: .25rem .75rem; justify-content: center; margin-top: .6rem; }
      .cancel { width: 100%; }
      :host([layout='compact']) { padding: 8px; }
      :host([layout='compact']) .alert { margin-top: .5rem; }
    `,
  ];

  /** "Larger text" (the shopper's choice on the first screen, remembered on the device): every screen's text grows. */
  largerText = readLargerText();
  /** The merchant's layout (`<paykey-checkout layout>`, from a closed list): `compact` tightens the spacing. */
  layout: FrameLayout = 'comfortable';

  /** The flow's collaborators, replacing the real ones (tests); read once, when the element first connects. */
  deps: Partial<WalletDeps> = {};

  private view: FlowState = initialState;

  private flow?: CheckoutFlow;
  private channel?: WalletChannel;
  private webauthn?: WalletDeps['webauthn'];
  private readySent = false;
  /** "Loading…" may be drawn: `loadingDelay` has passed since the element first connected. */
  private loadingDue = false;
  private loadingTimer?: ReturnType<typeof setTimeout>;
  private theme?: Promise<typeof import('../theme/bank-theme.ts')>;
  /** The later screens' templates, once loaded (`loadViews`). */
  private views?: typeof import('./later-screen-views.ts');
  private viewsLoading?: Promise<void>;
  private unsubscribe?: () => void;
  // Not before the first render: the host alone (its padding) would shrink the loader's frame to a sliver until the
  // first screen grows it again. Its first render changes the height, so the observer reports it then.
  private resizeObserver = new ResizeObserver(() => {
    if (this.hasUpdated) this.channel?.post({ type: 'resize', height: Math.ceil(this.getBoundingClientRect().height) });
  });

  override connectedCallback() {
    super.connectedCallback();
    const deps: WalletDeps = {
      // Opened by the frame's entry before this code arrived: `init` may be in, the checkout and the cache read on their way.
      api: earlyStart.api,
      channel: earlyStart.channel,
      cache: earlyStart.cache,
      webauthn: browserPasskeys,
      timing: PaykeyWallet.timing,
      frameIntentId: intentIdFromPath(location.pathname),
      languages: navigator.languages,
      loadScreen,
      ...this.deps,
    };
    // A screen's element (the real code, or the tests') and, past sign-in, the wallet's own template for it.
    const loadElement = deps.loadScreen;
    deps.loadScreen = async (screen) => {
      await Promise.all([loadElement(screen), this.loadViews(screen)]);
    };
    this.channel = deps.channel;
    this.webauthn = deps.webauthn;
    this.flow ??= new CheckoutFlow(deps, (next) => (this.view = next));
    this.unsubscribe = deps.channel.onInit((message) => this.onInit(message));
    this.resizeObserver.observe(this);
    deps.channel.post({ type: 'loaded' });
    if (PaykeyWallet.loadingDelay <= 0) this.loadingDue = true;
    else if (!this.loadingDue) {
      this.loadingTimer = setTimeout(() => {
        this.loadingDue = true;
        // Still nothing drawn: the first screen has not come, so "Loading…" now. Otherwise nothing to redo.
        if (!this.hasUpdated) this.requestUpdate();
      }, PaykeyWallet.loadingDelay);
    }
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this.loadingTimer);
    this.unsubscribe?.();
    this.resizeObserver.disconnect();
    this.flow?.stop();
  }

  /** Nothing is drawn while the screen is still 'loading' and `loadingDelay` has not passed. */
  override shouldUpdate(changed: PropertyValues): boolean {
    return this.loadingDue || this.view.screen !== 'loading' ? super.shouldUpdate(changed) : false;
  }

  /**
   * The frame page's body is `hidden` until the first render (`frame.html`): Chromium then lays out no empty page while
   * the module and the checkout come (a first layout that held the main thread for 10 ms in a warm load's trace).
   */
  override firstUpdated() {
    document.body.hidden = false;
  }

  override updated(changed: PropertyValues) {
    if (!changed.has('view')) return;
    // Lit records no old value for a change before the element's first update, and with the first render skipped
    // (`shouldUpdate`) that first update may already be the first screen: it then comes after the initial state.
    const before = (changed.get('view') as FlowState | undefined) ?? initialState;
    if (before === this.view) return;
    const v = this.view;
    if (before.screen !== v.screen) {
      // After a shopper action (never on the first screen, which would steal focus from the merchant page).
      if (before.screen !== 'loading' && this.ownerDocument.hasFocus()) void focusHeading(this.currentScreen());
    }
    if (before.screen !== v.screen || before.locale !== v.locale || before.outcome !== v.outcome) void this.updateTitle();
    document.documentElement.lang = v.locale;
    if (!this.readySent && v.screen !== 'loading') {
      this.readySent = true;
      this.channel?.post({ type: 'ready' });
      // The rest in a task of its own: its requests started in this one held the message back on its way to the
      // merchant page (seen in a Chromium trace).
      setTimeout(() => this.afterReady());
    } else if (this.readySent && before.checkout?.operator !== v.checkout?.operator) void this.showOperatorBrand();
  }

  /** Once the first screen is up: what the next screens and the brands need, while the shopper reads it. */
  private afterReady() {
    // Warm the passkey code and the later screens' templates. The flow warms paying's code, asks for the card banks'
    // brands (no first screen before this needed them), and reads a new shopper's device cache.
    this.webauthn?.warm();
    this.loadViews('confirm').catch(() => {}); // Tried again with the next screen.
    void this.flow?.afterFirstScreen();
    void this.showOperatorBrand();
  }

  override render() {
    const v = this.view;
    const m = v.m;
    const flow = this.flow!;
    const settled = settledScreens.has(v.screen) || (v.screen === 'result' && !!(v.outcome?.ok || !v.outcome?.retry));
    return html`<main>
      ${this.renderScreen()}
      <p class="status" role="status">${v.status || (this.views?.watchingStatus(v) ?? '')}</p>
      <div class="alert" role="alert">${v.alert}</div>
      ${this.views?.renderLaterLinks(v, flow) ?? nothing}
      ${v.screen === 'sign-in' || v.screen === 'loading'
        ? nothing
        : html`<paykey-larger-text
            .messages=${m}
            .on=${this.largerText}
            @paykey-larger-text=${(e: CustomEvent<{ on: boolean }>) => (this.largerText = e.detail.on)}
          ></paykey-larger-text>`}
      ${settled
        ? nothing
        : html`<div class="after">
            <button class="link cancel" type="button" aria-disabled=${v.busy && !v.atBank} @click=${() => flow.cancel()}>${m.cancel}</button>
          </div>`}
    </main>`;
  }

  private renderScreen() {
    const v = this.view;
    const m = v.m;
    const flow = this.flow!;
    switch (v.screen) {
      case 'loading':
        return html`<section><h1 tabindex="-1">${m.frameTitle}</h1><p role="status">${m.loading}</p></section>`;
      case 'notice':
        return html`<section>
          <h1 tabindex="-1" aria-describedby="notice-body">${v.outcome?.heading}</h1>
          <p id="notice-body">${v.outcome?.body}</p>
        </section>`;
      case 'sign-in':
        return html`<paykey-sign-in
          .messages=${m}
          ?busy=${v.busy}
          ?larger-text=${this.largerText}
          @paykey-larger-text=${(e: CustomEvent<{ on: boolean }>) => (this.largerText = e.detail.on)}
          @paykey-sign-in=${flow.signIn}
          @paykey-register=${(e: CustomEvent<{ email: string }>) => flow.register(e.detail.email)}
        ></paykey-sign-in>`;
      default:
        // Every later screen: its template loads with its code (`later-screen-views.ts`, see `loadViews`).
        return this.views?.renderLaterScreen(v, flow) ?? nothing;
    }
  }

  private onInit(message: ParentToFrameMessage) {
    // The embedder's writing direction, when the loader passes one: the layout follows it.
    if (message.dir === 'rtl' || message.dir === 'ltr') document.documentElement.dir = message.dir;
    if (isFrameLayout(message.layout)) this.layout = message.layout;
    void this.flow!.start(message);
  }

  /**
   * The operator's brand (`checkout.operator`) on the wallet's host. The server checked it already; the frame checks it
   * again before showing it (`bank-theme.ts` with `brand-problems.ts`), and that code loads after ready, off the first
   * screen's path: until then, and for a refused brand, the screens show the built-in neutral theme.
   */
  private async showOperatorBrand(): Promise<void> {
    this.theme ??= import('../theme/bank-theme.ts');
    try {
      const { applyBrand } = await this.theme;
      // The latest operator whenever the code arrives (a refreshed checkout may have replaced it meanwhile).
      if (this.shadowRoot) applyBrand(this.shadowRoot, this.view.checkout?.operator);
    } catch {
      // Its code did not download: the neutral theme stays, and the next change of operator tries again.
      this.theme = undefined;
    }
  }

  /**
   * The templates of the screens after sign-in (`later-screen-views.ts`), loaded with the first of them and warmed once
   * the first screen shows; fetched again after a failed download. The flow shows a screen once this has resolved.
   */
  private loadViews(screen: string): Promise<void> {
    if (screen === 'sign-in' || this.views) return Promise.resolve();
    this.viewsLoading ??= import('./later-screen-views.ts').then((module) => {
      this.views = module;
    });
    this.viewsLoading.catch(() => (this.viewsLoading = undefined));
    return this.viewsLoading;
  }

  /** The element of the screen on show (the first in `main`, when there is one). */
  private currentScreen(): Element | null {
    return this.renderRoot.querySelector('main > :not(.alert)');
  }

  /** "Add a card – Paykey wallet": the screen's heading, then the wallet's name. */
  private async updateTitle() {
    const m = this.view.m;
    const heading = (await screenHeading(this.currentScreen()))?.textContent?.replace(/\s+/g, ' ').trim();
    document.title = heading && heading !== m.frameTitle ? m.titleOf(heading, m.frameTitle) : m.frameTitle;
  }
}

customElements.define('paykey-wallet', PaykeyWallet);

declare global {
  interface HTMLElementTagNameMap {
    'paykey-wallet': PaykeyWallet;
  }
}
