import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { SavedCard, ShopperSummary } from '../../shopper-api.ts';

/** What a returning shopper's device remembers: never a card number, CVC or session token. */
export interface CachedWallet {
  shopper: ShopperSummary;
  cards: SavedCard[];
  updatedAt: string;
}

interface WalletDB extends DBSchema {
  wallet: { key: string; value: CachedWallet };
}

const KEY = 'current';
let db: Promise<IDBPDatabase<WalletDB>> | undefined;

function open(): Promise<IDBPDatabase<WalletDB>> {
  db ??= openDB<WalletDB>('paykey', 1, {
    upgrade(database) {
      database.createObjectStore('wallet');
    },
  });
  return db;
}

/** The cached wallet, or null when there is none or storage is unavailable (the server stays the source of truth). */
export async function readWallet(): Promise<CachedWallet | null> {
  try {
    return (await (await open()).get('wallet', KEY)) ?? null;
  } catch {
    return null;
  }
}

/** Stores the shopper and cards, copying only the whitelisted card fields. */
export async function writeWallet(shopper: ShopperSummary, cards: SavedCard[]): Promise<void> {
  const value: CachedWallet = {
    shopper: { id: shopper.id, email: shopper.email },
    cards: cards.map(({ id, bank, bankName, bankToken, brand, last4, expMonth, expYear }) => ({
      id, bank, bankName, bankToken, brand, last4, expMonth, expYear,
    })),
    updatedAt: new Date().toISOString(),
  };
  try {
    await (await open()).put('wallet', value, KEY);
  } catch {
    // Storage refused (private mode, partitioning off): the wallet still works from the server.
  }
}

export async function clearWallet(): Promise<void> {
  try {
    await (await open()).delete('wallet', KEY);
  } catch {
    // Nothing cached is as good as a cleared cache.
  }
}
