import type { SavedCard } from '../../widget/shopper-api.ts';
import {
  DATABASE_NAME,
  SCHEMA_VERSION,
  clearWallet,
  prefetchWallet,
  readWallet,
  removeCard,
  walletCache,
  writeWallet,
} from '../../widget/frame/storage/wallet-cache.ts';
import { readFirstScreenHint } from '../../widget/frame/storage/first-screen-hint.ts';
import { deepEqual, equal, ok } from './support/assert.ts';

const shopper = { id: 'sh_1', email: 'ada@example.com' };

const sandboxVisa: SavedCard = {
  id: 'card_1', bank: 'sandbox', bankName: { en: 'Sandbox Bank' }, bankToken: 'tok_1',
  brand: 'visa', last4: '4242', expMonth: 12, expYear: 2034, currency: null,
};
const lotusMastercard: SavedCard = {
  id: 'card_2', bank: 'lotus', bankName: { en: 'Lotus Bank', 'zh-CN': '莲花银行' }, bankToken: 'tok_2',
  brand: 'mastercard', last4: '4444', expMonth: 3, expYear: 2031, currency: 'CNY',
};

async function databaseExists(): Promise<boolean> {
  return (await indexedDB.databases()).some((d) => d.name === DATABASE_NAME);
}

/** The stored record exactly as IndexedDB holds it, read without the module (so extra fields would show). */
async function rawRecord(): Promise<unknown> {
  const request = indexedDB.open(DATABASE_NAME);
  const database = await new Promise<IDBDatabase>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  try {
    const get = database.transaction('wallet').objectStore('wallet').get('current');
    return await new Promise((resolve, reject) => {
      get.onsuccess = () => resolve(get.result);
      get.onerror = () => reject(get.error);
    });
  } finally {
    database.close();
  }
}

/** An IndexedDB written by the previous frame (schema 1: bankName a plain string, no currency). */
async function writeVersionOneCache(): Promise<void> {
  const request = indexedDB.open(DATABASE_NAME, 1);
  request.onupgradeneeded = () => request.result.createObjectStore('wallet');
  const database = await new Promise<IDBDatabase>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const tx = database.transaction('wallet', 'readwrite');
  tx.objectStore('wallet').put(
    { shopper, cards: [{ id: 'card_old', bank: 'sandbox', bankName: 'Sandbox Bank', bankToken: 'tok_old', brand: 'visa', last4: '1111', expMonth: 1, expYear: 2030 }], updatedAt: '2026-01-01T00:00:00.000Z' },
    'current',
  );
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  database.close();
}

