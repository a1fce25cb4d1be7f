import type { CachedWallet } from '../storage/wallet-cache.ts';
import type { CheckoutFlow } from './checkout-flow.ts';
import { withCards } from './with-cards.ts';

/**
 * Saved cards the device cache turned up after sign-in showed without waiting for it (a stale hint: a cache written
 * by an older frame, or storage cleared but for IndexedDB): confirm with them, as a returning shopper's first screen,
 * unless the shopper has started signing in meanwhile. Anything failing here leaves sign-in, which works from the
 * server. Its own small chunk: loaded only when this happens.
 */
export async function confirmIfCached(flow: CheckoutFlow, cached: CachedWallet): Promise<void> {
  const untouched = () => flow.state.screen === 'sign-in' && !flow.state.busy && !flow.state.shopper;
  if (!untouched()) return;
  try {
    const [card] = await Promise.all([flow.cardCode(), flow.loadScreen('confirm')]);
    if (!untouched()) return;
    flow.set({ shopper: cached.shopper, ...withCards(flow.state, cached.cards) });
    await card.showConfirm();
    void card.fetchOffers();
  } catch {
    // Sign-in stays.
  }
}
