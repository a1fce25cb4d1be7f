/**
 * The merchant API's verified-key cache (server/security/merchant-key-cache.ts): a known key is looked up in the
 * database once per MERCHANT_KEY_CACHE_MS, an unknown key every time and never kept, and a key changed in the
 * database stops working within that time — here on the real database of the test engine, and over real HTTP.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createMerchantKeyCache, MERCHANT_KEY_CACHE_MS } from '../../server/security/merchant-key-cache.ts';
import { sha256Hex } from '../../server/security/secrets.ts';
import { openDatabase, type WalletDb } from '../../server/store/database.ts';
import { createMerchant, findMerchantBySecretKey, type Merchant } from '../../server/store/merchants.ts';
import { createEmptyTestDatabase, startTestWallet, type TestWallet } from '../support/wallet-harness.ts';

describe('merchant key cache on the database', () => {
  let db: WalletDb;
  let drop: () => Promise<void>;
  let merchant: Merchant;
  const secretKey = 'sk_test_cache_merchant_key';
  let lookups = 0;
  let time = 0;
  const lookup = (key: string) => {
    lookups += 1;
    return findMerchantBySecretKey(db, key);
  };

  before(async () => {
    const empty = await createEmptyTestDatabase();
    drop = empty.drop;
    db = await openDatabase(empty.database);
    merchant = await createMerchant(db, { secretKey, origins: ['https://cache.example'] }, new Date());
  });
  after(async () => {
    await db?.destroy();
    await drop?.();
  });

  test('a known key is looked up once per ttl, the same merchant each time', async () => {
    const cache = createMerchantKeyCache({ lookup, clock: () => time, ttlMs: 1_000 });
    lookups = 0;
    const first = await cache.find(secretKey);
    assert.equal(first?.id, merchant.id);
    time += 999;
    assert.equal((await cache.find(secretKey))?.id, merchant.id);
    assert.equal(lookups, 1);
    time += 1;
    assert.equal((await cache.find(secretKey))?.id, merchant.id);
    assert.equal(lookups, 2, 'expired: asked the database again');
    assert.throws(() => ((first as { id: string }).id = 'mer_other'), TypeError, 'the shared row is frozen');
  });

  test('an unknown key is looked up every time and never accepted', async () => {
    const cache = createMerchantKeyCache({ lookup, clock: () => time });
    lookups = 0;
    for (let i = 0; i < 3; i++) assert.equal(await cache.find('sk_test_nobody'), undefined);
    assert.equal(lookups, 3);
  });

  test('a key changed in the database stops working once its entry expires', async () => {
    const cache = createMerchantKeyCache({ lookup, clock: () => time, ttlMs: 1_000 });
    assert.equal((await cache.find(secretKey))?.id, merchant.id);
    const newKey = 'sk_test_cache_rotated_key';
    await db.updateTable('merchants').set({ secret_key_hash: sha256Hex(newKey) }).where('id', '=', merchant.id).execute();
    try {
      time += 1_000;
      assert.equal(await cache.find(secretKey), undefined, 'the old key is refused');
      assert.equal((await cache.find(newKey))?.id, merchant.id, 'the new key is accepted');
    } finally {
      await db.updateTable('merchants').set({ secret_key_hash: sha256Hex(secretKey) }).where('id', '=', merchant.id).execute();
    }
  });

  test('at most maxEntries keys are kept, the oldest leaving first', async () => {
    const keys = ['sk_test_cache_a', 'sk_test_cache_b', 'sk_test_cache_c'];
    for (const key of keys) await createMerchant(db, { secretKey: key, origins: ['https://cache.example'] }, new Date());
    const cache = createMerchantKeyCache({ lookup, clock: () => time, maxEntries: 2 });
    lookups = 0;
    for (const key of keys) assert.ok(await cache.find(key));
    assert.ok(await cache.find(keys[2]));
    assert.ok(await cache.find(keys[1]));
    assert.equal(lookups, 3, 'the two newest were kept');
    assert.ok(await cache.find(keys[0]));
    assert.equal(lookups, 4, 'the oldest was not');
  });

  test('nonsense options are refused with what was expected', () => {
    assert.throws(() => createMerchantKeyCache({ lookup, ttlMs: -1 }), /expected ttlMs ≥ 0, received -1/);
    assert.throws(() => createMerchantKeyCache({ lookup, maxEntries: 0 }), /expected maxEntries a whole number ≥ 1, received 0/);
  });
});

describe('merchant API with a key changed in the database', () => {
  let wallet: TestWallet;
  before(async () => {
    wallet = await startTestWallet();
  });
  after(() => wallet?.close());

  test(`the old key is 401 invalid_api_key within ${MERCHANT_KEY_CACHE_MS} ms, the new one works`, async () => {
    const body = { amount: 100, currency: 'USD' };
    const asOld = () => wallet.request('POST', '/v1/payment_intents', body, { authorization: `Bearer ${wallet.secretKey}` });
    assert.equal((await asOld()).status, 201);
    const newKey = 'sk_test_rotated_over_http';
    await wallet.query('UPDATE merchants SET secret_key_hash = ? WHERE secret_key_hash = ?', [sha256Hex(newKey), sha256Hex(wallet.secretKey)]);
    await new Promise((resolve) => setTimeout(resolve, MERCHANT_KEY_CACHE_MS + 50));
    const refused = await asOld();
    assert.equal(refused.status, 401);
    assert.equal((await refused.json()).error.code, 'invalid_api_key');
    const created = await wallet.request('POST', '/v1/payment_intents', body, { authorization: `Bearer ${newKey}` });
    assert.equal(created.status, 201);
  });
});
