/**
 * The shopper's spending summary (`GET /api/frame/spending-summary`): their succeeded payments this UTC month, less
 * refunds, per currency and merchant category, with the linear projection — real SQLite (or PostgreSQL), real HTTP to
 * the sandbox bank's own process. Another shopper's payments and a declined payment are not counted.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sha256Hex } from '../../server/security/secrets.ts';
import { projectLinear, spendingSummary } from '../../server/shoppers/spending-summary.ts';
import { openDatabase } from '../../server/store/database.ts';
import type { SessionResponse, SpendingSummaryResponse } from '../../widget/shopper-api.ts';
import { addCard, bearer, expectError, pay, registerShopper } from '../support/frame-client.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { startTestBank, type TestBank } from '../support/test-bank.ts';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';

let bank: TestBank;
let wallet: TestWallet;
const ada = new SoftwareAuthenticator();
const bob = new SoftwareAuthenticator();
let adaSession: SessionResponse;
let bobSession: SessionResponse;

interface Shop {
  secretKey: string;
}
let grocer: Shop;
let tailor: Shop;
/** Ada's payments, by what they are. */
const paid = { groceries: '', clothing: '', refunded: '', declined: '', yen: '' };

/** A merchant of our own with its MCC, embedded on the test origin. */
async function shop(name: string, mcc: string): Promise<Shop> {
  const secretKey = `sk_test_${randomBytes(16).toString('hex')}`;
  const now = wallet.clock.now().toISOString();
  await wallet.query(
    'INSERT INTO merchants (id, display_name, secret_key_hash, allowed_origins, created_at, updated_at, mcc, country) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [`mer_${randomBytes(6).toString('hex')}`, name, sha256Hex(secretKey), JSON.stringify([wallet.merchantOrigin]), now, now, mcc, 'US'],
  );
  return { secretKey };
}

async function intentAt(merchant: Shop, amount: number, currency = 'USD'): Promise<{ id: string; client_secret: string }> {
  const res = await wallet.request('POST', '/v1/payment_intents', { amount, currency }, { authorization: `Bearer ${merchant.secretKey}` });
  assert.equal(res.status, 201, await res.clone().text());
  return res.json();
}

async function payAt(merchant: Shop, amount: number, cardId: string, who: SoftwareAuthenticator, session: SessionResponse, currency = 'USD'): Promise<string> {
  const intent = await intentAt(merchant, amount, currency);
  const res = await pay(wallet, who, intent.client_secret, cardId, session.sessionToken);
  assert.equal(res.status, 200, await res.clone().text());
  wallet.clock.advance(1_000);
  return intent.id;
}

const summary = async (token = adaSession.sessionToken, query = '') => {
  const res = await wallet.request('GET', `/api/frame/spending-summary${query}`, undefined, bearer(token));
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as SpendingSummaryResponse;
};

before(async () => {
  bank = await startTestBank();
  wallet = await startTestWallet({ bank: bank.config });
  grocer = await shop('Corner Grocer', '5411');
  tailor = await shop('City Tailor', '5651');
  adaSession = await registerShopper(wallet, ada, (await intentAt(grocer, 100)).client_secret, 'summary-ada@example.com');
  bobSession = await registerShopper(wallet, bob, (await intentAt(grocer, 100)).client_secret, 'summary-bob@example.com');
  const adaVisa = await addCard(wallet, adaSession.sessionToken, '4242424242424242');
  const adaDeclining = await addCard(wallet, adaSession.sessionToken, '4000000000000002');
  const bobVisa = await addCard(wallet, bobSession.sessionToken, '4242424242424242');

  paid.groceries = await payAt(grocer, 2500, adaVisa.id, ada, adaSession);
  paid.clothing = await payAt(tailor, 2000, adaVisa.id, ada, adaSession);
  paid.refunded = await payAt(tailor, 1500, adaVisa.id, ada, adaSession);
  paid.declined = await payAt(grocer, 700, adaDeclining.id, ada, adaSession);
  paid.yen = await payAt(grocer, 1200, adaVisa.id, ada, adaSession, 'JPY');
  await payAt(tailor, 9900, bobVisa.id, bob, bobSession);
  // The tailor refunds 500 of the 1500 payment: 1000 of it still counts.
  const refund = await wallet.request('POST', `/v1/payment_intents/${paid.refunded}/refunds`, { amount: 500 }, { authorization: `Bearer ${tailor.secretKey}` });
  assert.equal(refund.status, 201, await refund.clone().text());
});
after(async () => {
  await wallet?.close();
  await bank?.close();
});

