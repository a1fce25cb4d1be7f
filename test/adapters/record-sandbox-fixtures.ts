/**
 * Records the sandbox bank's answers for the canned tests (test/adapters/fixtures/sandbox/):
 * starts a real sandbox bank, runs each scenario through the real adapter with a
 * recording fetch, and writes one JSON file per scenario. Run it again after changing
 * the adapter's requests or the bank's answers:
 *
 *   node --import tsx test/adapters/record-sandbox-fixtures.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSandboxBankAdapter } from '../../server/adapters/sandbox-bank.ts';
import { spawnSandboxBank } from '../../demo/bank/spawn-sandbox-bank.ts';
import { fixtureRecorder } from './canned/fixture-recorder.ts';
import { sandboxCards } from './sandbox-bank-cards.ts';
import { sandboxBankFaults } from './sandbox-bank-faults.ts';
import { recordOfferFixtures } from './canned/record-offer-fixtures.ts';
import { DEMO_OFFER_MERCHANT } from './demo-offer-merchant.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'paykey-record-sandbox-'));
const bank = await spawnSandboxBank({ dataDir });
const faults = sandboxBankFaults(bank);
const recorder = fixtureRecorder('sandbox', bank, (settings) => createSandboxBankAdapter(settings));
const { record, id } = recorder;

/** Fixed card details, so fixtures do not change with the year they were recorded in. */
const card = (number: string) => ({ ...sandboxCards.approve, number, expYear: 2099 });

const tokenOf = async (number: string) => {
  const outcome = await record(`tokenize-${number.slice(-4)}`, `tokenizing the test card …${number.slice(-4)} gives a token`, { value: { status: 'tokenized' } }, {
    method: 'tokenizeCard',
    args: [card(number), id('tokenize')],
  });
  return ((outcome as { value: { card: { token: string } } }).value.card.token);
};

