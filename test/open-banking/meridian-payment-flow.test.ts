/**
 * Meridian Bank over real HTTP, as its own process: consent → the shopper approves at /authorize →
 * code exchange → payment → look-up, money moving exactly once; idempotent replays; rejected consents;
 * insufficient funds; pending then settled. Every answer the bank sent must have passed its own check
 * against the official document.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawnMeridianBank, type SpawnedMeridianBank } from '../../demo/open-banking/spawn-meridian-bank.ts';
import {
  consentBody,
  MERCHANT,
  MeridianTestTpp,
  newTestKey,
  serveJwks,
  SHOPPER_CURRENT,
  SHOPPER_SAVER,
  TEST_CLIENT_ID,
  TEST_REDIRECT_URI,
  verifyBankSignature,
} from './meridian-test-tpp.ts';

let bank: SpawnedMeridianBank;
let tpp: MeridianTestTpp;
let jwks: Awaited<ReturnType<typeof serveJwks>>;
let dataDir: string;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'paykey-meridian-flow-'));
  const key = newTestKey();
  jwks = await serveJwks([key]);
  bank = await spawnMeridianBank({ dataDir, clients: [{ clientId: TEST_CLIENT_ID, redirectUris: [TEST_REDIRECT_URI], jwksUri: jwks.url }] });
  tpp = new MeridianTestTpp(bank.url, bank.adminKey, key);
});

after(async () => {
  // The bank's own check of every answer it sent during these tests: none may have broken the standard.
  if (tpp) {
    const log = await tpp.admin('GET', '/admin/validation-failures');
    assert.ok(log.body.checked > 0, 'expected the bank to have checked its answers');
    assert.deepEqual(log.body.failures, [], `Meridian sent answers that break the standard:\n${JSON.stringify(log.body.failures, null, 2)}`);
  }
  await bank?.stop();
  await jwks?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Meridian Bank: a payment by bank, end to end', () => {
  it('pays once: consent AWAU → approved AUTH → payment ACSC, consent COND; balances move exactly once', async () => {
    const before = await tpp.balances();
    const clientToken = await tpp.clientToken();
    const body = consentBody({ amount: '12.50' });
    const consent = await tpp.call('POST', '/domestic-payment-consents', { token: clientToken, body });
    assert.equal(consent.status, 201, consent.text);
    assert.equal(consent.body.Data.Status, 'AWAU');
    assert.deepEqual(consent.body.Data.Initiation, body.Data.Initiation);
    assert.deepEqual(consent.body.Risk, body.Risk);
    const consentId = consent.body.Data.ConsentId as string;

    // Answers are signed with the key the bank publishes, and echo the interaction id.
    const bankJwks = await (await fetch(`${bank.url}/jwks`)).json();
    const signature = verifyBankSignature(consent.headers.get('x-jws-signature')!, consent.text, bankJwks);
    assert.equal(signature.alg, 'PS256');
    assert.match(consent.headers.get('x-fapi-interaction-id')!, /^[0-9a-f-]{36}$/);

    const page = await tpp.openConsentPage(consentId);
    assert.equal(page.status, 200, page.html);
    assert.match(page.html, /Paykey Demo Shop Ltd/);
    assert.match(page.html, /£12\.50/);
    assert.match(page.html, />Approve</);
    assert.match(page.html, />Reject</);
    assert.match(page.html, /<legend>Pay from<\/legend>/);
    assert.ok(page.authorizationId);

    const decision = await tpp.decide(page.authorizationId!, 'approve', SHOPPER_CURRENT);
    assert.equal(decision.status, 303, decision.html);
    assert.equal(`${decision.location!.origin}${decision.location!.pathname}`, TEST_REDIRECT_URI);
    assert.equal(decision.location!.searchParams.get('state'), page.state);
    assert.equal(decision.location!.searchParams.get('iss'), bank.url);
    const code = decision.location!.searchParams.get('code')!;
    assert.ok(code);

    const authorised = await tpp.call('GET', `/domestic-payment-consents/${consentId}`, { token: clientToken });
    assert.equal(authorised.status, 200, authorised.text);
    assert.equal(authorised.body.Data.Status, 'AUTH');

    const exchanged = await tpp.token({ grant_type: 'authorization_code', code, redirect_uri: TEST_REDIRECT_URI });
    assert.equal(exchanged.status, 200, exchanged.text);
    const psuToken = exchanged.body.access_token as string;
    const reused = await tpp.token({ grant_type: 'authorization_code', code, redirect_uri: TEST_REDIRECT_URI });
    assert.equal(reused.status, 400);
    assert.equal(reused.body.error, 'invalid_grant');

    const idempotencyKey = randomUUID();
    const paymentBody = tpp.paymentBody(consentId, body);
    const payment = await tpp.call('POST', '/domestic-payments', { token: psuToken, body: paymentBody, headers: { 'x-idempotency-key': idempotencyKey } });
    assert.equal(payment.status, 201, payment.text);
    assert.equal(payment.body.Data.Status, 'ACSC');
    assert.equal(payment.body.Data.ConsentId, consentId);
    assert.equal(payment.body.Data.Initiation.InstructionIdentification, body.Data.Initiation.InstructionIdentification);
    assert.equal(payment.body.Data.Initiation.EndToEndIdentification, body.Data.Initiation.EndToEndIdentification);
    const paymentId = payment.body.Data.DomesticPaymentId as string;

    // The same x-idempotency-key and body: the same payment, nothing paid twice.
    const replay = await tpp.call('POST', '/domestic-payments', { token: psuToken, body: paymentBody, headers: { 'x-idempotency-key': idempotencyKey } });
    assert.equal(replay.status, 201, replay.text);
    assert.equal(replay.body.Data.DomesticPaymentId, paymentId);
    // A new key for the paid consent: 409 naming the payment, so a lost answer is found by look-up.
    const again = await tpp.call('POST', '/domestic-payments', { token: psuToken, body: paymentBody });
    assert.equal(again.status, 409, again.text);
    assert.equal(again.body.Errors[0].ErrorCode, 'U029');
    assert.match(again.body.Errors[0].Message, new RegExp(paymentId));
    // The key with another body: 400 U006.
    const otherBody = { ...paymentBody, Risk: { PaymentContextCode: 'TransferToThirdParty' } };
    const conflict = await tpp.call('POST', '/domestic-payments', { token: psuToken, body: otherBody, headers: { 'x-idempotency-key': idempotencyKey } });
    assert.equal(conflict.status, 400, conflict.text);
    assert.equal(conflict.body.Errors[0].ErrorCode, 'U006');
    assert.equal(conflict.body.Errors[0].Path, 'x-idempotency-key');

    const lookedUp = await tpp.call('GET', `/domestic-payments/${paymentId}`, { token: clientToken });
    assert.equal(lookedUp.status, 200, lookedUp.text);
    assert.equal(lookedUp.body.Data.Status, 'ACSC');
    const consumed = await tpp.call('GET', `/domestic-payment-consents/${consentId}`, { token: clientToken });
    assert.equal(consumed.body.Data.Status, 'COND');

    const afterPayment = await tpp.balances();
    assert.equal(afterPayment[SHOPPER_CURRENT], before[SHOPPER_CURRENT] - 1250);
    assert.equal(afterPayment[MERCHANT], before[MERCHANT] + 1250);
    assert.equal(afterPayment[SHOPPER_SAVER], before[SHOPPER_SAVER]);
  });

  it('replays a consent for the same x-idempotency-key and body; the key with another body is 400 U006', async () => {
    const token = await tpp.clientToken();
    const body = consentBody();
    const key = randomUUID();
    const first = await tpp.call('POST', '/domestic-payment-consents', { token, body, headers: { 'x-idempotency-key': key } });
    const second = await tpp.call('POST', '/domestic-payment-consents', { token, body, headers: { 'x-idempotency-key': key } });
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.equal(second.body.Data.ConsentId, first.body.Data.ConsentId);
    const other = await tpp.call('POST', '/domestic-payment-consents', { token, body: consentBody({ amount: '99.00' }), headers: { 'x-idempotency-key': key } });
    assert.equal(other.status, 400, other.text);
    assert.equal(other.body.Errors[0].ErrorCode, 'U006');
  });

  it('a shopper who rejects: consent RJCT, redirect with error=access_denied, and no payment can be made', async () => {
    const token = await tpp.clientToken();
    const consent = await tpp.call('POST', '/domestic-payment-consents', { token, body: consentBody() });
    const page = await tpp.openConsentPage(consent.body.Data.ConsentId);
    const decision = await tpp.decide(page.authorizationId!, 'reject');
    assert.equal(decision.status, 303);
    assert.equal(decision.location!.searchParams.get('error'), 'access_denied');
    assert.equal(decision.location!.searchParams.get('state'), page.state);
    assert.equal(decision.location!.searchParams.get('code'), null);
    const read = await tpp.call('GET', `/domestic-payment-consents/${consent.body.Data.ConsentId}`, { token });
    assert.equal(read.body.Data.Status, 'RJCT');
    // The page cannot be decided twice.
    const twice = await tpp.decide(page.authorizationId!, 'approve', SHOPPER_CURRENT);
    assert.equal(twice.status, 400);
  });

  it('a forced rejection (scenario reject_consent): the approval is refused by the bank, consent RJCT', async () => {
    const scenario = await tpp.admin('POST', '/admin/scenarios', { kind: 'reject_consent' });
    assert.equal(scenario.status, 201, scenario.text);
    const token = await tpp.clientToken();
    const consent = await tpp.call('POST', '/domestic-payment-consents', { token, body: consentBody() });
    const page = await tpp.openConsentPage(consent.body.Data.ConsentId);
    const decision = await tpp.decide(page.authorizationId!, 'approve', SHOPPER_CURRENT);
    assert.equal(decision.location!.searchParams.get('error'), 'access_denied');
    const read = await tpp.call('GET', `/domestic-payment-consents/${consent.body.Data.ConsentId}`, { token });
    assert.equal(read.body.Data.Status, 'RJCT');
    assert.equal(read.body.Data.StatusReason[0].StatusReasonCode, 'U033');
    assert.deepEqual((await tpp.admin('GET', '/admin/scenarios')).body.scenarios, []);
  });

  it('insufficient funds: RJCT with reason AM04 and nothing moves (from a low balance, and forced)', async () => {
    const before = await tpp.balances();
    // £20.00 from the saver holding £15.00.
    const low = await tpp.authorisedConsent(consentBody({ amount: '20.00' }), SHOPPER_SAVER);
    const lowPayment = await tpp.call('POST', '/domestic-payments', { token: low.psuToken, body: tpp.paymentBody(low.consentId, low.body) });
    assert.equal(lowPayment.status, 201, lowPayment.text);
    assert.equal(lowPayment.body.Data.Status, 'RJCT');
    assert.equal(lowPayment.body.Data.StatusReason[0].StatusReasonCode, 'AM04');

    await tpp.admin('POST', '/admin/scenarios', { kind: 'insufficient_funds' });
    const forced = await tpp.authorisedConsent(consentBody({ amount: '1.00' }), SHOPPER_CURRENT);
    const forcedPayment = await tpp.call('POST', '/domestic-payments', { token: forced.psuToken, body: tpp.paymentBody(forced.consentId, forced.body) });
    assert.equal(forcedPayment.body.Data.Status, 'RJCT');
    assert.equal(forcedPayment.body.Data.StatusReason[0].StatusReasonCode, 'AM04');
    assert.deepEqual(await tpp.balances(), before);
  });

  it('pending then settled: ACSP, then ACSC after settleAfterMs, or at once on the admin call', async () => {
    await tpp.admin('POST', '/admin/scenarios', { kind: 'pending_then_settled', settleAfterMs: 1_500 });
    const timed = await tpp.authorisedConsent(consentBody({ amount: '2.00' }));
    const payment = await tpp.call('POST', '/domestic-payments', { token: timed.psuToken, body: tpp.paymentBody(timed.consentId, timed.body) });
    const paidAt = Date.now();
    assert.equal(payment.body.Data.Status, 'ACSP', payment.text);
    const id = payment.body.Data.DomesticPaymentId;
    const soon = await tpp.call('GET', `/domestic-payments/${id}`, { token: timed.clientToken });
    assert.equal(soon.body.Data.Status, 'ACSP');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, paidAt + 1_600 - Date.now())));
    const later = await tpp.call('GET', `/domestic-payments/${id}`, { token: timed.clientToken });
    assert.equal(later.body.Data.Status, 'ACSC');

    await tpp.admin('POST', '/admin/scenarios', { kind: 'pending_then_settled' });
    const manual = await tpp.authorisedConsent(consentBody({ amount: '3.00' }));
    const pending = await tpp.call('POST', '/domestic-payments', { token: manual.psuToken, body: tpp.paymentBody(manual.consentId, manual.body) });
    assert.equal(pending.body.Data.Status, 'ACSP');
    const settled = await tpp.admin('POST', `/admin/payments/${pending.body.Data.DomesticPaymentId}/settle`);
    assert.deepEqual(settled.body, { DomesticPaymentId: pending.body.Data.DomesticPaymentId, Status: 'ACSC' });
    const read = await tpp.call('GET', `/domestic-payments/${pending.body.Data.DomesticPaymentId}`, { token: manual.clientToken });
    assert.equal(read.body.Data.Status, 'ACSC');
  });

  it('a payment whose Initiation differs from the consent is 400 U008; a client_credentials token cannot pay (403)', async () => {
    const flow = await tpp.authorisedConsent(consentBody({ amount: '4.00' }));
    const changed = tpp.paymentBody(flow.consentId, flow.body);
    const tampered = { ...changed, Data: { ...changed.Data, Initiation: { ...changed.Data.Initiation, InstructedAmount: { Amount: '40.00', Currency: 'GBP' } } } };
    const mismatch = await tpp.call('POST', '/domestic-payments', { token: flow.psuToken, body: tampered });
    assert.equal(mismatch.status, 400, mismatch.text);
    assert.equal(mismatch.body.Errors[0].ErrorCode, 'U008');
    assert.equal(mismatch.body.Errors[0].Path, 'Data.Initiation.InstructedAmount.Amount');
    const wrongToken = await tpp.call('POST', '/domestic-payments', { token: flow.clientToken, body: changed });
    assert.equal(wrongToken.status, 403, wrongToken.text);
    const ok = await tpp.call('POST', '/domestic-payments', { token: flow.psuToken, body: changed });
    assert.equal(ok.body.Data.Status, 'ACSC');
  });
});
