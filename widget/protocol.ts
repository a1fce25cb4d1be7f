/**
 * The typed message protocol between the loader (merchant page) and the
 * wallet frame (wallet origin). Every message carries `paykey: 1` so stray
 * messages from other scripts are ignored; receivers also check the exact
 * origin and source window before reading anything else.
 */
import type { ErrorCode } from './error-codes.ts';

export const PROTOCOL_VERSION = 1;

/**
 * The layouts a merchant may choose for the wallet (`<paykey-checkout layout="…">`): `comfortable` (the default) or
 * `compact` (tighter spacing for a narrow column). A closed list: any other value is never sent to the frame.
 */
export const FRAME_LAYOUTS = ['comfortable', 'compact'] as const;
export type FrameLayout = (typeof FRAME_LAYOUTS)[number];

export function isFrameLayout(value: unknown): value is FrameLayout {
  return (FRAME_LAYOUTS as readonly unknown[]).includes(value);
}

/**
 * Loader → frame. Everything the merchant's page can make reach the wallet frame: the client secret, the locale it
 * asks for, the page's writing direction and a layout from a closed list. Nothing else — no colour, text, font or
 * style: the payee, the amounts and the bank's identity on the confirm screen are the wallet's alone.
 */
export type ParentToFrameMessage = {
  paykey: 1;
  type: 'init';
  /** Travels only by postMessage, never in a URL. */
  clientSecret: string;
  locale: string;
  /** The embedding element's writing direction (its `dir`, else the page's): the frame's layout follows it (the loader always sends it). */
  dir?: 'ltr' | 'rtl';
  /** Default `comfortable`. */
  layout?: FrameLayout;
};

/** Frame → loader. */
export type FrameToParentMessage =
  | { paykey: 1; type: 'loaded' }
  | { paykey: 1; type: 'ready' }
  | { paykey: 1; type: 'resize'; height: number }
  | { paykey: 1; type: 'success'; paymentIntentId: string; status: string }
  /**
   * The shopper has confirmed, but the outcome is not known yet (`status` is `processing` or `requires_review`):
   * sent at most once per payment attempt, after the frame's first few seconds of polling. `success` or `error`
   * may still follow if the frame learns the outcome while it stays open; the merchant's server learns it either way.
   */
  | { paykey: 1; type: 'processing'; paymentIntentId: string; status: string }
  /** `code` is from the one closed set (`error-codes.ts`): a code the server sent, or one of the frame's own. */
  | { paykey: 1; type: 'error'; code: ErrorCode; message: string }
  | { paykey: 1; type: 'cancel' };

export function isFrameToParentMessage(data: unknown): data is FrameToParentMessage {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as Record<string, unknown>;
  if (m.paykey !== PROTOCOL_VERSION) return false;
  switch (m.type) {
    case 'loaded':
    case 'ready':
    case 'cancel':
      return true;
    case 'resize':
      return typeof m.height === 'number' && Number.isFinite(m.height) && m.height >= 0;
    case 'success':
    case 'processing':
      return typeof m.paymentIntentId === 'string' && typeof m.status === 'string';
    case 'error':
      return typeof m.code === 'string' && typeof m.message === 'string';
    default:
      return false;
  }
}

export function isParentToFrameMessage(data: unknown): data is ParentToFrameMessage {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as Record<string, unknown>;
  return (
    m.paykey === PROTOCOL_VERSION &&
    m.type === 'init' &&
    typeof m.clientSecret === 'string' &&
    typeof m.locale === 'string' &&
    // Optional (older loaders send neither), but only from their closed lists.
    (m.dir === undefined || m.dir === 'ltr' || m.dir === 'rtl') &&
    (m.layout === undefined || isFrameLayout(m.layout))
  );
}

/** The intent id is the part of a client secret before `_secret_`; it is not secret itself. */
export function intentIdFromClientSecret(clientSecret: string): string | null {
  const match = /^(pi_[A-Za-z0-9]+)_secret_[A-Za-z0-9]+$/.exec(clientSecret);
  return match ? match[1] : null;
}
