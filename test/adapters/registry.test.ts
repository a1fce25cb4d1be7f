import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BankAdapter } from '../../server/adapters/bank-adapter.ts';
import { createBankRegistry } from '../../server/adapters/registry.ts';

const fake = (id: string) => ({ id }) as BankAdapter;

describe('createBankRegistry', () => {
  it('finds adapters by id; the first is the default', () => {
    const [a, b] = [fake('sandbox'), fake('other')];
    const registry = createBankRegistry([a, b]);
    assert.equal(registry.get('other'), b);
    assert.equal(registry.get('sandbox'), a);
    assert.equal(registry.default(), a);
    assert.deepEqual(registry.all(), [a, b]);
  });

  it('throws a clear error naming the known ids for an unknown id', () => {
    const registry = createBankRegistry([fake('sandbox')]);
    assert.throws(() => registry.get('nope'), /unknown bank adapter "nope": expected one of "sandbox"/);
  });

  it('refuses no adapters and duplicate ids', () => {
    assert.throws(() => createBankRegistry([]), /at least one/);
    assert.throws(() => createBankRegistry([fake('x'), fake('x')]), /"x" twice/);
  });
});
