import { deleteDB, openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { SavedCard, ShopperSummary } from '../../shopper-api.ts';
import { expectsSavedCards, noteCachedCards } from './first-screen-hint.ts';

/**
 * The device cache of a returning shopper's wallet, in the frame's IndexedDB (partitioned per merchant site by the
 * browser, so the server stays the source of truth): the shopper's id and email and the cards they chose to save,
 * to show them before the server answers. Never a card number, CVC or session token; never a card the shopper did
 * not save.
 *
 * Each operation also notes whether saved cards are cached (`first-screen-hint.ts`), so the next visit's first screen
 * code starts downloading before IndexedDB has answered.
 *
 * Every operation is queued behind the previous one, so a write started just before a sign-out cannot recreate the
 * database after `clearWallet()` deleted it. Storage failures (private mode, partitioning off) are swallowed: the
 * wallet then works from the server alone.
 */

/** What a returning shopper's device remembers. */
export interface CachedWallet {
  shopper: ShopperSummary;
  cards: SavedCard[];
  updatedAt: string;
}

/** A card as `POST /cards` answers it: `saved: false` marks a one-time card, which is never written. */
export type CardToCache = SavedCard & { saved?: boolean };

/** The cache as the checkout flow receives it (tests may pass their own). */
export interface WalletCache {
  /**
   * Whether saved cards were cached on this device when it last looked (`first-screen-hint.ts`): synchronous, no
   * IndexedDB, so a first screen can tell whether to wait for `read()`.
   */
  expectsCards(): boolean;
  read(): Promise<CachedWallet | null>;
  write(shopper: ShopperSummary, cards: readonly CardToCache[]): Promise<void>;
  removeCard(id: string): Promise<void>;
  clear(): Promise<void>;
}

/** The frame's one IndexedDB database; `clearWallet()` deletes it whole. */
export const DATABASE_NAME = 'paykey';
/**
 * The cache's schema version. 2: cards carry `currency` and a localized `bankName` ({ en, 'zh-CN' }). Opening an
 * older database drops its store, so a cache written by an older frame is never read with today's shape.
 */
export const SCHEMA_VERSION = 2;

interface WalletDB extends DBSchema {
  wallet: { key: string; value: CachedWallet };
}

const KEY = 'current';
let db: Promise<IDBPDatabase<WalletDB>> | undefined;
let queue: Promise<unknown> = Promise.resolve();

function serially<T>(operation: () => Promise<T>): Promise<T> {
  const run = queue.then(operation, operation);
  queue = run.catch(() => undefined);
  return run;
}

function open(): Promise<IDBPDatabase<WalletDB>> {
  db ??= openDB<WalletDB>(DATABASE_NAME, SCHEMA_VERSION, {
    upgrade(database, oldVersion) {
      // An older shape is dropped, not migrated: the server refills the cache at the next sign-in.
      if (oldVersion > 0 && database.objectStoreNames.contains('wallet')) database.deleteObjectStore('wallet');
      database.createObjectStore('wallet');
    },
    // Another tab of this frame is deleting the database (sign-out there) or upgrading it: let it.
    blocking() {
      void forget();
    },
    terminated() {
      db = undefined;
    },
  });
  // A failed open must not stick: the next call tries again.
  db.catch(() => {
    db = undefined;
  });
  return db;
}

async function forget(): Promise<void> {
  const current = db;
  db = undefined;
  try {
    (await current)?.close();
  } catch {
    // It never opened.
  }
}

/** A read started early (`prefetchWallet`), for the next `readWallet()`; dropped when the cache changes. */
let prefetched: Promise<CachedWallet | null> | undefined;

/**
 * Starts reading the cached wallet now: the frame's entry does, while the wallet's code still downloads, to choose the
 * first screen. The next `readWallet()` answers with this read, unless a write, removal or clear came in between.
 */
export function prefetchWallet(): Promise<CachedWallet | null> {
  prefetched = read();
  return prefetched;
}

/** The cached wallet, or null when there is none or storage is unavailable. */
export function readWallet(): Promise<CachedWallet | null> {
  const early = prefetched;
  prefetched = undefined;
  return early ?? read();
}

function read(): Promise<CachedWallet | null> {
  return serially(async () => {
    try {
      const cached = (await (await open()).get('wallet', KEY)) ?? null;
      noteCachedCards(cached?.cards.length ?? 0);
      return cached;
    } catch {
      return null;
    }
  });
}

/**
 * Stores the shopper and the cards they saved (replacing what was cached), copying only the whitelisted fields of
 * each card. A card marked `saved: false` (a one-time card) is left out whatever the caller passes.
 */
export function writeWallet(shopper: ShopperSummary, cards: readonly CardToCache[]): Promise<void> {
  const value: CachedWallet = {
    shopper: { id: shopper.id, email: shopper.email },
    cards: cards.filter((card) => card.saved !== false).map(cacheableCard),
    updatedAt: new Date().toISOString(),
  };
  prefetched = undefined;
  return serially(async () => {
    try {
      await (await open()).put('wallet', value, KEY);
      noteCachedCards(value.cards.length);
    } catch {
      // Storage refused: the wallet still works from the server.
    }
  });
}

/** Takes one card out of the cache (after the server removed it); a no-op when it is not cached. */
export function removeCard(id: string): Promise<void> {
  prefetched = undefined;
  return serially(async () => {
    try {
      const database = await open();
      const tx = database.transaction('wallet', 'readwrite');
      const cached = await tx.store.get(KEY);
      const cards = cached?.cards.filter((card) => card.id !== id) ?? [];
      if (cached && cards.length < cached.cards.length) await tx.store.put({ ...cached, cards, updatedAt: new Date().toISOString() }, KEY);
      await tx.done;
      noteCachedCards(cards.length);
    } catch {
      // Storage refused: nothing of it is cached anyway.
    }
  });
}

/**
 * "Sign out on this device": deletes the whole database, not just its record, so nothing of the wallet is left on
 * the device (`indexedDB.databases()` no longer lists it). Resolves once it is gone.
 */
export function clearWallet(): Promise<void> {
  prefetched = undefined;
  return serially(async () => {
    await forget();
    noteCachedCards(0);
    try {
      await deleteDB(DATABASE_NAME);
    } catch {
      // Storage unavailable: there is nothing to delete.
    }
  });
}

/** The functions above as the `cache` the checkout flow takes. */
export const walletCache: WalletCache = {
  expectsCards: expectsSavedCards,
  read: readWallet,
  write: writeWallet,
  removeCard,
  clear: clearWallet,
};

function cacheableCard({ id, bank, bankName, bankToken, brand, last4, expMonth, expYear, currency }: SavedCard): SavedCard {
  const name = { en: bankName.en, ...(bankName['zh-CN'] === undefined ? {} : { 'zh-CN': bankName['zh-CN'] }) };
  return { id, bank, bankName: name, bankToken, brand, last4, expMonth, expYear, currency: currency ?? null };
}
