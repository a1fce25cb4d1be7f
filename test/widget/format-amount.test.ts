import { formatAmount, minorUnitsToDecimal } from '../../widget/frame/money/format-amount.ts';
import { equal, match, throws } from './support/assert.ts';

// Intl separates the currency code with a no-break space; compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('formatAmount', () => {
  it('uses the ISO 4217 minor units it is given, not Intl\'s display digits (HUF, IQD: the shopper sees what is charged)', () => {
    // Intl shows HUF without decimals and IQD with none; ISO 4217 (and the charge) has 2 and 3.
    equal(plain(formatAmount(100000, 'HUF', 'en', 2)), 'HUF 1,000.00');
    equal(plain(formatAmount(1000, 'IQD', 'en', 3)), 'IQD 1.000');
    equal(plain(formatAmount(150, 'COP', 'en', 2)), 'COP 1.50');
  });

  it('formats USD cents', () => {
    equal(formatAmount(1999, 'USD', 'en', 2), '$19.99');
    equal(formatAmount(5, 'USD', 'en-US', 2), '$0.05');
    equal(formatAmount(0, 'USD', 'en', 2), '$0.00');
    equal(formatAmount(123456789012, 'USD', 'en', 2), '$1,234,567,890.12');
  });

  it('formats JPY, which has no minor digits', () => {
    equal(formatAmount(1999, 'JPY', 'en', 0), '¥1,999');
    equal(formatAmount(3200, 'JPY', 'en', 0), '¥3,200');
  });

  it('formats KWD with three decimals', () => {
    equal(plain(formatAmount(1999, 'KWD', 'en', 3)), 'KWD 1.999');
    match(formatAmount(5, 'KWD', 'en', 3), /0\.005$/);
  });

  it('formats for zh-CN', () => {
    equal(formatAmount(1999, 'CNY', 'zh-CN', 2), '¥19.99');
    equal(formatAmount(1999, 'USD', 'zh-CN', 2), 'US$19.99');
    equal(formatAmount(1999, 'JPY', 'zh-CN', 0), 'JP¥1,999');
  });

  it('stays exact beyond float precision', () => {
    // 2^53 + 1 cents cannot be a double; as a bigint it is formatted digit for digit.
    equal(formatAmount(9007199254740993n, 'USD', 'en', 2), '$90,071,992,547,409.93');
    equal(formatAmount(10000000000000001n, 'USD', 'en', 2), '$100,000,000,000,000.01');
  });

  it('refuses non-integers', async () => {
    await throws(() => formatAmount(19.99, 'USD', 'en', 2), /integer/);
  });
});

describe('minorUnitsToDecimal', () => {
  it('places the decimal point from the integer digits', () => {
    equal(minorUnitsToDecimal(1999, 2), '19.99');
    equal(minorUnitsToDecimal(5, 3), '0.005');
    equal(minorUnitsToDecimal(1999, 0), '1999');
    equal(minorUnitsToDecimal(-150, 2), '-1.50');
  });
});
