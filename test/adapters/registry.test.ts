import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BankAdapter } from '../../server/adapters/bank-adapter.ts';
import { createBankRegistry } from '../../server/adapters/registry.ts';

const limits = { currencies: ['USD', 'EUR'], amount: { min: 1, max: 1_000_000 }, maxDescriptionLength: 22 };
const fake = (id: string, declared: unknown = limits) => ({ id, limits: declared }) as BankAdapter;

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

  it('refuses an adapter without well-formed limits, naming the adapter, what was expected and what was received', () => {
    assert.throws(() => createBankRegistry([{ id: 'none' } as BankAdapter]), /bank adapter "none": expected limits \{ currencies, amount: \{ min, max \}, maxDescriptionLength \}, received none/);
    for (const [what, declared, pattern] of [
      ['no currencies', { ...limits, currencies: [] }, /limits\.currencies: expected at least one currency/],
      ['a lowercase currency', { ...limits, currencies: ['usd'] }, /limits\.currencies\.0: expected an uppercase ISO 4217 code/],
      ['a currency twice', { ...limits, currencies: ['USD', 'USD'] }, /expected each currency once/],
      ['min above max', { ...limits, amount: { min: 10, max: 5 } }, /limits\.amount: expected min <= max/],
      ['a zero amount', { ...limits, amount: { min: 0, max: 5 } }, /limits\.amount\.min: expected at least 1/],
      ['a fractional amount', { ...limits, amount: { min: 1, max: 5.5 } }, /limits\.amount\.max: expected an integer amount in minor units/],
      ['a range for a currency it does not carry', { ...limits, amountByCurrency: { JPY: { min: 1, max: 5 } } }, /amountByCurrency: expected amountByCurrency to name only currencies in currencies/],
      ['a negative description length', { ...limits, maxDescriptionLength: -1 }, /limits\.maxDescriptionLength: expected 0 or more/],
      ['an unknown field', { ...limits, maxAmount: 5 }, /limits: Unrecognized key/],
    ] as const) {
      assert.throws(() => createBankRegistry([fake('odd', declared)]), pattern, what);
    }
  });

  it('reports what each bank supports, and refuses half a capability', () => {
    const noop = () => {};
    const cardBank = { ...fake('cards'), tokenizeCard: noop, charge: noop, lookupCharge: noop, listCharges: noop, refund: noop, lookupRefund: noop, listRefunds: noop } as unknown as BankAdapter;
    const registry = createBankRegistry([cardBank, fake('bare')]);
    assert.deepEqual(registry.capabilitiesOf('cards'), ['card_tokenization', 'card_charge', 'lookup', 'refund']);
    assert.deepEqual(registry.capabilitiesOf('bare'), []);
    assert.throws(() => registry.capabilitiesOf('nope'), /unknown bank adapter "nope"/);
    const half = { ...fake('half'), refund: noop } as unknown as BankAdapter;
    assert.throws(
      () => createBankRegistry([half]),
      /bank adapter "half": expected all of refund, lookupRefund, listRefunds for capability refund, received refund without lookupRefund, listRefunds/,
    );
  });
});
