import type { ErrorCode } from '../error-codes.ts';
import { FRAME_LAYOUTS, intentIdFromClientSecret, isFrameLayout, isFrameToParentMessage, type FrameLayout, type ParentToFrameMessage } from '../protocol.ts';

/** Detail of `paykey-success`. */
export interface PaykeySuccessDetail { paymentIntentId: string; status: string }
/** Detail of `paykey-processing`: `status` is `processing` or `requires_review`. */
export interface PaykeyProcessingDetail { paymentIntentId: string; status: string }
/** Detail of `paykey-error`; `code` is from the one closed set (`card_declined`, `payment_intent_canceled`, `invalid_client_secret`, `frame_unavailable`, …; README "Errors"). */
export interface PaykeyErrorDetail { code: ErrorCode; message: string }

// The wallet origin is wherever this module was served from, so merchants never configure it.
const walletOrigin = new URL(import.meta.url).origin;

function pickLocale(): string {
  return /^zh\b/i.test(navigator.language) ? 'zh' : 'en';
}

const ignored = (name: string, value: string, expected: string) => console.warn(`<paykey-checkout> ${name}="${value}" ignored: expected ${expected}`);

/** A CSS length a merchant may give `max-width`: a number with px, rem, em, ch or %, nothing else reaches a style. */
const maxWidthPattern = /^\d{1,4}(?:\.\d{1,2})?(?:px|rem|em|ch|%)$/;

/**
 * The Paykey checkout: hosts the wallet frame (on the wallet origin) and relays its outcome as DOM events.
 * Deliberately not a Lit element: merchants download this file on every page, so it stays a few hundred bytes.
 *
 * Appearance is the merchant's at the layout level only: where the wallet sits and how wide (`max-width`, and any
 * CSS on the element or on `::part(frame)` — margins, border, radius, shadow), and a `layout` from a closed list. What
 * the shopper confirms — the payee, the amounts, the fee and rate, the bank's name, logo and colours — is drawn inside
 * the wallet's cross-origin frame, where no style of the page reaches, and only `locale`, `dir` and `layout` are sent
 * to it, each checked against its list.
 *
 * @attr client-secret - the payment intent's client secret; sent to the frame by postMessage only, never in a URL. Until it is set, nothing is shown.
 * @attr locale - `en`, `zh-CN` (or `zh`); defaults from `navigator.language`, and the frame falls back to the browser's languages.
 * @attr layout - `comfortable` (default) or `compact` (tighter spacing for a narrow column); other values are ignored with a console warning.
 * @attr max-width - the wallet's maximum width, a CSS length in px, rem, em, ch or % (e.g. `480px`); default none (it fills its container).
 * @attr dir - `ltr` or `rtl`; without it the element's direction as inherited from the page. The wallet's layout follows it.
 * @csspart frame - the wallet's iframe: style its margins, border, border-radius and box-shadow.
 * @fires paykey-ready - the wallet UI is shown.
 * @fires paykey-success - `{ paymentIntentId, status }` once the payment is confirmed.
 * @fires paykey-processing - `{ paymentIntentId, status }` once the shopper has confirmed but the outcome is not known
 *   yet; confirm it on your server (webhook or GET). `paykey-success` or `paykey-error` may still follow.
 * @fires paykey-error - `{ code, message }` on a decline or any failure.
 * @fires paykey-cancel - the shopper pressed Cancel.
 */
export class PaykeyCheckout extends HTMLElement {
  /** How long the frame may take to say `loaded` before `paykey-error` `frame_unavailable` (ms). */
  static loadTimeout = 15000;
  static observedAttributes = ['client-secret', 'locale', 'layout', 'dir', 'max-width'];

  /** The iframe hosting the wallet, once created. */
  frame?: HTMLIFrameElement;
  private timer?: ReturnType<typeof setTimeout>;
  private secret?: string;
  private loc?: string;
  private layout?: FrameLayout;
  private direction?: 'ltr' | 'rtl';

  connectedCallback(): void {
    addEventListener('message', this.onMessage);
    this.mount();
  }

