/**
 * One table of minor-unit digits (the server's, ISO 4217) drives every amount a
 * shopper sees: for every currency the merchant API accepts, the wallet frame
 * and the demo shop show exactly the amount that is charged.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatPrice } from '../../demo/shop/html.ts';
import { acceptedCurrencies, minorUnitDigits } from '../../server/payments/money.ts';
import { formatAmount } from '../../widget/frame/money/format-amount.ts';

/** The number a formatted amount shows, as minor units: "HUF 1,000.00" with 2 digits → 100000. */
function shownMinorUnits(formatted: string, digits: number): number {
  const number = formatted.replace(/[^\d.]/g, '').replace(/^\.+|\.+$/g, '');
  const [whole, fraction = ''] = number.split('.');
  assert.equal(fraction.length, digits, `${formatted}: expected ${digits} decimals`);
  return Number(whole + fraction);
}

describe('every accepted currency', () => {
  test('is shown by the frame and the shop with the digits it is charged in', () => {
    const currencies = acceptedCurrencies();
    assert.ok(currencies.length > 140, `only ${currencies.length} currencies`);
    for (const currency of currencies) {
      const digits = minorUnitDigits(currency)!;
      for (const amount of [1, 123456, 99999999]) {
        assert.equal(shownMinorUnits(formatAmount(amount, currency, 'en', digits), digits), amount, `frame: ${amount} ${currency}`);
        assert.equal(shownMinorUnits(formatPrice(amount, currency), digits), amount, `shop: ${amount} ${currency}`);
      }
    }
  });

  test('the 17 currencies where Intl disagrees with ISO 4217 show the charged amount', () => {
    for (const currency of ['AFN', 'ALL', 'COP', 'HUF', 'IDR', 'IQD', 'IRR', 'KPW', 'LAK', 'LBP', 'MGA', 'MMK', 'PKR', 'RSD', 'SOS', 'SYP', 'YER']) {
      const digits = minorUnitDigits(currency)!;
      assert.equal(shownMinorUnits(formatAmount(100000, currency, 'en', digits), digits), 100000, currency);
    }
  });
});
