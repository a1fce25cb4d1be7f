/**
 * Meridian Bank refuses what the standard refuses, with the standard's answers: malformed requests are 400
 * OBErrorResponse1 with v4.0 error codes, missing or bad tokens 401, bad request signatures 400 U015–U019;
 * faults break answers on purpose, and a lost answer is recovered by replaying the x-idempotency-key.
 * This client registers its key inline (the flow tests use a JWKS URL). Every answer the bank sent must have
 * passed its own check against the official document.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawnMeridianBank, type SpawnedMeridianBank } from '../../demo/open-banking/spawn-meridian-bank.ts';
import {
  compactJwt,
  consentBody,
  detachedSignature,
  MeridianTestTpp,
  newTestKey,
  SHOPPER_CURRENT,
  TEST_CLIENT_ID,
  TEST_REDIRECT_URI,
  type Answer,
} from './meridian-test-tpp.ts';

let bank: SpawnedMeridianBank;
let tpp: MeridianTestTpp;
let token: string;
let dataDir: string;
const key = newTestKey();

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'paykey-meridian-hostile-'));
  bank = await spawnMeridianBank({ dataDir, clients: [{ clientId: TEST_CLIENT_ID, redirectUris: [TEST_REDIRECT_URI], jwks: { keys: [key.jwk as never] } }] });
  tpp = new MeridianTestTpp(bank.url, bank.adminKey, key);
  token = await tpp.clientToken();
});

after(async () => {
  if (tpp) {
    const log = await tpp.admin('GET', '/admin/validation-failures');
    assert.ok(log.body.checked > 0);
    assert.deepEqual(log.body.failures, [], `Meridian sent answers that break the standard:\n${JSON.stringify(log.body.failures, null, 2)}`);
  }
  await bank?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function assertObError(answer: Answer, status: number, code: string, path?: string): void {
  assert.equal(answer.status, status, `expected HTTP ${status}, received ${answer.status}: ${answer.text}`);
  assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
  assert.ok(answer.headers.get('x-fapi-interaction-id'));
  assert.ok(answer.headers.get('x-jws-signature'), 'expected a signed error answer');
  assert.ok(Array.isArray(answer.body.Errors) && answer.body.Errors.length > 0, answer.text);
  const match = answer.body.Errors.find((e: { ErrorCode: string; Path?: string }) => e.ErrorCode === code && (path === undefined || e.Path === path));
  assert.ok(match, `expected an error ${code}${path ? ` at ${path}` : ''}, received ${JSON.stringify(answer.body.Errors)}`);
  // Refusals say what was expected and what was received; a 500 says what happened.
  assert.match(match.Message, status < 500 ? /expected/ : /./);
}

describe('Meridian Bank: malformed requests are 400 OBErrorResponse1', () => {
  it('a missing x-fapi-interaction-id is U007; one that is not a UUID is U006', async () => {
    const missing = await tpp.call('POST', '/domestic-payment-consents', { token, body: consentBody(), headers: { 'x-fapi-interaction-id': undefined } });
    assertObError(missing, 400, 'U007', 'x-fapi-interaction-id');
    const bad = await tpp.call('GET', '/domestic-payment-consents/x', { token, headers: { 'x-fapi-interaction-id': 'not-a-uuid' } });
    assertObError(bad, 400, 'U006', 'x-fapi-interaction-id');
  });

  it('echoes the caller x-fapi-interaction-id', async () => {
    const id = randomUUID();
    const answer = await tpp.call('GET', '/domestic-payment-consents/pdc_unknown', { token, headers: { 'x-fapi-interaction-id': id } });
    assertObError(answer, 400, 'U011', 'ConsentId');
    assert.equal(answer.headers.get('x-fapi-interaction-id'), id);
  });

  it('a field the standard does not define is U010; a missing one U004; a malformed amount U002', async () => {
    const body = consentBody();
    const unknownField = { ...body, Data: { ...body.Data, Initiation: { ...body.Data.Initiation, Amount: '12.50' } } };
    assertObError(await tpp.call('POST', '/domestic-payment-consents', { token, body: unknownField }), 400, 'U010', 'Data.Initiation.Amount');
    const { CreditorAccount: _dropped, ...withoutCreditor } = body.Data.Initiation;
    const missing = { ...body, Data: { ...body.Data, Initiation: withoutCreditor } };
    assertObError(await tpp.call('POST', '/domestic-payment-consents', { token, body: missing }), 400, 'U004', 'Data.Initiation.CreditorAccount');
    const badAmount = consentBody({ amount: '12,50' });
    assertObError(await tpp.call('POST', '/domestic-payment-consents', { token, body: badAmount }), 400, 'U002', 'Data.Initiation.InstructedAmount.Amount');
    const noRisk = { Data: body.Data };
    assertObError(await tpp.call('POST', '/domestic-payment-consents', { token, body: noRisk }), 400, 'U004', 'Risk');
  });

  it('headers: a missing x-idempotency-key is U007, a bad x-fapi-auth-date U006', async () => {
    assertObError(await tpp.call('POST', '/domestic-payment-consents', { token, body: consentBody(), headers: { 'x-idempotency-key': undefined } }), 400, 'U007', 'x-idempotency-key');
    assertObError(await tpp.call('POST', '/domestic-payment-consents', { token, body: consentBody(), headers: { 'x-fapi-auth-date': '2026-12-01T10:00:00Z' } }), 400, 'U006', 'x-fapi-auth-date');
  });

  it('a body that is not JSON is U010; another media type is 415', async () => {
    assertObError(await tpp.call('POST', '/domestic-payment-consents', { token, rawBody: '{"Data":' }), 400, 'U010');
    const form = await tpp.call('POST', '/domestic-payment-consents', { token, rawBody: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(form.status, 415);
    assert.equal(form.text, '');
  });

  it('what Meridian does not carry: EUR is U023, an IBAN creditor U027, a debtor account not the shopper U021', async () => {
    const eur = consentBody();
    eur.Data.Initiation.InstructedAmount.Currency = 'EUR';
    assertObError(await tpp.call('POST', '/domestic-payment-consents', { token, body: eur }), 400, 'U023', 'Data.Initiation.InstructedAmount.Currency');
    const iban = consentBody();
    iban.Data.Initiation.CreditorAccount.SchemeName = 'UK.OBIE.IBAN';
    assertObError(await tpp.call('POST', '/domestic-payment-consents', { token, body: iban }), 400, 'U027', 'Data.Initiation.CreditorAccount.SchemeName');
    assertObError(await tpp.call('POST', '/domestic-payment-consents', { token, body: consentBody({ debtor: '04000487654321' }) }), 400, 'U021', 'Data.Initiation.DebtorAccount.Identification');
  });

  it('an operation Meridian does not implement is 404, without a body', async () => {
    const answer = await tpp.call('GET', '/international-payments/x', { token });
    assert.equal(answer.status, 404);
    assert.equal(answer.text, '');
    assert.ok(answer.headers.get('x-fapi-interaction-id'));
  });
});

describe('Meridian Bank: tokens', () => {
  it('no token, or an unknown one, is 401 without a body', async () => {
    const none = await tpp.call('POST', '/domestic-payment-consents', { body: consentBody() });
    assert.equal(none.status, 401);
    assert.equal(none.text, '');
    assert.ok(none.headers.get('x-fapi-interaction-id'));
    const unknown = await tpp.call('GET', '/domestic-payments/x', { token: 'not-a-token' });
    assert.equal(unknown.status, 401);
  });

  it('/token refuses a client assertion for another audience, and a jti used twice', async () => {
    const wrongAud = compactJwt({ iss: TEST_CLIENT_ID, sub: TEST_CLIENT_ID, aud: 'https://elsewhere.example/token', jti: randomUUID(), exp: Math.floor(Date.now() / 1000) + 60 }, key);
    const post = (assertion: string) =>
      fetch(`${bank.url}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion }),
      });
    const refused = await post(wrongAud);
    assert.equal(refused.status, 401);
    const refusedBody = (await refused.json()) as { error: string; error_description: string };
    assert.equal(refusedBody.error, 'invalid_client');
    assert.match(refusedBody.error_description, /expected aud/);
    const assertion = compactJwt({ iss: TEST_CLIENT_ID, sub: TEST_CLIENT_ID, aud: `${bank.url}/token`, jti: randomUUID(), exp: Math.floor(Date.now() / 1000) + 60 }, key);
    assert.equal((await post(assertion)).status, 200);
    assert.equal((await post(assertion)).status, 401);
  });

  it('/authorize shows an error page, never a redirect, for a redirect_uri the client did not register', async () => {
    const consent = await tpp.call('POST', '/domestic-payment-consents', { token, body: consentBody() });
    const request = compactJwt(
      {
        iss: TEST_CLIENT_ID, aud: bank.url, exp: Math.floor(Date.now() / 1000) + 60, response_type: 'code', client_id: TEST_CLIENT_ID,
        redirect_uri: 'https://attacker.example/cb', scope: 'openid payments', state: 's',
        claims: { id_token: { openbanking_intent_id: { value: consent.body.Data.ConsentId } } },
      },
      key,
    );
    const response = await fetch(`${bank.url}/authorize?${new URLSearchParams({ client_id: TEST_CLIENT_ID, request })}`, { redirect: 'manual' });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('location'), null);
    assert.match(await response.text(), /registered redirect URIs/);
  });
});

describe('Meridian Bank: request signatures (x-jws-signature)', () => {
  const post = (signature: string | undefined, body = consentBody()) =>
    tpp.call('POST', '/domestic-payment-consents', { token, body, headers: { 'x-jws-signature': signature } });
  const text = (body: unknown) => JSON.stringify(body);

  it('missing is U019, malformed U018', async () => {
    assertObError(await post(undefined), 400, 'U019', 'x-jws-signature');
    assertObError(await post('not.a.jws.at-all'), 400, 'U018');
  });

  it('a signature over another body, or by another key under our kid, is U015', async () => {
    const body = consentBody();
    assertObError(await post(detachedSignature(text(consentBody()), key), body), 400, 'U015');
    const impostor = { ...newTestKey(key.kid) };
    assertObError(await post(detachedSignature(text(body), impostor), body), 400, 'U015');
  });

  it('bad claims are U016 (unknown kid, b64, alg, iss), missing ones U017 (tan)', async () => {
    const body = consentBody();
    assertObError(await post(detachedSignature(text(body), newTestKey('unknown-kid')), body), 400, 'U016', 'x-jws-signature.kid');
    assertObError(await post(detachedSignature(text(body), key, { b64: false }), body), 400, 'U016', 'x-jws-signature.b64');
    assertObError(await post(detachedSignature(text(body), key, { alg: 'RS256' }), body), 400, 'U016', 'x-jws-signature.alg');
    assertObError(await post(detachedSignature(text(body), key, { 'http://openbanking.org.uk/iss': 'someone-else' }), body), 400, 'U016');
    assertObError(await post(detachedSignature(text(body), key, { 'http://openbanking.org.uk/tan': undefined }), body), 400, 'U017', 'x-jws-signature.http://openbanking.org.uk/tan');
  });
});

describe('Meridian Bank: faults (admin)', () => {
  it('the admin API needs the admin key', async () => {
    const answer = await fetch(`${bank.url}/admin/faults`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(answer.status, 401);
  });

  it('error_before: 500 OBErrorResponse1 U000 and nothing written', async () => {
    await tpp.admin('POST', '/admin/faults', { route: 'consent', kind: 'error_before', count: 1 });
    const key = randomUUID();
    const body = consentBody();
    const failed = await tpp.call('POST', '/domestic-payment-consents', { token, body, headers: { 'x-idempotency-key': key } });
    assertObError(failed, 500, 'U000');
    const retried = await tpp.call('POST', '/domestic-payment-consents', { token, body, headers: { 'x-idempotency-key': key } });
    assert.equal(retried.status, 201);
    assert.equal(retried.body.Data.Status, 'AWAU');
  });

  it('drop_after on a payment: the answer is lost but the payment booked once; replaying the key finds it', async () => {
    const before = await tpp.balances();
    const flow = await tpp.authorisedConsent(consentBody({ amount: '5.00' }), SHOPPER_CURRENT);
    await tpp.admin('POST', '/admin/faults', { route: 'payment', kind: 'drop_after', count: 1 });
    const idempotencyKey = randomUUID();
    const body = tpp.paymentBody(flow.consentId, flow.body);
    await assert.rejects(tpp.call('POST', '/domestic-payments', { token: flow.psuToken, body, headers: { 'x-idempotency-key': idempotencyKey } }));
    const replay = await tpp.call('POST', '/domestic-payments', { token: flow.psuToken, body, headers: { 'x-idempotency-key': idempotencyKey } });
    assert.equal(replay.status, 201, replay.text);
    assert.equal(replay.body.Data.Status, 'ACSC');
    const after = await tpp.balances();
    assert.equal(after[SHOPPER_CURRENT], before[SHOPPER_CURRENT] - 500);
  });

  it('error_after on a payment: a 500 U000, yet the payment was booked; the replay shows it', async () => {
    const flow = await tpp.authorisedConsent(consentBody({ amount: '2.00' }), SHOPPER_CURRENT);
    await tpp.admin('POST', '/admin/faults', { route: 'payment', kind: 'error_after', count: 1 });
    const idempotencyKey = randomUUID();
    const body = tpp.paymentBody(flow.consentId, flow.body);
    const failed = await tpp.call('POST', '/domestic-payments', { token: flow.psuToken, body, headers: { 'x-idempotency-key': idempotencyKey } });
    assertObError(failed, 500, 'U000');
    const replay = await tpp.call('POST', '/domestic-payments', { token: flow.psuToken, body, headers: { 'x-idempotency-key': idempotencyKey } });
    assert.equal(replay.status, 201, replay.text);
    assert.equal(replay.body.Data.Status, 'ACSC');
  });

  it('garbled_after and bad_gateway_after break look-ups; latency delays them', async () => {
    const flow = await tpp.authorisedConsent(consentBody({ amount: '1.00' }));
    const paid = await tpp.call('POST', '/domestic-payments', { token: flow.psuToken, body: tpp.paymentBody(flow.consentId, flow.body) });
    const path = `/domestic-payments/${paid.body.Data.DomesticPaymentId}`;
    await tpp.admin('PUT', '/admin/faults', {
      faults: [
        { route: 'payment_lookup', kind: 'garbled_after', count: 1 },
        { route: 'payment_lookup', kind: 'bad_gateway_after', count: 1 },
        { route: 'payment_lookup', kind: 'latency', ms: 300, count: 1 },
      ],
    });
    const garbled = await tpp.call('GET', path, { token });
    assert.equal(garbled.status, 200);
    assert.equal(garbled.body, undefined, 'expected a body that does not parse');
    const html = await tpp.call('GET', path, { token });
    assert.equal(html.status, 502);
    const started = Date.now();
    const slow = await tpp.call('GET', path, { token });
    assert.ok(Date.now() - started >= 290);
    assert.equal(slow.body.Data.Status, 'ACSC');
    const faults = await tpp.admin('GET', '/admin/faults');
    assert.deepEqual(faults.body.faults.map((f: { hits: number }) => f.hits), [1, 1, 1]);
    assert.equal((await tpp.admin('DELETE', '/admin/faults')).status, 204);
  });
});
