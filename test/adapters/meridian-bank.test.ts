/**
 * The wallet's Meridian Bank adapter (server/adapters/open-banking/) against the real Meridian process over real
 * HTTP: the wallet's key published by its own JWKS sub-app, consent → the shopper at /authorize → code exchange
 * → payment → look-ups; replays and lost answers settled by look-up with money moving once; rejected consents,
 * insufficient funds, pending then settled; 5xx / 502 / garbled / dropped answers as unknown outcomes; a wrong
 * key or issuer as configuration errors; no token, key or account number in any error or log line.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { BankConfigurationError, BankTransportError } from '../../server/adapters/bank-adapter.ts';
import type {
  AccountPaymentAdapter,
  AccountPaymentAuthorization,
  ConsentRequest,
  PaymentSubmission,
} from '../../server/adapters/open-banking/account-payment-adapter.ts';
import { AuthorizationCallbackError } from '../../server/adapters/open-banking/authorization-callback-error.ts';
import { BankAccessGrant } from '../../server/adapters/open-banking/bank-access-grant.ts';
import { BANK_TEXT, redactSecrets } from '../../server/adapters/redact-secrets.ts';
import { WALLET_SIGNING_KEY_FILE, loadWalletSigningKey, walletSigningKeyFromPem } from '../../server/adapters/open-banking/wallet-signing-key.ts';
import { generateKeyPairSync } from 'node:crypto';
import { decideAtBank, MERCHANT_ACCOUNT, SHOPPER_CURRENT, SHOPPER_SAVER } from './meridian-shopper.ts';
import { startMeridianForWallet, type MeridianWalletFixture } from './meridian-wallet-fixture.ts';
import { brandProblems } from '../../widget/frame/theme/brand-problems.ts';

let fixture: MeridianWalletFixture;
let adapter: AccountPaymentAdapter;
/** Every error message the adapters produced here, and every shopper token they were given: the scrub test reads them. */
const errorMessages: string[] = [];
const tokensSeen: string[] = [];

before(async () => {
  fixture = await startMeridianForWallet();
  adapter = fixture.adapter();
});

after(async () => {
  if (fixture) {
    const log = await fixture.admin('GET', '/admin/validation-failures');
    assert.deepEqual(log.body.failures, [], 'Meridian sent answers that break the standard');
    await fixture.stop();
  }
});

beforeEach(async () => {
  await fixture.admin('DELETE', '/admin/faults');
  await fixture.admin('DELETE', '/admin/scenarios');
});

const state = () => randomBytes(24).toString('base64url');

