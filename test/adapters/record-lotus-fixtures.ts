/**
 * Records Lotus Bank's answers for the canned tests (test/adapters/fixtures/lotus/): starts a real Lotus Bank,
 * runs each scenario through the real adapter with a recording fetch, and writes one JSON file per scenario.
 * The card bank API's common answers are recorded from the sandbox bank (record-sandbox-fixtures.ts); these are
 * what Lotus Bank adds: CNY cards from its own BINs, FX quotes, fees, charges naming a quote. Run it again after
 * changing the adapter's requests or the bank's answers:
 *
 *   node --import tsx test/adapters/record-lotus-fixtures.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnLotusBank } from '../../demo/lotus/spawn-lotus-bank.ts';
import { createLotusBankAdapter } from '../../server/adapters/lotus-bank.ts';
import type { CannedFixture } from './canned/bank-exchange.ts';
import { fixtureRecorder } from './canned/fixture-recorder.ts';
import { lotusCards } from './lotus-bank-cards.ts';
import { recordOfferFixtures } from './canned/record-offer-fixtures.ts';
import { DEMO_OFFER_MERCHANT } from './demo-offer-merchant.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'paykey-record-lotus-'));
const bank = await spawnLotusBank({ dataDir });
const recorder = fixtureRecorder('lotus', bank, (settings) => createLotusBankAdapter(settings));
const { record, id } = recorder;

/** Fixed card details, so fixtures do not change with the year they were recorded in. */
const card = (number: string) => ({ ...lotusCards.approve, number, expYear: 2099 });
const valueOf = <T>(outcome: CannedFixture['outcome']) => (outcome as { value: T }).value;

try {
  await record('brand', 'brand() reads Lotus Bank 莲花银行, its lotus logo, colours, radius, CJK fonts and support', { value: { name: { en: 'Lotus Bank', 'zh-CN': '莲花银行' } } }, { method: 'brand', args: [] });
  const tokenized = await record('tokenize-4444', 'tokenizing 5555 5555 5555 4444 gives a token for a card held in CNY', { value: { status: 'tokenized' } }, {
    method: 'tokenizeCard',
    args: [card(lotusCards.approve.number), id('tokenize')],
  });
  const token = valueOf<{ card: { token: string } }>(tokenized).card.token;
  await record('tokenize-not-issued', 'a card Lotus Bank does not issue (402 invalid_card) is rejected as a value', { value: { status: 'rejected', code: 'invalid_card' } }, {
    method: 'tokenizeCard',
    args: [card('4242424242424242'), id('tokenize')],
  });
  const feeEntries = [
    ...['USD', 'EUR', 'GBP', 'JPY'].map((currency) => ({ method: 'card', currency, fixed: 0, basisPoints: 150, applies: 'cross_currency' })),
    { method: 'card', currency: 'CNY', fixed: 0, basisPoints: 0, applies: 'any' },
  ];
  await record('fee-schedule', 'feeSchedule() reads 150 bp on cross-currency card payments, none in CNY', { value: { entries: feeEntries } }, { method: 'feeSchedule', args: [] });
  const quoted = await record('quote-usd', 'quoteFx of 10.15 USD into CNY: rate 7.1234, debit 7230 fen', { value: { rate: '7.1234', debit: 7230 } }, {
    method: 'quoteFx',
    args: [{ from: 'USD', to: 'CNY', amount: 1015 }],
  });
  const quote = valueOf<{ quoteId: string; debit: number }>(quoted);
  const charge = (amount: number, fxQuoteId?: string, currency = 'CNY') => ({
    token,
    amount,
    currency,
    reference: id('charge'),
    idempotencyKey: id('key'),
    ...(fxQuoteId ? { fxQuoteId } : {}),
  });
  await record('charge-quoted', 'a charge of exactly the debit naming the quote is approved', { value: { status: 'approved' } }, { method: 'charge', args: [charge(quote.debit, quote.quoteId)] });
  await record('charge-quote-mismatch', 'a charge naming the quote with another amount (422 fx_quote_mismatch) is a decline, nothing booked', { value: { status: 'declined', code: 'processing_error', bankChargeId: null } }, {
    method: 'charge',
    args: [charge(quote.debit + 1, quote.quoteId)],
  });
  await record('charge-quote-unknown', 'a charge naming a quote the bank never gave (422 fx_quote_not_found) is a decline', { value: { status: 'declined', code: 'processing_error', bankChargeId: null } }, {
    method: 'charge',
    args: [charge(quote.debit, 'fxq_never_quoted')],
  });
  await record('charge-without-quote', 'a USD charge on a CNY card without a quote (422 fx_quote_required) is a decline', { value: { status: 'declined', code: 'processing_error', bankChargeId: null } }, {
    method: 'charge',
    args: [charge(1015, undefined, 'USD')],
  });
  // ¥20 off ¥250.00 (lotus-tea-20): charged 23000 fen, no fee in CNY.
  await recordOfferFixtures(recorder, token, {
    merchant: DEMO_OFFER_MERCHANT,
    amount: 25_000,
    currency: 'CNY',
    charged: 23_000,
    expectQuote: { offerId: 'lotus-tea-20', version: 1, fundedBy: 'bank', value: { kind: 'instant_discount', discount: 2_000 } },
  });
  await record('release-token', 'releasing the token answers nothing (it is released)', { value: null }, { method: 'releaseToken', args: [token] });
  await record('charge-released-token', 'a charge on the released token is declined as a value (card_declined)', { value: { status: 'declined', code: 'card_declined' } }, {
    method: 'charge',
    args: [charge(100)],
  });
} finally {
  await bank.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