try {
  const since = new Date(Date.now() - 1_000).toISOString();
  await record('brand', 'brand() reads the localized name, logo, six colours, radius, font and support', { value: { name: { en: 'Sandbox Bank', 'zh-CN': '沙盒银行' } } }, { method: 'brand', args: [] });
  const approve = await tokenOf(sandboxCards.approve.number);
  const decline = await tokenOf(sandboxCards.decline.number);
  const poor = await tokenOf(sandboxCards.insufficientFunds.number);
  const released = await tokenOf('5200828282828210');
  await record('release-token', 'releasing a token answers nothing (it is released)', { value: null }, { method: 'releaseToken', args: [released] });
  await record('release-token-unknown', 'releasing a token the bank does not know is no error (idempotent)', { value: null }, { method: 'releaseToken', args: ['tok_never_issued'] });
  await record('charge-released-token', 'a charge on a released token is declined as a value (card_declined)', { value: { status: 'declined', code: 'card_declined' } }, {
    method: 'charge',
    args: [{ token: released, amount: 1000, currency: 'EUR', reference: id('charge'), idempotencyKey: id('key') }],
  });
  await record('tokenize-luhn', 'a number failing its check digit is rejected as a value (invalid_card)', { value: { status: 'rejected', code: 'invalid_card' } }, {
    method: 'tokenizeCard',
    args: [card('4242424242424241'), id('tokenize')],
  });
  await record('tokenize-expired', 'an expired card is rejected as a value (expired_card)', { value: { status: 'rejected', code: 'expired_card' } }, {
    method: 'tokenizeCard',
    args: [{ ...card(sandboxCards.approve.number), expYear: 2001 }, id('tokenize')],
  });
  await record('tokenize-422', 'details that cannot make a card (month 13, a 422) are rejected as a value (invalid_card)', { value: { status: 'rejected', code: 'invalid_card' } }, {
    method: 'tokenizeCard',
    args: [{ ...card(sandboxCards.approve.number), expMonth: 13 }, id('tokenize')],
  });
  await record('tokenize-bad-key', 'a refused key (401) is a BankConfigurationError', { error: 'BankConfigurationError' }, {
    method: 'tokenizeCard',
    args: [card(sandboxCards.approve.number), id('tokenize')],
  }, { apiKey: 'sk_sandbox_not_the_key' });

  const charge = (token: string, reference: string, amount = 1999) => ({
    token,
    amount,
    currency: 'EUR',
    reference,
    idempotencyKey: id('key'),
    description: 'canned fixture',
  });
  const approved = id('charge');
  const approvedOutcome = await record('charge-approved', 'an approved charge (201)', { value: { status: 'approved' } }, { method: 'charge', args: [charge(approve, approved)] });
  await record('charge-replayed', 'the same reference again is the same charge (200)', { value: { status: 'approved' } }, { method: 'charge', args: [charge(approve, approved)] });
  await record('charge-declined', 'a declined charge is a value (card_declined)', { value: { status: 'declined', code: 'card_declined' } }, { method: 'charge', args: [charge(decline, id('charge'))] });
  await record('charge-insufficient-funds', 'a declined charge is a value (insufficient_funds)', { value: { status: 'declined', code: 'insufficient_funds' } }, { method: 'charge', args: [charge(poor, id('charge'))] });
  await record('charge-unknown-token', 'an unknown token (404) is an unknown outcome carrying invalid_card', { error: 'BankTransportError' }, {
    method: 'charge',
    args: [charge('tok_unknown', id('charge'))],
  });
  await record('charge-reference-conflict', 'the same reference with another amount (409) is an unknown outcome, not a decline', { error: 'BankTransportError' }, {
    method: 'charge',
    args: [charge(approve, approved, 999)],
  });
  for (const [kind, what] of [
    ['conflict_after', 'a 409 after the bank booked'],
    ['garbled_after', 'cut-off JSON after the bank booked'],
    ['error_after', 'a 502 HTML page after the bank booked'],
    ['drop_after', 'a dropped connection after the bank booked'],
    ['timeout', 'no answer in time (the bank books later)'],
  ] as const) {
    await record(`charge-${kind.replace('_', '-')}`, `${what} is an unknown outcome (BankTransportError), never a decline`, { error: 'BankTransportError' }, {
      method: 'charge',
      args: [charge(approve, id('charge'))],
    }, { timeoutMs: kind === 'timeout' ? 300 : undefined, before: () => faults.inject('charge', kind, { holdMs: 600 }) });
  }
  await sleep(700); // the held charge books before the listing
  await record('charge-bad-key', 'a refused key (401) is a BankConfigurationError', { error: 'BankConfigurationError' }, { method: 'charge', args: [charge(approve, id('charge'))] }, {
    apiKey: 'sk_sandbox_not_the_key',
  });
  await record('lookup-charge-found', 'lookupCharge finds a charge by our reference', { value: { status: 'approved', reference: approved } }, { method: 'lookupCharge', args: [approved] });
  await record('lookup-charge-none', 'lookupCharge gives null for a reference the bank never saw', { value: null }, { method: 'lookupCharge', args: [id('never')] });

  const bankChargeId = (approvedOutcome as { value: { bankChargeId: string } }).value.bankChargeId;
  const refund = (amount: number, reference = id('refund')) => ({ bankChargeId, amount, currency: 'EUR', reference, idempotencyKey: id('key') });
  const refunded = refund(1000);
  await record('refund-succeeded', 'a refund (201)', { value: { status: 'succeeded' } }, { method: 'refund', args: [refunded] });
  await record('refund-over', 'more than is left to refund (402 processing_error) is a failed value', { value: { status: 'failed', code: 'processing_error' } }, { method: 'refund', args: [refund(5000)] });
  await record('refund-conflict-after', 'a 409 after the refund was booked is an unknown outcome', { error: 'BankTransportError' }, { method: 'refund', args: [refund(100)] }, {
    before: () => faults.inject('refund', 'conflict_after'),
  });
  await record('lookup-refund-found', 'lookupRefund finds a refund by our reference', { value: { status: 'succeeded', reference: refunded.reference } }, { method: 'lookupRefund', args: [refunded.reference] });
  await record('lookup-refund-none', 'lookupRefund gives null for a reference the bank never saw', { value: null }, { method: 'lookupRefund', args: [id('never')] });
  // 5 % cashback on $25.00 (sandbox-cashback-5), before the listings so they show the charge applying it.
  await recordOfferFixtures(recorder, approve, {
    merchant: DEMO_OFFER_MERCHANT,
    amount: 2_500,
    currency: 'USD',
    charged: 2_500,
    expectQuote: { offerId: 'sandbox-cashback-5', version: 1, fundedBy: 'bank', personalized: false },
  });
  await record('list-charges', 'listCharges reads the ledger since a time', { value: {} }, { method: 'listCharges', args: [since] });
  await record('list-refunds', 'listRefunds reads the ledger since a time', { value: {} }, { method: 'listRefunds', args: [since] });
} finally {
  await bank.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