function order(changes: Partial<ConsentRequest> = {}): ConsentRequest {
  const reference = `pk_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  return {
    reference,
    idempotencyKey: randomUUID(),
    amount: 1250,
    currency: 'GBP',
    payee: { name: 'Paykey Demo Shop Ltd', schemeName: 'UK.OBIE.SortCodeAccountNumber', identification: MERCHANT_ACCOUNT },
    description: `Order ${reference.slice(3, 11)}`,
    ...changes,
  };
}

/** Consent → the shopper approves at the bank → the adapter completes the return. */
async function authorised(request: ConsentRequest, account = SHOPPER_CURRENT, using = adapter): Promise<{ consentId: string; authorization: AccountPaymentAuthorization }> {
  const { consentId } = await using.createConsent(request);
  const expectedState = state();
  const callback = await decideAtBank(await using.authorizationUrl({ consentId, state: expectedState }), 'approve', account);
  const result = await using.completeAuthorization({ consentId, expectedState, callback });
  assert.equal(result.status, 'authorized', JSON.stringify(result));
  if (result.status !== 'authorized') throw new Error('unreachable');
  tokensSeen.push(result.authorization.accessToken());
  return { consentId, authorization: result.authorization };
}

function submission(request: ConsentRequest, consentId: string, authorization: AccountPaymentAuthorization): PaymentSubmission {
  const { idempotencyKey: _consentKey, ...paymentOrder } = request;
  return { ...paymentOrder, consentId, authorization, idempotencyKey: randomUUID() };
}

/** The error a call threw, recorded for the scrub test. */
async function thrown(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    errorMessages.push((error as Error).message);
    return error as Error;
  }
  assert.fail('expected the call to throw');
}

async function fault(route: string, kind: string): Promise<void> {
  const answer = await fixture.admin('POST', '/admin/faults', { route, kind, count: 1 });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
}

async function scenario(kind: string): Promise<void> {
  const answer = await fixture.admin('POST', '/admin/scenarios', { kind });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
}

describe('Meridian Bank adapter: the wallet key and its JWKS', () => {
  it('persists one RSA 2048 key: loading again gives the same kid; the JWKS sub-app publishes only its public half', async () => {
    const file = join(fixture.walletDataDir, WALLET_SIGNING_KEY_FILE);
    assert.equal(loadWalletSigningKey(file).kid, fixture.signingKey.kid);
    assert.equal(fixture.signingKey.privateKey.asymmetricKeyDetails?.modulusLength, 2048);
    const jwks = await (await fetch(fixture.jwksUrl)).json();
    assert.deepEqual(jwks, { keys: [fixture.signingKey.publicJwk] });
    assert.equal(jwks.keys[0].alg, 'PS256');
    assert.ok(!('d' in jwks.keys[0]) && !('p' in jwks.keys[0]), 'expected no private parameters in the JWKS');
    assert.ok(readFileSync(file, 'utf8').startsWith('-----BEGIN PRIVATE KEY-----'));
  });

  it('refuses a key that is not RSA 2048+ with BankConfigurationError, without quoting it', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    assert.throws(() => walletSigningKeyFromPem(small), (error: Error) => error instanceof BankConfigurationError && /expected an RSA key of at least 2048 bits/.test(error.message));
    assert.throws(() => walletSigningKeyFromPem('-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----'), (error: Error) => error instanceof BankConfigurationError && !error.message.includes('not a key'));
  });
});

describe('Meridian Bank adapter: a payment by bank', () => {
  it('declares GBP only, the reference and remittance lengths, no refunds, and the brand', async () => {
    assert.deepEqual(adapter.limits.currencies, ['GBP']);
    assert.equal(adapter.limits.maxReferenceLength, 35);
    assert.equal(adapter.limits.maxDescriptionLength, 140);
    assert.equal(adapter.refunds, 'not_supported');
    const brand = await adapter.brand();
    assert.deepEqual(brand.name, { en: 'Meridian Bank', 'zh-CN': '子午线银行' });
    assert.match(brand.logo, /^data:image\/svg\+xml;base64,/);
    assert.deepEqual(brandProblems(brand), [], 'expected a brand the wallet shows: six colours meeting WCAG 2.2 AA, radius, font stack, support');
  });

  it('consent → approval at the bank → payment approved; money moves once; look-ups agree', async () => {
    const before = await fixture.balances();
    const request = order({ amount: 1250 });
    const { consentId, authorization } = await authorised(request);
    assert.equal(await adapter.consentState(consentId), 'authorized');
    assert.equal(await adapter.lookupPayment({ reference: request.reference, consentId }), null, 'an authorised consent not yet paid has no payment');

    const payment = submission(request, consentId, authorization);
    const result = await adapter.submitPayment(payment);
    assert.equal(result.status, 'approved', JSON.stringify(result));
    assert.equal(result.reference, request.reference);
    assert.equal(result.consentId, consentId);
    assert.equal(await adapter.consentState(consentId), 'consumed');

    const after = await fixture.balances();
    assert.equal(after[SHOPPER_CURRENT], before[SHOPPER_CURRENT] - 1250);
    assert.equal(after[MERCHANT_ACCOUNT], before[MERCHANT_ACCOUNT] + 1250);

    assert.deepEqual(await adapter.lookupPayment({ reference: request.reference, consentId, bankPaymentId: result.bankPaymentId }), result);
    assert.deepEqual(await adapter.lookupPayment({ reference: request.reference, consentId, submission: payment }), result);
  });

  it('a replay with the same key answers the same payment; a new key on a paid consent answers it too (409 U029); money moves once', async () => {
    const request = order({ amount: 700 });
    const { consentId, authorization } = await authorised(request);
    const payment = submission(request, consentId, authorization);
    const first = await adapter.submitPayment(payment);
    assert.equal(first.status, 'approved');
    const before = await fixture.balances();
    assert.deepEqual(await adapter.submitPayment(payment), first);
    assert.deepEqual(await adapter.submitPayment({ ...payment, idempotencyKey: randomUUID() }), first);
    assert.deepEqual(await fixture.balances(), before);
  });

  it('the consent replayed with the same key is the same consent', async () => {
    const request = order();
    const first = await adapter.createConsent(request);
    assert.deepEqual(await adapter.createConsent(request), first);
    assert.notEqual((await adapter.createConsent({ ...request, idempotencyKey: randomUUID() })).consentId, first.consentId);
    // Replayed after the shopper approved it, it is still the same consent, now authorised.
    const expectedState = state();
    const callback = await decideAtBank(await adapter.authorizationUrl({ consentId: first.consentId, state: expectedState }), 'approve');
    assert.equal((await adapter.completeAuthorization({ consentId: first.consentId, expectedState, callback })).status, 'authorized');
    assert.deepEqual(await adapter.createConsent(request), first);
    assert.equal(await adapter.consentState(first.consentId), 'authorized');
  });

  it('a lost payment answer (connection dropped after booking) is unknown, and the look-up finds the one payment', async () => {
    const before = await fixture.balances();
    const request = order({ amount: 333 });
    const { consentId, authorization } = await authorised(request);
    const payment = submission(request, consentId, authorization);
    await fault('payment', 'drop_after');
    assert.ok((await thrown(adapter.submitPayment(payment))) instanceof BankTransportError);
    const found = await adapter.lookupPayment({ reference: request.reference, consentId, submission: payment });
    assert.equal(found?.status, 'approved', JSON.stringify(found));
    assert.deepEqual(await adapter.submitPayment(payment), found, 'the retry answers the same payment');
    const after = await fixture.balances();
    assert.equal(after[SHOPPER_CURRENT], before[SHOPPER_CURRENT] - 333, 'booked exactly once');
  });

  for (const kind of ['error_after', 'bad_gateway_after', 'garbled_after'] as const) {
    it(`${kind} on the payment: BankTransportError (unknown), resolved by look-up, booked once`, async () => {
      const before = await fixture.balances();
      const request = order({ amount: 101 });
      const { consentId, authorization } = await authorised(request);
      const payment = submission(request, consentId, authorization);
      await fault('payment', kind);
      const error = await thrown(adapter.submitPayment(payment));
      assert.ok(error instanceof BankTransportError, `expected BankTransportError, received ${error.name}: ${error.message}`);
      const found = await adapter.lookupPayment({ reference: request.reference, consentId, submission: payment });
      assert.equal(found?.status, 'approved');
      assert.equal((await fixture.balances())[SHOPPER_CURRENT], before[SHOPPER_CURRENT] - 101);
    });
  }

  it('error_before on the payment: unknown; the look-up shows nothing booked (null), and the retry pays once', async () => {
    const before = await fixture.balances();
    const request = order({ amount: 202 });
    const { consentId, authorization } = await authorised(request);
    const payment = submission(request, consentId, authorization);
    await fault('payment', 'error_before');
    assert.ok((await thrown(adapter.submitPayment(payment))) instanceof BankTransportError);
    assert.equal(await adapter.lookupPayment({ reference: request.reference, consentId, submission: payment }), null);
    assert.equal((await adapter.submitPayment(payment)).status, 'approved');
    assert.equal((await fixture.balances())[SHOPPER_CURRENT], before[SHOPPER_CURRENT] - 202);
  });

  it('a payment answer slower than the timeout is unknown; once the bank has booked it, the look-up finds it and a retry answers it', async () => {
    const slow = fixture.adapter({ timeoutMs: 800 });
    const before = await fixture.balances();
    const request = order({ amount: 55 });
    const { consentId, authorization } = await authorised(request);
    const payment = submission(request, consentId, authorization);
    assert.equal((await fixture.admin('POST', '/admin/faults', { route: 'payment', kind: 'latency', ms: 2_000, count: 1 })).status, 201);
    const error = await thrown(slow.submitPayment(payment));
    assert.ok(error instanceof BankTransportError && /no answer within 800 ms/.test(error.message), error.message);
    // Until the held request books, the consent shows no payment (null: safe to retry with the same key).
    let found = await adapter.lookupPayment({ reference: request.reference, consentId, submission: payment });
    for (let waited = 0; found === null && waited < 10_000; waited += 250) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      found = await adapter.lookupPayment({ reference: request.reference, consentId, submission: payment });
    }
    assert.equal(found?.status, 'approved');
    assert.deepEqual(await adapter.submitPayment(payment), found);
    assert.equal((await fixture.balances())[SHOPPER_CURRENT], before[SHOPPER_CURRENT] - 55);
  });

  it('a lost code-exchange answer is unknown; the spent code is then consent_expired, and nothing was paid', async () => {
    const request = order();
    const { consentId } = await adapter.createConsent(request);
    const expectedState = state();
    const callback = await decideAtBank(await adapter.authorizationUrl({ consentId, state: expectedState }), 'approve');
    await fault('token', 'drop_after');
    assert.ok((await thrown(adapter.completeAuthorization({ consentId, expectedState, callback }))) instanceof BankTransportError);
    const again = await adapter.completeAuthorization({ consentId, expectedState, callback });
    assert.equal(again.status === 'declined' && again.code, 'consent_expired');
    assert.equal(await adapter.lookupPayment({ reference: request.reference, consentId }), null);
  });

  it('a lost consent answer is unknown; the same key then answers the consent', async () => {
    const request = order();
    await fault('consent', 'drop_after');
    assert.ok((await thrown(adapter.createConsent(request))) instanceof BankTransportError);
    const consent = await adapter.createConsent(request);
    assert.equal(await adapter.consentState(consent.consentId), 'awaiting_authorization');
  });

  it('the shopper rejects at the bank: consent_rejected, and the look-up says so', async () => {
    const request = order();
    const { consentId } = await adapter.createConsent(request);
    const expectedState = state();
    const callback = await decideAtBank(await adapter.authorizationUrl({ consentId, state: expectedState }), 'reject');
    const result = await adapter.completeAuthorization({ consentId, expectedState, callback });
    assert.equal(result.status, 'declined');
    assert.equal(result.status === 'declined' && result.code, 'consent_rejected');
    assert.equal(await adapter.consentState(consentId), 'rejected');
    const found = await adapter.lookupPayment({ reference: request.reference, consentId });
    assert.equal(found?.status === 'declined' && found.code, 'consent_rejected');
  });

  it('the bank refuses an approval (reject_consent): consent_rejected', async () => {
    await scenario('reject_consent');
    const { consentId } = await adapter.createConsent(order());
    const expectedState = state();
    const callback = await decideAtBank(await adapter.authorizationUrl({ consentId, state: expectedState }), 'approve');
    const result = await adapter.completeAuthorization({ consentId, expectedState, callback });
    assert.equal(result.status === 'declined' && result.code, 'consent_rejected');
  });

  it('insufficient funds, forced or real: declined insufficient_funds, nothing moves', async () => {
    await scenario('insufficient_funds');
    const forced = order({ amount: 100 });
    const a = await authorised(forced);
    const before = await fixture.balances();
    const result = await adapter.submitPayment(submission(forced, a.consentId, a.authorization));
    assert.equal(result.status, 'declined');
    assert.equal(result.status === 'declined' && result.code, 'insufficient_funds');
    assert.ok(result.bankPaymentId);

    const real = order({ amount: 2_000 }); // the Rainy Day Saver holds £15.00
    const b = await authorised(real, SHOPPER_SAVER);
    const second = await adapter.submitPayment(submission(real, b.consentId, b.authorization));
    assert.equal(second.status === 'declined' && second.code, 'insufficient_funds');
    assert.deepEqual(await fixture.balances(), before);
  });

  it('pending then settled: pending, then approved by look-up', async () => {
    await scenario('pending_then_settled');
    const request = order({ amount: 450 });
    const { consentId, authorization } = await authorised(request);
    const result = await adapter.submitPayment(submission(request, consentId, authorization));
    assert.equal(result.status, 'pending', JSON.stringify(result));
    const bankPaymentId = result.status === 'pending' ? result.bankPaymentId : '';
    assert.equal((await adapter.lookupPayment({ reference: request.reference, consentId, bankPaymentId }))?.status, 'pending');
    assert.equal((await fixture.admin('POST', `/admin/payments/${bankPaymentId}/settle`)).status, 200);
    assert.equal((await adapter.lookupPayment({ reference: request.reference, consentId, bankPaymentId }))?.status, 'approved');
  });

  it('a grant that has expired is declined consent_expired without calling the bank; a used code is consent_expired', async () => {
    const request = order();
    const { consentId, authorization } = await authorised(request);
    const stale = new BankAccessGrant(consentId, authorization.accessToken(), new Date(Date.now() - 1_000));
    const result = await adapter.submitPayment(submission(request, consentId, stale));
    assert.equal(result.status === 'declined' && result.code, 'consent_expired');
    assert.equal(await adapter.consentState(consentId), 'authorized', 'nothing was sent');

    const other = await adapter.createConsent(order());
    const expectedState = state();
    const callback = await decideAtBank(await adapter.authorizationUrl({ consentId: other.consentId, state: expectedState }), 'approve');
    assert.equal((await adapter.completeAuthorization({ consentId: other.consentId, expectedState, callback })).status, 'authorized');
    const again = await adapter.completeAuthorization({ consentId: other.consentId, expectedState, callback });
    assert.equal(again.status === 'declined' && again.code, 'consent_expired');
  });

  it("a return with another state or issuer is an AuthorizationCallbackError, and the code is not spent", async () => {
    const request = order();
    const { consentId } = await adapter.createConsent(request);
    const expectedState = state();
    const callback = await decideAtBank(await adapter.authorizationUrl({ consentId, state: expectedState }), 'approve');
    assert.ok((await thrown(adapter.completeAuthorization({ consentId, expectedState: state(), callback }))) instanceof AuthorizationCallbackError);
    assert.ok((await thrown(adapter.completeAuthorization({ consentId, expectedState, callback: { ...callback, iss: 'https://evil.example' } }))) instanceof AuthorizationCallbackError);
    const result = await adapter.completeAuthorization({ consentId, expectedState, callback });
    assert.equal(result.status, 'authorized');
    if (result.status === 'authorized') tokensSeen.push(result.authorization.accessToken());
  });

  it('the grant never shows its token: JSON, String and inspect say [REDACTED]', async () => {
    const request = order();
    const { authorization } = await authorised(request);
    const token = authorization.accessToken();
    const { inspect } = await import('node:util');
    for (const shown of [JSON.stringify(authorization), String(authorization), inspect(authorization), inspect({ nested: authorization })]) {
      assert.ok(!shown.includes(token), `expected no token in ${shown}`);
    }
  });

  it('an order outside what Meridian carries is refused before any call (BankConfigurationError)', async () => {
    for (const bad of [order({ currency: 'EUR' }), order({ reference: 'x'.repeat(36) }), order({ description: 'd'.repeat(141) }), order({ amount: 0 })]) {
      assert.ok((await thrown(adapter.createConsent(bad))) instanceof BankConfigurationError);
    }
  });
});

describe('Meridian Bank adapter: configuration', () => {
  it("a key that is not the one at the wallet's JWKS: BankConfigurationError", async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const wrongKey = walletSigningKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const error = await thrown(fixture.adapter({ signingKey: wrongKey }).createConsent(order()));
    assert.ok(error instanceof BankConfigurationError, `expected BankConfigurationError, received ${error.name}: ${error.message}`);
  });

  it('a client id the bank does not know: BankConfigurationError', async () => {
    const error = await thrown(fixture.adapter({ clientId: 'not-registered' }).createConsent(order()));
    assert.ok(error instanceof BankConfigurationError, `expected BankConfigurationError, received ${error.name}: ${error.message}`);
  });

  it("answers not signed as the expected bank are unknown, never believed", async () => {
    const error = await thrown(fixture.adapter({ bankOrganisationId: 'another-bank' }).createConsent(order()));
    assert.ok(error instanceof BankTransportError, `expected BankTransportError, received ${error.name}: ${error.message}`);
    assert.match(error.message, /not signed by the bank|iss/);
  });

  it('an unreachable bank: BankTransportError', async () => {
    const error = await thrown(fixture.adapter({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 2_000 }).createConsent(order()));
    assert.ok(error instanceof BankTransportError);
  });
});

describe('Meridian Bank adapter: scrubbing', () => {
  it('no token, private key or account number in any error message or log line of this suite', () => {
    const jwk = fixture.signingKey.privateKey.export({ format: 'jwk' });
    const pem = fixture.signingKey.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const pemLines = pem.split('\n').filter((line) => line.length > 40 && !line.startsWith('-----'));
    const forbidden = [
      ...tokensSeen,
      jwk.d!,
      jwk.p!,
      jwk.q!,
      ...pemLines,
      SHOPPER_CURRENT,
      SHOPPER_SAVER,
      MERCHANT_ACCOUNT,
      '12345678',
      '87654321',
      '23456789',
    ];
    const texts = [...errorMessages, ...fixture.logs];
    assert.ok(errorMessages.length >= 10, `expected the suite to have collected errors, received ${errorMessages.length}`);
    assert.ok(fixture.logs.length >= 5, `expected the suite to have collected log lines, received ${fixture.logs.length}`);
    for (const text of texts) for (const secret of forbidden) assert.ok(!text.includes(secret), `expected no secret or account number in: ${text}`);
    // How banks write accounts in their messages: scrubbed whichever way.
    for (const written of ['04000412345678', '04-00-04 12345678', '040004 12345678', 'account:04000412345678.']) {
      assert.ok(!/\d{4}/.test(redactSecrets(`debtor ${written}`, [], BANK_TEXT)), `expected ${written} scrubbed`);
    }
    // Scrubbing leaves what finds a call: interaction ids and our references stay whole.
    const interactions = texts.filter((text) => /interaction [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\)/.test(text));
    assert.ok(interactions.length >= 5, 'expected interaction ids intact in the messages of unknown outcomes');
    for (const text of texts) assert.ok(!/[0-9a-f][[]REDACTED[]]|[[]REDACTED[]][0-9a-f]/.test(text), `expected no id cut by scrubbing in: ${text}`);
  });
});
