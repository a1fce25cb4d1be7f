/**
 * The wallet's randomness and hashing (server/security/secrets.ts): bytes come from the CSPRNG a block at a time,
 * each handed out once; ids spread over all of base62; SHA-256 as the standard's test vectors say.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { digestsEqual, pooledRandomBytes, randomId, randomSecret, sha256Hex } from '../../server/security/secrets.ts';

test('pooled random bytes: the length asked for, never the same bytes twice, across many refills of the block', () => {
  const seen = new Set<string>();
  // 16 bytes × 20,000 = 80 blocks of 4 KB: a block handed out twice, or a slice overlapping another, repeats a value.
  for (let i = 0; i < 20_000; i++) {
    const bytes = pooledRandomBytes(16);
    assert.equal(bytes.length, 16);
    seen.add(bytes.toString('hex'));
  }
  assert.equal(seen.size, 20_000);
  assert.equal(pooledRandomBytes(0).length, 0);
  assert.equal(pooledRandomBytes(5000).length, 5000, 'larger than the block: straight from the CSPRNG');
});

test('pooled random bytes are a copy: changing them changes nothing handed out later', () => {
  const first = pooledRandomBytes(32);
  first.fill(7);
  const next = pooledRandomBytes(32);
  assert.notDeepEqual(next, Buffer.alloc(32, 7));
  assert.notDeepEqual(next, Buffer.alloc(32, 0));
});

test('pooled random bytes look uniform: every byte value about as often as the others', () => {
  const counts = new Array(256).fill(0);
  for (let i = 0; i < 2_000; i++) for (const byte of pooledRandomBytes(64)) counts[byte] += 1;
  // 128,000 bytes: 500 expected per value; a value outside 350–650 is a > 6.5 sigma event for real randomness.
  for (const [value, count] of counts.entries()) assert.ok(count > 350 && count < 650, `byte ${value}: expected about 500, received ${count}`);
});

test('a nonsense length is refused with what was expected', () => {
  assert.throws(() => pooledRandomBytes(-1), /expected a whole number of bytes, received -1/);
  assert.throws(() => pooledRandomBytes(1.5), /expected a whole number of bytes, received 1.5/);
});

test('ids and secrets: their shape, and no two alike', () => {
  const ids = new Set(Array.from({ length: 5_000 }, () => randomId('pi')));
  assert.equal(ids.size, 5_000);
  for (const id of [...ids].slice(0, 100)) assert.match(id, /^pi_[0-9A-Za-z]{20}$/);
  const chars = new Set([...ids].flatMap((id) => [...id.slice(3)]));
  assert.equal(chars.size, 62, 'every base62 character appears');
  assert.match(randomSecret(), /^[0-9a-f]{48}$/);
  assert.match(randomSecret(16), /^[0-9a-f]{32}$/);
});

test('sha256Hex: the FIPS 180-2 test vectors, for text and bytes alike', () => {
  assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(sha256Hex(new TextEncoder().encode('abc')), sha256Hex('abc'));
  assert.ok(digestsEqual(sha256Hex('a'), sha256Hex('a')));
  assert.ok(!digestsEqual(sha256Hex('a'), sha256Hex('b')));
});
