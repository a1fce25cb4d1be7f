import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BankAdapter } from '../../server/adapters/bank-adapter.ts';
import { createBankRegistry } from '../../server/adapters/registry.ts';

const limits = { currencies: ['USD', 'EUR'], amount: { min: 1, max: 1_000_000 }, maxDescriptionLength: 22 };
const fake = (id: string, declared: unknown = limits, bins: unknown = []) => ({ id, limits: declared, bins }) as BankAdapter;
/** A bank that issues cards: tokenizes them (and releases tokens), under these BINs. */
const issuer = (id: string, bins: string[]) => ({ ...fake(id, limits, bins), tokenizeCard: () => {}, releaseToken: () => {} }) as unknown as BankAdapter;

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
    assert.throws(() => createBankRegistry([{ id: 'none', bins: [] } as unknown as BankAdapter]), /bank adapter "none": expected limits \{ currencies, amount: \{ min, max \}, maxDescriptionLength \}, received none/);
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
    const cardBank = { ...fake('cards'), tokenizeCard: noop, releaseToken: noop, charge: noop, lookupCharge: noop, listCharges: noop, refund: noop, lookupRefund: noop, listRefunds: noop } as unknown as BankAdapter;
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

  it('routes a card number to the bank declaring its longest BIN prefix', () => {
    const sandbox = issuer('sandbox', ['2', '3', '4', '5', '6']);
    const lotus = issuer('lotus', ['555555', '510510']);
    const registry = createBankRegistry([sandbox, lotus]);
    assert.equal(registry.bankForCardNumber('5555555555554444'), lotus);
    assert.equal(registry.bankForCardNumber('5105105105105100'), lotus);
    assert.equal(registry.bankForCardNumber('5555545555554444'), sandbox, 'one digit off Lotus’s prefix: the shorter prefix wins');
    assert.equal(registry.bankForCardNumber('4242424242424242'), sandbox);
    // Declared in the other order, the longest prefix still wins.
    assert.equal(createBankRegistry([lotus, sandbox]).bankForCardNumber('5555555555554444'), lotus);
  });

  it('refuses a number no bank declares with card_not_supported, naming the leading digits only', () => {
    const registry = createBankRegistry([issuer('sandbox', ['4']), issuer('lotus', ['555555'])]);
    assert.throws(
      () => registry.bankForCardNumber('9999888877776666'),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'card_not_supported');
        assert.match(error.message, /starting 999988:/);
        assert.ok(!error.message.includes('9999888877776666'), 'never the whole number');
        assert.match(error.message, /sandbox \(4\) or lotus \(555555\)/);
        return true;
      },
    );
  });

  it('refuses malformed bins and a prefix declared by two banks, naming both', () => {
    for (const [what, bins, pattern] of [
      ['no bins', null, /bank adapter "odd": expected bins, an array of 1 to 8 digit prefixes \(\[\] for a bank issuing no cards\), received none/],
      ['a string', '4', /expected bins, an array .* received string/],
      ['letters', ['4a'], /expected bins\.0 to be 1 to 8 digits, received "4a"/],
      ['nine digits', ['123456789'], /expected bins\.0 to be 1 to 8 digits, received "123456789"/],
      ['an empty prefix', ['4', ''], /expected bins\.1 to be 1 to 8 digits, received ""/],
      ['a number', [4], /expected bins\.0 to be 1 to 8 digits, received 4/],
      ['a prefix twice', ['4', '4'], /expected each BIN prefix once, received "4" twice/],
    ] as const) {
      const adapter = bins === null ? ({ id: 'odd', limits } as unknown as BankAdapter) : fake('odd', limits, bins);
      assert.throws(() => createBankRegistry([adapter]), pattern, what);
    }
    assert.throws(
      () => createBankRegistry([issuer('sandbox', ['4', '5']), issuer('lotus', ['555555', '5'])]),
      /expected each BIN prefix to be declared by one bank, received "5" from both "sandbox" and "lotus"/,
    );
    assert.throws(
      () => createBankRegistry([issuer('sandbox', ['4']), fake('bare', limits, ['5'])]),
      /bank adapter "bare": expected card_tokenization for a bank declaring BINs \(cards are routed to it\), received bins without it/,
    );
    // Nested prefixes of two banks are fine: the longer one wins.
    assert.doesNotThrow(() => createBankRegistry([issuer('sandbox', ['5']), issuer('lotus', ['555555'])]));
  });
});