describe('wallet cache (IndexedDB)', () => {
  beforeEach(() => clearWallet());
  afterEach(() => clearWallet());

  it('remembers the shopper and saved cards with their currency and localized bank name', async () => {
    equal(await readWallet(), null, 'nothing cached at first');
    await writeWallet(shopper, [sandboxVisa, lotusMastercard]);
    const cached = await readWallet();
    ok(cached, 'a wallet was cached');
    deepEqual(cached.shopper, shopper);
    deepEqual(cached.cards, [sandboxVisa, lotusMastercard]);
    ok(!Number.isNaN(Date.parse(cached.updatedAt)), 'updatedAt is a date');
  });

  it('stores only the whitelisted card fields, never a number or CVC', async () => {
    const leaky = { ...lotusMastercard, number: '5555555555554444', cvc: '123', name: 'Ada Lovelace', saved: true };
    await writeWallet({ ...shopper, sessionToken: 'secret' } as typeof shopper, [leaky]);
    const raw = JSON.stringify(await rawRecord());
    ok(!raw.includes('5555555555554444'), 'no card number stored');
    ok(!raw.includes('"cvc"') && !raw.includes('123"'), 'no CVC stored');
    ok(!raw.includes('Ada Lovelace'), 'no cardholder name stored');
    ok(!raw.includes('secret'), 'no session token stored');
    deepEqual((await readWallet())!.cards, [lotusMastercard]);
  });

  it('never writes a one-time card (saved: false)', async () => {
    await writeWallet(shopper, [sandboxVisa, { ...lotusMastercard, saved: false }]);
    deepEqual((await readWallet())!.cards.map((c) => c.id), ['card_1']);
    ok(!JSON.stringify(await rawRecord()).includes('card_2'), 'the one-time card is nowhere in the database');
  });

  it('removes one card and keeps the others', async () => {
    await writeWallet(shopper, [sandboxVisa, lotusMastercard]);
    await removeCard('card_1');
    deepEqual((await readWallet())!.cards, [lotusMastercard]);
    await removeCard('card_unknown');
    deepEqual((await readWallet())!.cards, [lotusMastercard], 'an unknown id changes nothing');
  });

  it('hands an early read (the frame entry’s) to the next read, unless the cache changed in between', async () => {
    await writeWallet(shopper, [sandboxVisa]);
    const early = prefetchWallet();
    equal(readWallet(), early, 'the next read is the early one, not a second IndexedDB read');
    deepEqual((await early)!.cards, [sandboxVisa]);
    deepEqual((await readWallet())!.cards, [sandboxVisa], 'handed out once: later reads read again');

    const changes: [string, () => Promise<void>, SavedCard[] | null][] = [
      ['write', () => writeWallet(shopper, [lotusMastercard]), [lotusMastercard]],
      ['removeCard', () => removeCard('card_2'), [sandboxVisa]],
      ['clear', () => clearWallet(), null],
    ];
    for (const [name, change, cards] of changes) {
      await writeWallet(shopper, [sandboxVisa, lotusMastercard]);
      const stale = prefetchWallet();
      void change(); // Not awaited: the read is asked while the change is still queued.
      const fresh = readWallet();
      ok(fresh !== stale, `${name} drops the early read`);
      deepEqual((await fresh)?.cards ?? null, cards, `the read after ${name} sees it`);
    }
  });

  it('notes for the next visit whether saved cards are cached (confirm first) or not (sign-in first)', async () => {
    equal(readFirstScreenHint(), 'sign-in', 'a device that never cached a card');
    await writeWallet(shopper, [{ ...sandboxVisa, saved: false }]);
    equal(readFirstScreenHint(), 'sign-in', 'only a one-time card: nothing saved to confirm with');
    await writeWallet(shopper, [sandboxVisa, lotusMastercard]);
    equal(readFirstScreenHint(), 'confirm', 'saved cards cached');
    await removeCard(sandboxVisa.id);
    equal(readFirstScreenHint(), 'confirm', 'one saved card left');
    await removeCard(lotusMastercard.id);
    equal(readFirstScreenHint(), 'sign-in', 'the last saved card removed');
    await writeWallet(shopper, [sandboxVisa]);
    await clearWallet();
    equal(readFirstScreenHint(), 'sign-in', 'signed out on this device');
    equal(localStorage.getItem('paykey.first-screen'), null, 'sign-out leaves nothing of the wallet in localStorage');
  });

  it('corrects a stale hint from what IndexedDB holds when it is read', async () => {
    await writeWallet(shopper, [sandboxVisa]);
    localStorage.removeItem('paykey.first-screen'); // e.g. written by a frame from before the hint
    equal(readFirstScreenHint(), 'sign-in');
    await readWallet();
    equal(readFirstScreenHint(), 'confirm', 'the read noted the saved card');
    await clearWallet();
    localStorage.setItem('paykey.first-screen', 'confirm');
    equal(await readWallet(), null);
    equal(readFirstScreenHint(), 'sign-in', 'the read noted the empty cache');
  });

  it('sign-out deletes the whole database', async () => {
    await writeWallet(shopper, [sandboxVisa]);
    ok(await databaseExists(), 'the database exists after a write');
    await clearWallet();
    equal(await databaseExists(), false, 'indexedDB.databases() no longer lists it');
  });

  it('a write queued just before sign-out does not bring the database back', async () => {
    void writeWallet(shopper, [sandboxVisa]);
    void removeCard('card_1');
    await walletCache.clear();
    equal(await databaseExists(), false);
  });

  it('drops a cache written with the previous schema instead of misreading it', async () => {
    equal(SCHEMA_VERSION, 2);
    await writeVersionOneCache();
    equal(await readWallet(), null, 'the version 1 record is gone');
    await walletCache.write(shopper, [lotusMastercard]);
    deepEqual((await walletCache.read())!.cards, [lotusMastercard], 'and the new schema works');
  });
});
