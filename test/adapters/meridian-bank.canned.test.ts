/**
 * The Meridian Bank adapter against the answers recorded from Meridian (test/adapters/fixtures/meridian/, written
 * by record-meridian-fixtures.ts) — no bank process. Each fixture is a scenario of a few calls; the adapter runs at
 * the time each call was recorded (its `now` option), signs with the TEST-ONLY wallet key stored with the fixtures,
 * and gets the bank's answers byte for byte, still signed by the bank (its /jwks answer is recorded too). The
 * canned fetch checks every request (open-banking-canned-fetch.ts); each call must show what the recording stated
 * and exactly what the adapter made of it live, with the same log lines; nothing secret in any outcome or log line.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BANK_TEXT, redactSecrets } from '../../server/adapters/redact-secrets.ts';
import {
  breaksObExpectation,
  breaksSameValue,
  callAccountAdapter,
  normaliseOutcome,
  withInteractionPlaceholders,
  type ObCannedFixture,
  type ObCannedOutcome,
} from './canned/open-banking-exchange.ts';
import { obCannedFetch } from './canned/open-banking-canned-fetch.ts';
import { cannedKey, cannedMeridianAdapter, MERIDIAN_TRUST_ANCHOR, readMeridianFixtures } from './meridian-canned.ts';
import { MERCHANT_ACCOUNT, SHOPPER_CURRENT, SHOPPER_SAVER } from './meridian-shopper.ts';

const fixtures = readMeridianFixtures();

/** The scenarios the partner-bank kit asks every pay-by-bank adapter's canned tests to cover. */
const REQUIRED = [
  'payment-approved',
  'consent-rejected',
  'insufficient-funds',
  'pending-then-settled',
  'lost-answer-drop-after',
  'replay-same-key',
  'paid-consent-u029',
  'error-after-booking',
  'garbled-after-booking',
  'bad-client-key',
  'consent-expired-code-used',
];

interface Replayed {
  outcomes: ObCannedOutcome[];
  logs: string[][];
}

/** Replays a fixture through a fresh adapter; `key` overrides the key the adapter signs with (the canned fetch still expects the fixture's). */
async function replay(fixture: ObCannedFixture, key = fixture.adapter.key): Promise<Replayed> {
  let clock = new Date(fixture.steps[0].at);
  const now = () => clock;
  const logs: string[] = [];
  const canned = obCannedFetch({
    baseUrl: fixture.baseUrl,
    clientId: fixture.adapter.clientId,
    trustAnchor: MERIDIAN_TRUST_ANCHOR,
    tokenEndpoint: `${fixture.baseUrl}/token`,
    walletKey: cannedKey(fixture.adapter.key),
    now,
  });
  const adapter = cannedMeridianAdapter({ ...fixture, adapter: { ...fixture.adapter, key } }, { fetch: canned.fetch, now, log: (line) => logs.push(line) });
  const replayed: Replayed = { outcomes: [], logs: [] };
  for (const [index, step] of fixture.steps.entries()) {
    const label = `step ${index + 1} (${step.shows})`;
    clock = new Date(step.at);
    logs.length = 0;
    canned.begin(step.exchanges);
    const outcome = normaliseOutcome(await callAccountAdapter(adapter, step.call), canned.sent());
    const problem = canned.problem();
    if (problem) throw Object.assign(problem, { message: `${label}: ${problem.message}` });
    assert.equal(breaksObExpectation(outcome, step.expect), null, label);
    assert.deepEqual(outcome, step.outcome, `${label}: expected what the adapter made of it when recorded`);
    assert.equal(breaksSameValue(replayed.outcomes.map((o) => ({ outcome: o })), { outcome, sameValueAs: step.sameValueAs }), null, label);
    const lines = logs.map((line) => withInteractionPlaceholders(line, canned.sent()));
    assert.deepEqual(lines, step.logs, `${label}: expected the recorded log lines`);
    assert.equal(canned.remaining(), 0, `${label}: expected the adapter to make every recorded request`);
    replayed.outcomes.push(outcome);
    replayed.logs.push(lines);
  }
  return replayed;
}

/** Never in an outcome or a log line: the tokens and codes (placeholders here), the wallet key, account numbers. */
function secretsOf(fixture: ObCannedFixture): string[] {
  const text = JSON.stringify(fixture);
  const placeholders = [...new Set(text.match(/canned-(?:client-token|shopper-token|code)-\d+/g) ?? [])];
  const jwk = cannedKey(fixture.adapter.key).privateKey.export({ format: 'jwk' });
  return [...placeholders, jwk.d!, jwk.p!, jwk.q!, SHOPPER_CURRENT, SHOPPER_SAVER, MERCHANT_ACCOUNT, '12345678', '87654321'];
}