  disconnectedCallback(): void {
    removeEventListener('message', this.onMessage);
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  attributeChangedCallback(): void {
    if (this.isConnected) this.mount();
  }

  private mount(): void {
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    const secret = this.getAttribute('client-secret') ?? '';
    const lang = this.getAttribute('locale') || pickLocale();
    const layout = this.readLayout();
    const direction = this.readDirection();
    if (this.frame) this.frame.style.maxWidth = this.readMaxWidth();
    // The frame reads these once, at init: a change means a new frame (the shopper's session lives on the server).
    if (secret === this.secret && lang === this.loc && layout === this.layout && direction === this.direction) return;
    this.secret = secret;
    this.loc = lang;
    this.layout = layout;
    this.direction = direction;
    clearTimeout(this.timer);
    this.frame?.remove();
    this.frame = undefined;
    // Frameworks may set the attribute after connecting the element: wait for it rather than fail.
    if (!secret) return;
    const intentId = intentIdFromClientSecret(secret);
    if (!intentId) {
      this.emit('error', { code: 'invalid_client_secret', message: 'The client-secret attribute is malformed: expected pi_…_secret_….' } satisfies PaykeyErrorDetail);
      return;
    }
    const frame = document.createElement('iframe');
    frame.title = 'Paykey checkout';
    frame.allow = 'publickey-credentials-get; publickey-credentials-create; payment';
    frame.setAttribute('part', 'frame');
    frame.src = `${walletOrigin}/frame/${intentId}?origin=${encodeURIComponent(location.origin)}&locale=${encodeURIComponent(lang)}`;
    // CSSOM, not a style attribute, so a strict merchant CSP (no 'unsafe-inline') still allows it. Its height until the
    // wallet reports its own: near a new shopper's first screen (419–614 px, by language and width), so the page's
    // content below moves little when it shows (from 320 px, 99–219 px: a layout shift on the merchant's page).
    Object.assign(frame.style, { display: 'block', width: '100%', maxWidth: this.readMaxWidth(), height: '480px', border: '0', colorScheme: 'normal' });
    root.append(frame);
    this.frame = frame;
    this.failIn(PaykeyCheckout.loadTimeout);
    // The wallet says `loaded` while its page is still loading; a page that finished loading without saying so
    // was refused (an origin the merchant did not register, an unknown intent): tell the merchant now.
    frame.addEventListener('load', () => this.timer && this.failIn(Math.min(1000, PaykeyCheckout.loadTimeout)));
  }

  private readLayout(): FrameLayout {
    const value = this.getAttribute('layout');
    if (value === null || isFrameLayout(value)) return value ?? 'comfortable';
    ignored('layout', value, FRAME_LAYOUTS.join('|'));
    return 'comfortable';
  }

  /** The element's own `dir`, else its direction as the page gives it (an ancestor's `dir`, or CSS `direction`). */
  private readDirection(): 'ltr' | 'rtl' {
    const own = this.getAttribute('dir')?.toLowerCase();
    if (own === 'ltr' || own === 'rtl') return own;
    return getComputedStyle(this).direction === 'rtl' ? 'rtl' : 'ltr';
  }

  private readMaxWidth(): string {
    const value = this.getAttribute('max-width');
    if (value === null) return '';
    if (maxWidthPattern.test(value.trim())) return value.trim();
    ignored('max-width', value, 'a length in px, rem, em, ch or %');
    return '';
  }

  private failIn(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.emit('error', { code: 'frame_unavailable', message: 'The Paykey wallet did not load.' } satisfies PaykeyErrorDetail);
    }, ms);
  }

  private onMessage = (event: MessageEvent): void => {
    const frame = this.frame;
    // Exact origin and window checks before touching the data: anything else on the page can postMessage us.
    if (!frame || event.origin !== walletOrigin || event.source !== frame.contentWindow) return;
    const m = event.data;
    if (!isFrameToParentMessage(m)) return;
    switch (m.type) {
      case 'loaded': {
        clearTimeout(this.timer);
        this.timer = undefined;
        const init: ParentToFrameMessage = { paykey: 1, type: 'init', clientSecret: this.secret!, locale: this.loc!, dir: this.direction!, layout: this.layout! };
        frame.contentWindow!.postMessage(init, walletOrigin);
        break;
      }
      case 'resize':
        frame.style.height = `${Math.ceil(m.height)}px`;
        break;
      case 'success':
      case 'processing':
        this.emit(m.type, { paymentIntentId: m.paymentIntentId, status: m.status });
        break;
      case 'error':
        this.emit('error', { code: m.code, message: m.message } satisfies PaykeyErrorDetail);
        break;
      default:
        this.emit(m.type);
    }
  };

  private emit(type: string, detail?: unknown): void {
    this.dispatchEvent(new CustomEvent(`paykey-${type}`, { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'paykey-checkout': PaykeyCheckout;
  }
  interface HTMLElementEventMap {
    'paykey-ready': CustomEvent<undefined>;
    'paykey-success': CustomEvent<PaykeySuccessDetail>;
    'paykey-processing': CustomEvent<PaykeyProcessingDetail>;
    'paykey-error': CustomEvent<PaykeyErrorDetail>;
    'paykey-cancel': CustomEvent<undefined>;
  }
}
