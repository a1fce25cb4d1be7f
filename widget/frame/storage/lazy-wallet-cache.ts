import { expectsSavedCards } from './first-screen-hint.ts';
import type { WalletCache } from './wallet-cache.ts';

type CacheModule = typeof import('./wallet-cache.ts');

let code: Promise<CacheModule> | undefined;

/**
 * The device cache's code (`wallet-cache.ts` with idb), a chunk of its own: the entry asks for it at once where the
 * device's hint says saved cards (`early-start.ts`), a new shopper's frame only after its first screen shows. A failed
 * download is forgotten, so the next call tries again.
 */
export function loadWalletCache(): Promise<CacheModule> {
  code ??= import('./wallet-cache.ts');
  code.catch(() => (code = undefined));
  return code;
}

/**
 * `walletCache`, each call waiting for its code first: what the wallet element hands the checkout flow. Code that cannot
 * be downloaded counts as storage that is unavailable (nothing read, writes dropped: the wallet works from the server),
 * except for `clear`, whose caller must learn that nothing was deleted.
 */
export const lazyWalletCache: WalletCache = {
  expectsCards: expectsSavedCards,
  read: () => loadWalletCache().then((cache) => cache.readWallet(), () => null),
  write: (shopper, cards) => loadWalletCache().then((cache) => cache.writeWallet(shopper, cards), () => undefined),
  removeCard: (id) => loadWalletCache().then((cache) => cache.removeCard(id), () => undefined),
  clear: async () => (await loadWalletCache()).clearWallet(),
};