describe('the spending summary over HTTP', () => {
  test("this month's succeeded payments less refunds, per currency and category; not the declined one, not another shopper's", async () => {
    const s = await summary();
    const now = wallet.clock.now();
    const daysInMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).getUTCDate();
    assert.equal(s.month, now.toISOString().slice(0, 7));
    assert.equal(s.method, 'linear_daily_average');
    assert.equal(s.daysElapsed, now.getUTCDate());
    assert.equal(s.daysInMonth, daysInMonth);
    assert.deepEqual(
      s.totals.map(({ currency, currencyDigits, spent, byCategory }) => ({ currency, currencyDigits, spent, byCategory })),
      [
        // 2500 groceries; 2000 + (1500 − 500) clothing. The declined 700 and Bob's 9900 are not Ada's spending.
        { currency: 'JPY', currencyDigits: 0, spent: 1200, byCategory: [{ category: 'groceries', amount: 1200 }] },
        { currency: 'USD', currencyDigits: 2, spent: 5500, byCategory: [{ category: 'clothing', amount: 3000 }, { category: 'groceries', amount: 2500 }] },
      ],
    );
    for (const total of s.totals) assert.equal(total.projected, projectLinear(total.spent, s.daysElapsed, s.daysInMonth));
  });

  test("Bob sees only his own", async () => {
    const s = await summary(bobSession.sessionToken);
    assert.deepEqual(
      s.totals.map(({ currency, spent, byCategory }) => ({ currency, spent, byCategory })),
      [{ currency: 'USD', spent: 9900, byCategory: [{ category: 'clothing', amount: 9900 }] }],
    );
  });

  test('needs a session, and refuses a query parameter with what it expected', async () => {
    await expectError(await wallet.request('GET', '/api/frame/spending-summary'), 401, 'authentication_required');
    const res = await wallet.request('GET', '/api/frame/spending-summary?month=2026-11', undefined, bearer(adaSession.sessionToken));
    await expectError(res, 422, 'invalid_request');
  });
});

describe('the spending summary at a fixed time', () => {
  test('counts only the month of `now` (UTC) and projects spent ÷ days elapsed × days in the month', async () => {
    const db = await openDatabase(wallet.database);
    try {
      // Ada's payments, moved to fixed times: three in December 2026, the yen one on the last second of November.
      const at = async (intentId: string, iso: string) => {
        await wallet.query('UPDATE payment_attempts SET created_at = ? WHERE intent_id = ?', [iso, intentId]);
      };
      await at(paid.groceries, '2026-12-01T00:00:00.000Z');
      await at(paid.clothing, '2026-12-09T23:59:59.999Z');
      await at(paid.refunded, '2026-12-10T08:00:00.000Z');
      await at(paid.declined, '2026-12-10T08:00:00.000Z');
      await at(paid.yen, '2026-11-30T23:59:59.999Z');
      const s = await spendingSummary(db, adaSession.shopper.id, new Date('2026-12-10T12:00:00.000Z'));
      assert.deepEqual(s, {
        month: '2026-12',
        method: 'linear_daily_average',
        daysElapsed: 10,
        daysInMonth: 31,
        totals: [
          {
            currency: 'USD',
            currencyDigits: 2,
            spent: 5500,
            // 5500 ÷ 10 × 31 = 17050.
            projected: 17050,
            byCategory: [
              { category: 'clothing', amount: 3000 },
              { category: 'groceries', amount: 2500 },
            ],
          },
        ],
      });
      // November: only the yen payment; 1200 ÷ 30 × 30.
      const november = await spendingSummary(db, adaSession.shopper.id, new Date('2026-11-30T23:59:59.999Z'));
      assert.deepEqual(
        november.totals.map(({ currency, spent, projected }) => ({ currency, spent, projected })),
        [{ currency: 'JPY', spent: 1200, projected: 1200 }],
      );
      assert.equal(november.month, '2026-11');
      // January 2027: nothing yet.
      assert.deepEqual((await spendingSummary(db, adaSession.shopper.id, new Date('2027-01-01T00:00:00.000Z'))).totals, []);
    } finally {
      await db.destroy();
    }
  });

  test('the projection rounds half up in integers', () => {
    assert.equal(projectLinear(1000, 3, 31), 10333); // 10333.33…
    assert.equal(projectLinear(1, 2, 31), 16); // 15.5 → 16
    assert.equal(projectLinear(0, 1, 28), 0);
    assert.equal(projectLinear(Number.MAX_SAFE_INTEGER, 31, 31), Number.MAX_SAFE_INTEGER);
    assert.throws(() => projectLinear(100, 0, 30), /days elapsed from 1 to 30, received 0/);
    assert.throws(() => projectLinear(1.5, 1, 30), /non-negative safe integer, received 1.5/);
  });
});
