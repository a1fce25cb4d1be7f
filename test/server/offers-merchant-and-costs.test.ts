/**
 * The parts of bank offers that need no bank: the merchant's category code and country (configured, checked, seeded),
 * the language offers are asked in, and the arithmetic of each way of paying (`paymentOptionCosts`).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { offerEffect } from '../../server/adapters/bank-offers.ts';
import { feeFor, type FeeSchedule } from '../../server/adapters/fee-schedule.ts';
import { readEnvConfig } from '../../server/config/read-env-config.ts';
import { offerLocaleOf } from '../../server/offers/offer-locale.ts';
import { offerMerchantOf } from '../../server/offers/offer-merchant.ts';
import { paymentOptionCosts } from '../../server/offers/payment-option-costs.ts';
import { createMerchant, seedDemoMerchant } from '../../server/store/merchants.ts';
import { openTestWalletDb, type TestWalletDb } from '../support/test-wallet-db.ts';

describe('the demo merchant\'s category code and country', () => {
  test('default 5499 in the US; PAYKEY_DEMO_MERCHANT_MCC / _COUNTRY set them (country upper-cased)', () => {
    const defaults = readEnvConfig({}).demoMerchant!;
    assert.deepEqual([defaults.mcc, defaults.country], ['5499', 'US']);
    const set = readEnvConfig({ PAYKEY_DEMO_MERCHANT_MCC: '5812', PAYKEY_DEMO_MERCHANT_COUNTRY: 'cn' }).demoMerchant!;
    assert.deepEqual([set.mcc, set.country], ['5812', 'CN']);
  });

  test('a bad value is refused naming the variable, what was expected and what was received', () => {
    assert.throws(() => readEnvConfig({ PAYKEY_DEMO_MERCHANT_MCC: '54x9' }), {
      message: 'PAYKEY_DEMO_MERCHANT_MCC: expected a merchant category code of four digits (ISO 18245, e.g. "5499"), received "54x9"',
    });
    assert.throws(() => readEnvConfig({ PAYKEY_DEMO_MERCHANT_MCC: '54990' }), /^Error: PAYKEY_DEMO_MERCHANT_MCC: expected .* four digits .* received "54990"$/);
    assert.throws(() => readEnvConfig({ PAYKEY_DEMO_MERCHANT_COUNTRY: 'USA' }), {
      message: 'PAYKEY_DEMO_MERCHANT_COUNTRY: expected a country of two letters (ISO 3166-1 alpha-2, e.g. "US"), received "USA"',
    });
  });

  test('the wallet server does not start with a bad one, and says why', async () => {
    const main = fileURLToPath(new URL('../../server/main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', main], {
      env: { ...process.env, PAYKEY_DEMO_MERCHANT_MCC: '12', PAYKEY_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // A server that started after all is stopped (and the test fails on its exit code).
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(timer);
    assert.equal(code, 1, stderr);
    assert.match(stderr, /Paykey wallet server did not start: PAYKEY_DEMO_MERCHANT_MCC: expected a merchant category code of four digits .* received "12"/);
  });

  describe('seeded and created merchants', () => {
    let store: TestWalletDb;
    before(async () => {
      store = await openTestWalletDb();
    });
    after(async () => {
      await store?.close();
    });
    const now = new Date('2026-12-01T12:00:00Z');

    test('the demo merchant is 5499/US unless told otherwise, and a restart with other values updates it', async () => {
      const seeded = await seedDemoMerchant(store.db, { secretKey: 'sk_test_a', origins: ['http://127.0.0.1:8789'] }, now);
      assert.deepEqual([seeded.mcc, seeded.country], ['5499', 'US']);
      const again = await seedDemoMerchant(store.db, { secretKey: 'sk_test_a', origins: ['http://127.0.0.1:8789'], mcc: '5812', country: 'gb' }, now);
      assert.deepEqual([again.id, again.mcc, again.country], ['mer_demo', '5812', 'GB']);
      await assert.rejects(seedDemoMerchant(store.db, { secretKey: 'sk_test_a', origins: ['http://127.0.0.1:8789'], mcc: '581' }, now), {
        name: 'TypeError',
        message: 'merchant category code: expected four digits (ISO 18245, e.g. "5499"), received "581"',
      });
    });

    test('another merchant is 5999 (miscellaneous retail) unless given one; banks see its id, name, MCC, country and origin', async () => {
      const other = await createMerchant(store.db, { secretKey: 'sk_test_b', origins: ['https://b.example', 'https://www.b.example'], displayName: 'B' }, now);
      assert.deepEqual([other.mcc, other.country], ['5999', 'US']);
      const tea = await createMerchant(store.db, { secretKey: 'sk_test_c', origins: ['https://c.example'], mcc: '5499', country: 'CN' }, now);
      assert.deepEqual([tea.mcc, tea.country], ['5499', 'CN']);
      await assert.rejects(createMerchant(store.db, { secretKey: 'sk_test_d', origins: ['https://d.example'], country: 'C1' }, now), { name: 'TypeError' });

      assert.deepEqual(offerMerchantOf(other), { id: other.id, name: 'B', mcc: '5999', origin: 'https://b.example', country: 'US' });
      assert.equal(offerMerchantOf(other, 'https://www.b.example').origin, 'https://www.b.example');
      assert.equal(offerMerchantOf(other, 'https://www.b.example/').origin, 'https://www.b.example');
      assert.throws(() => offerMerchantOf(other, 'https://c.example'), { code: 'origin_not_allowed' });
      assert.throws(() => offerMerchantOf(other, 'not a url'), { code: 'origin_not_allowed' });
    });
  });
});

describe('offerLocaleOf (Accept-Language)', () => {
  test('the most preferred of zh and en; English otherwise', () => {
    const cases: [string | undefined, string][] = [
      [undefined, 'en'],
      ['', 'en'],
      ['zh-CN', 'zh-CN'],
      ['zh', 'zh-CN'],
      ['zh-Hans-CN,zh;q=0.9', 'zh-CN'],
      ['en-US,en;q=0.9,zh-CN;q=0.8', 'en'],
      ['fr-FR, zh-CN;q=0.5, en;q=0.4', 'zh-CN'],
      ['en;q=0.3, zh-TW;q=0.7', 'zh-CN'],
      ['zh-CN;q=0, en', 'en'],
      ['de-DE, fr;q=0.9', 'en'],
      ['*', 'en'],
      ['english', 'en'],
    ];
    for (const [header, locale] of cases) assert.equal(offerLocaleOf(header), locale, String(header));
  });
});

describe('paymentOptionCosts', () => {
  const lotusLike: FeeSchedule = {
    entries: [
      { method: 'card', currency: 'USD', fixed: 0, basisPoints: 150, applies: 'cross_currency' },
      { method: 'card', currency: 'CNY', fixed: 0, basisPoints: 0 },
    ],
  };
  const feeOn = (currency: string, crossCurrency: boolean) => (charged: number) => feeFor(lotusLike, 'card', currency, charged, { crossCurrency }) ?? 0;

  test('in full first, then one per offer; net = charged + fee − comesBackLater; estimate only with cashback', () => {
    const costs = paymentOptionCosts(
      10_000,
      [
        { offerId: 'off', value: { kind: 'instant_discount', discount: 1_000 } },
        { offerId: 'back', value: { kind: 'cashback', cashback: 500, expectedBy: '2026-12-02T00:00:00Z' } },
        { offerId: 'plan', value: { kind: 'instalments', count: 3, firstInstalment: 3_402, perInstalment: 3_400, totalFees: 202, aprBasisPoints: 1_200 } },
      ],
      feeOn('USD', true),
    );
    assert.deepEqual(costs, [
      { offerId: null, charged: 10_000, dueNow: 10_000, fee: 150, comesBackLater: 0, net: 10_150, estimate: false },
      // The fee is on what is charged: 1.5 % of 9,000.
      { offerId: 'off', charged: 9_000, dueNow: 9_000, fee: 135, comesBackLater: 0, net: 9_135, estimate: false },
      { offerId: 'back', charged: 10_000, dueNow: 10_000, fee: 150, comesBackLater: 500, net: 9_650, estimate: true },
      // A plan's fees are charged too (10,202), the first instalment is due now.
      { offerId: 'plan', charged: 10_202, dueNow: 3_402, fee: 153, comesBackLater: 0, net: 10_355, estimate: false },
    ]);
    for (const cost of costs) assert.equal(cost.net, cost.charged + cost.fee - cost.comesBackLater);
  });

  test('no foreign fee when the card is in the payment\'s currency; the effect is offerEffect\'s', () => {
    const value = { kind: 'instant_discount', discount: 2_000 } as const;
    const [full, off] = paymentOptionCosts(25_000, [{ offerId: 'lotus-tea-20', value }], feeOn('CNY', false));
    assert.deepEqual([full.fee, full.net, off.fee, off.net], [0, 25_000, 0, 23_000]);
    assert.equal(off.charged, offerEffect(25_000, value).charged);
  });
});
