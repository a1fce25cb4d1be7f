import type { BrandsView, CheckoutAnswer } from '../shopper-api.ts';
import { intentIdFromClientSecret, type ParentToFrameMessage } from '../protocol.ts';
import { WalletApi } from './api/wallet-api.ts';
import { loadScreen } from './app/screen-modules.ts';
import { ParentChannel } from './parent-channel.ts';
import { lazyWalletCache, loadWalletCache } from './storage/lazy-wallet-cache.ts';

/*
 * What the frame page's inline head script (`frame.html`) leaves on `self.paykeyEarly` for the modules, which arrive
 * after it has run: whether it said `loaded`, the parent's messages that came before the entry listened, the checkout
 * it asked for when an `init` for the page's intent came, and the IndexedDB connection it opened. Each piece is taken
 * once; none of it is trusted more than the wire: the taker checks origin, source, shape and secret again. (Here, in
 * the entry's chunk, not a module of its own: the build's chunk groups name the entry's modules one by one.)
 */
interface EarlyPage {
  loaded: boolean;
  /** Set to null once taken: the entry's own listener hears everything after that. */
  messages: MessageEvent[] | null;
  checkout: { clientSecret: string; response: Promise<Response> } | null;
  /** Resolves to the open database (any version), or null when there is none on this device or storage is unavailable. */
  db: Promise<IDBDatabase | null> | null;
}

const page = (): Partial<EarlyPage> | undefined => (globalThis as { paykeyEarly?: Partial<EarlyPage> }).paykeyEarly;

/** Whether the head script already said `loaded` (so the entry must not say it twice: each brings an `init`). */
const earlyLoaded = (): boolean => page()?.loaded === true;

/** The parent's messages the head script kept, once; later calls get none. */
function takeEarlyMessages(): MessageEvent[] {
  const early = page();
  const messages = Array.isArray(early?.messages) ? early.messages : [];
  if (early) early.messages = null;
  return messages;
}

/** The checkout answer the head script asked for, if it asked for exactly `clientSecret`; once. */
function takeEarlyCheckout(clientSecret: string): Promise<Response> | undefined {
  const early = page();
  const checkout = early?.checkout;
  if (!early || !checkout || checkout.clientSecret !== clientSecret) return undefined;
  early.checkout = null;
  return checkout.response;
}

/** The IndexedDB connection the head script opened, once (null: none, or already taken). */
function takeEarlyDatabase(): Promise<IDBDatabase | null> {
  const early = page();
  const db = early?.db ?? null;
  if (early) early.db = null;
  return db ?? Promise.resolve(null);
}

/**
 * The frame's first moments, run by its entry script before the wallet's code has arrived (that code downloads side
 * by side, preloaded from the page's head). The page's inline head script has already said `loaded`, kept the
 * loader's `init` and asked for the checkout with it, and opened IndexedDB (`EarlyPage` above): this takes those
 * over (checking them again), or does the same itself where the head script could not. The
 * device cache is read meanwhile, and the first screen's code (confirm when cards are saved on the device, else
 * sign-in) asked for as soon as that read says which. The wallet element then takes over this channel, this API
 * client and this cache (`earlyStart`), so none of it waits for the wallet's code, nor the wallet for it.
 */
class EarlyChannel extends ParentChannel {
  private first?: ParentToFrameMessage;
  private loadedSent = earlyLoaded();

  constructor() {
    super();
    const keep = (message: ParentToFrameMessage) => (this.first ??= message);
    // What came before this listened, as the head script kept it, judged by the same checks as what comes after.
    for (const event of takeEarlyMessages()) if (this.accepts(event)) keep(event.data);
    super.onInit(keep);
  }

  /** `loaded` goes once: the frame said it when its first script ran, the wallet says it again when it connects. */
  override post(message: Parameters<ParentChannel['post']>[0]): void {
    if (message.type === 'loaded') {
      if (this.loadedSent) return;
      this.loadedSent = true;
    }
    super.post(message);
  }

  /** As `ParentChannel.onInit`, and an `init` that came before the handler did is handed to it at once. */
  override onInit(handler: (message: ParentToFrameMessage) => void): () => void {
    if (this.first) queueMicrotask(() => handler(this.first!));
    return super.onInit(handler);
  }
}

/** A `WalletApi` whose first checkout for a client secret, and first brands, may already be on their way. */
class EarlyApi extends WalletApi {
  private prefetched?: { clientSecret: string; view: Promise<CheckoutAnswer> };
  private prefetchedBrands?: Promise<BrandsView>;

  /** Asks for the checkout now, unless the head script did; the next `checkout(clientSecret)` gets this answer. */
  prefetch(clientSecret: string): void {
    const asked = takeEarlyCheckout(clientSecret);
    // The head script's answer read exactly as any other: one call whose fetch is the one already on its way.
    const view = asked ? new WalletApi(undefined, () => asked).checkout(clientSecret) : super.checkout(clientSecret);
    view.catch(() => {}); // Whoever takes it handles a failure; none is left unhandled meanwhile.
    this.prefetched = { clientSecret, view };
  }

  override checkout(clientSecret: string): Promise<CheckoutAnswer> {
    const prefetched = this.prefetched;
    this.prefetched = undefined;
    return prefetched?.clientSecret === clientSecret ? prefetched.view : super.checkout(clientSecret);
  }

  /** Asks for the card banks' brands now (confirm, which shows them, is the first screen); the next `brands()` gets it. */
  prefetchBrands(): void {
    this.prefetchedBrands ??= super.brands();
    this.prefetchedBrands.catch(() => {});
  }

  override brands(): Promise<BrandsView> {
    const prefetched = this.prefetchedBrands;
    this.prefetchedBrands = undefined;
    return prefetched ?? super.brands();
  }
}

/** The payment intent the frame's URL names (`/frame/<id>`). */
export const intentIdFromPath = (path: string): string | null => /\/frame\/([^/]+)\/?$/.exec(path)?.[1] ?? null;

/** The channel, API client and device cache the wallet element uses in the real frame (tests hand in their own). */
export const earlyStart = { channel: new EarlyChannel(), api: new EarlyApi(), cache: lazyWalletCache };

// The wallet's first `cache.read()` gets this read (`prefetchWallet`). Failures are the flow's to handle when it reads
// and loads the screen again; here they only mean nothing was started early. Saved cards mean confirm comes first,
// which shows their banks' brands: those are asked for now, beside the checkout.
loadWalletCache()
  .then((cache) => {
    cache.useEarlyConnection(takeEarlyDatabase());
    return cache.prefetchWallet();
  })
  .then((cached) => {
    if (cached?.cards.length) earlyStart.api.prefetchBrands();
    return loadScreen(cached?.cards.length ? 'confirm' : 'sign-in');
  })
  .catch(() => {});

let asked = false;
earlyStart.channel.onInit(({ clientSecret }) => {
  // Only for the intent of the frame's URL: the wallet refuses any other (a confused or hostile embedder) unasked.
  if (asked || intentIdFromClientSecret(clientSecret) !== intentIdFromPath(location.pathname)) return;
  asked = true;
  earlyStart.api.prefetch(clientSecret);
});
earlyStart.channel.post({ type: 'loaded' });