describe('Meridian Bank adapter maps recorded bank answers (canned, no bank process)', () => {
  it('has a recorded fixture for every required scenario, each stating what every call must show', () => {
    const files = fixtures.map(({ file }) => file.replace(/\.json$/, ''));
    for (const name of REQUIRED) assert.ok(files.includes(name), `expected test/adapters/fixtures/meridian/${name}.json (run record-meridian-fixtures.ts)`);
    for (const { file, fixture } of fixtures) {
      assert.ok(fixture.scenario && fixture.steps.length > 0, file);
      for (const step of fixture.steps) assert.ok(step.shows && step.expect && step.at, `${file}: expected shows, expect and at on every step`);
    }
  });

  for (const { file, fixture } of fixtures) {
    it(`${file}: ${fixture.scenario}`, async () => {
      const replayed = await replay(fixture);
      const texts = [...replayed.outcomes.map((outcome) => JSON.stringify(outcome)), ...replayed.logs.flat()];
      for (const text of texts) for (const secret of secretsOf(fixture)) assert.ok(!text.includes(secret), `expected no secret (${secret.slice(0, 8)}…) in: ${text}`);
    });
  }
});

describe('Meridian canned replay catches what it must', () => {
  const approved = fixtures.find(({ file }) => file === 'payment-approved.json')?.fixture;

  it('an answer changed after the bank signed it is not believed: unknown outcome, not the recorded approval', async () => {
    assert.ok(approved);
    const tampered: ObCannedFixture = structuredClone(approved);
    const index = tampered.steps.findIndex((step) => step.call.method === 'submitPayment');
    const exchange = tampered.steps[index].exchanges.find((e) => e.request.path.endsWith('/domestic-payments'))!;
    assert.ok('body' in exchange.response);
    exchange.response.body = exchange.response.body.replace('"ACSC"', '"ACCC"');
    tampered.steps = tampered.steps.slice(0, index + 1);
    await assert.rejects(replay(tampered), (error: Error) => {
      assert.match(error.message, /BankTransportError/);
      assert.match(error.message, /not signed by the bank|does not verify/);
      return true;
    });
  });

  it('requests signed with another key than the wallet key of the test are refused by the canned fetch', async () => {
    assert.ok(approved);
    await assert.rejects(replay(approved, 'unregistered'), /expected the kid of the wallet key|client_assertion kid/);
  });

  it('a request that differs from the recorded one is refused (another amount)', async () => {
    assert.ok(approved);
    const changed: ObCannedFixture = structuredClone(approved);
    const call = changed.steps[0].call;
    assert.equal(call.method, 'createConsent');
    if (call.method === 'createConsent') call.args[0] = { ...call.args[0], amount: call.args[0].amount + 1 };
    changed.steps = changed.steps.slice(0, 1);
    await assert.rejects(replay(changed), /expected request \d+ of the step .* to be the recorded one/);
  });
});

describe('the one redactor in bank-text mode (what the open-banking adapter quotes)', () => {
  it('removes account numbers however a bank writes them, and keeps ids whole', () => {
    for (const written of ['04000412345678', '04-00-04 12345678', '040004 12345678', 'account:04000412345678.']) {
      assert.ok(!/\d{4}/.test(redactSecrets(`debtor ${written}`, [], BANK_TEXT)), written);
    }
    // Interaction ids whose digits happen to form a Luhn-valid run (log-line mode cuts them), a reference, a payment id: left whole.
    for (const id of ['interaction a1a47b56-72f3-4954-8352-8641b37c5588', 'interaction 08987826-3225-479f-9297-69ce321b9725', 'pk_4242424242424242abc', 'pmt_Ab12345678901234']) {
      assert.equal(redactSecrets(id, [], BANK_TEXT), id);
    }
    assert.notEqual(redactSecrets('interaction a1a47b56-72f3-4954-8352-8641b37c5588'), 'interaction a1a47b56-72f3-4954-8352-8641b37c5588', 'the example must matter');
    assert.equal(redactSecrets('token abcdef123 here', ['abcdef123'], BANK_TEXT), 'token [REDACTED] here');
    assert.equal(redactSecrets('amount 1234567890123 (not Luhn)'), 'amount 1234567890123 (not Luhn)', 'log lines keep long numbers');
  });

});
