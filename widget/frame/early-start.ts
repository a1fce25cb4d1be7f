import type { BrandsView, CheckoutAnswer } from '../shopper-api.ts';
import type { ParentToFrameMessage } from '../protocol.ts';
import { WalletApi } from './api/wallet-api.ts';
import { loadScreen } from './app/screen-modules.ts';
import { intentIdFromPath } from './boot/boot-checkout.ts';
import { fromSealedCheckoutForm } from './boot/sealed-checkout-form.ts';
import type { FrameBoot } from './boot/frame-boot.ts';
import { ParentChannel } from './parent-channel.ts';
import { readFirstScreenHint } from './storage/first-screen-hint.ts';
import { lazyWalletCache, loadWalletCache } from './storage/lazy-wallet-cache.ts';

/**
 * The frame's first moments, run as its module starts, before the wallet element exists: the loader's `init` brings
 * the client secret, which opens the checkout the page holds sealed to it (`boot/boot-checkout.ts`: by the boot
 * inlined in the page as `init` comes, or by this channel if `init` comes once it listens; this API client then takes
 * it); where the device last needed the confirm screen (`first-screen-hint.ts`), that screen's code is asked for too
 * and the device cache is read meanwhile (the sign-in screen is in the frame's own module). The wallet element then takes over this channel, this API client and this cache
 * (`earlyStart`), so none of it waits for the wallet, nor the wallet for it.
 */
export class EarlyChannel extends ParentChannel {
  /** The first `init` the loader sent, once it came (kept by the boot, or since this channel listens). */
  private first?: ParentToFrameMessage;
  private loadedSent: boolean;

  /** Takes over from `boot` (the page's inline boot, absent where the page has none): what it kept, and its `loaded`. */
  constructor(boot: FrameBoot | undefined, win: Window = window) {
    super(win);
    this.loadedSent = boot?.loaded ?? false;
    // What the loader sent before this module listened goes through the same checks as what it sends from now on. The
    // first init opens the page's sealed checkout, if the boot has not yet (it came as this module ran, or is to come).
    for (const event of boot?.kept ?? []) this.first ??= this.accepted(event);
    if (this.first) boot?.open(this.first);
    super.onInit((message) => {
      this.first ??= message;
      boot?.open(message);
    });
    boot?.stop();
  }

  /** `loaded` goes once: the boot (or this module, without one) said it first, the wallet says it again when it connects. */
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

/**
 * A `WalletApi` whose first checkout, and first brands, may already be on their way: the checkout sealed in the page,
 * opened by the boot (`boot-checkout.ts`), the brands by `prefetchBrands`.
 */
class EarlyApi extends WalletApi {
  private prefetchedBrands?: Promise<BrandsView>;

  constructor(private readonly boot: FrameBoot | undefined) {
    super();
  }

  /**
   * The checkout of the client secret the boot opened the page's sealed checkout with is that checkout, made whole
   * again (`fromSealedCheckoutForm`), once: no request leaves. If it cannot be opened (a wrong secret, a changed byte),
   * the server is asked, and says why.
   */
  override checkout(clientSecret: string): Promise<CheckoutAnswer> {
    const { boot } = this;
    const opened = boot?.checkout;
    if (opened?.clientSecret !== clientSecret) return super.checkout(clientSecret);
    boot!.checkout = undefined;
    return opened.json
      .then((json) => fromSealedCheckoutForm(intentIdFromPath(location.pathname)!, JSON.parse(new TextDecoder().decode(json))))
      .catch(() => super.checkout(clientSecret));
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

/** The channel, API client and device cache the wallet element uses in the real frame (tests hand in their own). */
export const earlyStart = {
  channel: new EarlyChannel(window.paykeyBoot),
  api: new EarlyApi(window.paykeyBoot),
  cache: lazyWalletCache,
};

// An `init` that comes from now on reaches the wallet's handler in the same task, which asks for its checkout at once
// (`CheckoutFlow.start`: the sealed checkout, opened now); one the boot kept is handed over in a microtask once this
// module has run, and its checkout takes what the boot opened as it came.

// Without the page's boot (a page served without it), `loaded` now; after the boot's, nothing more goes.
earlyStart.channel.post({ type: 'loaded' });

// Where the device's hint says saved cards (`first-screen-hint.ts`), the confirm screen's code, the cards' banks' brands
// (confirm shows them), the device cache's code and its IndexedDB read start now, beside the checkout; the wallet's
// first `cache.read()` gets that read (`prefetchWallet`). Sign-in, a new shopper's first screen, is in the frame's own
// module, so nothing starts here for it, and a new shopper's frame reads the cache only after its first screen shows
// (`CheckoutFlow.afterFirstScreen`). Failures are the flow's to handle when it reads and loads the screen again; here
// they only mean nothing was started early.
if (readFirstScreenHint() === 'confirm') {
  earlyStart.api.prefetchBrands();
  loadScreen('confirm').catch(() => {});
  loadWalletCache()
    .then((cache) => cache.prefetchWallet())
    .catch(() => {});
}
