/**
 * Malformed input at every route of the wallet server, each request with the
 * exact status and error code its table expects (never a 5xx; every error
 * `{ error: { code, message } }` JSON, the frame's HTML refusal page excepted),
 * and nothing half-written: the database stays sound and no payment moves.
 * An answer found wrong would be a `knownBug` entry (the table holds the right
 * answer, the test pins today's); there are none: the list must stay empty.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { startSandboxBank, type RunningSandboxBank } from '../../demo/bank/main.ts';
import type { RegistrationOptionsResponse, SavedCard, SessionResponse } from '../../widget/shopper-api.ts';
import { openDatabase } from '../../server/store/database.ts';
import { addCard, bearer, confirmationOptions, createIntent, inFrame, quoteTerms, registerShopper } from '../support/frame-client.ts';
import {
  answer,
  checkAll,
  describeValue,
  each,
  HOSTILE_CONTENT_TYPES,
  hostileBodies,
  KINDS,
  knownBugs,
  oversizedBody,
  WRONG_METHODS,
  type BodyTable,
  type Expected,
  type FieldRule,
  type HostileRequest,
} from '../support/hostile-http.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { startTestWallet, TEST_ENGINE, type TestWallet } from '../support/wallet-harness.ts';
import { bankLedger } from '../attacks/attack-state.ts';

const BANK_KEY = 'bank_sk_hostile_0123456789';

let bankDir: string;
let distDir: string;
let bank: RunningSandboxBank;
let wallet: TestWallet;
let merchantAuth: Record<string, string>;
/** A shopper with a passkey and a card, and an intent no hostile request may move. */
let authenticator: SoftwareAuthenticator;
let shopper: SessionResponse;
let card: SavedCard;
let intent: { id: string; client_secret: string };
let emailCounter = 0;
/** Every request sent, for the list of known bugs printed at the end and the state accounting. */
const sent: HostileRequest[] = [];
/** What no hostile request may move, read once the setup is done. */
let baseline: { intentRow: string; cards: number; bank: { charges: number; refunds: number } };
const intentRow = async (id: string) => JSON.stringify(await wallet.query('SELECT * FROM payment_intents WHERE id = ?', [id]));
const shopperCards = async () => Number((await wallet.query<{ n: number }>('SELECT count(*) AS n FROM cards WHERE shopper_id = ? AND deleted_at IS NULL', [shopper.shopper.id]))[0].n);

before(async () => {
  bankDir = mkdtempSync(path.join(tmpdir(), 'paykey-hostile-bank-'));
  bank = await startSandboxBank({ port: 0, dataDir: bankDir, apiKey: BANK_KEY });
  distDir = mkdtempSync(path.join(tmpdir(), 'paykey-hostile-dist-'));
  mkdirSync(path.join(distDir, 'assets'));
  writeFileSync(path.join(distDir, 'paykey.js'), 'export {};');
  writeFileSync(path.join(distDir, 'frame.html'), '<!doctype html><title>frame</title>');
  writeFileSync(path.join(distDir, 'assets', 'frame-abc.js'), 'export {};');
  writeFileSync(path.join(distDir, 'secret.txt'), 'outside the assets folder');
  wallet = await startTestWallet({ bank: { baseUrl: bank.url, apiKey: BANK_KEY }, distDir });
  merchantAuth = { authorization: `Bearer ${wallet.secretKey}` };

  authenticator = new SoftwareAuthenticator();
  const setup = await createIntent(wallet);
  shopper = await registerShopper(wallet, authenticator, setup.client_secret, 'hostile@example.com');
  card = await addCard(wallet, shopper.sessionToken);
  intent = await createIntent(wallet, 4200);
  baseline = { intentRow: await intentRow(intent.id), cards: await shopperCards(), bank: await bankLedger({ url: bank.url, apiKey: BANK_KEY }) };
});

after(async () => {
  await wallet?.close();
  await bank?.close();
  rmSync(bankDir, { recursive: true, force: true });
  rmSync(distDir, { recursive: true, force: true });
});

async function check(requests: HostileRequest[]): Promise<void> {
  sent.push(...requests);
  await checkAll(wallet.url, requests);
}

const json = (extra: Record<string, string> = {}) => ({ 'content-type': 'application/json', ...extra });

// The answers every route shares.
/** Not JSON, not an object, or a member name twice in one object (json-body.ts; I-JSON, RFC 7493 §2.3). */
const MALFORMED = answer(400, 'invalid_request');
const NUL = answer(400, 'invalid_request'); // json-body.ts: no text may hold a NUL
/** The schema refuses it, unknown keys included: every request body is a z.strictObject. */
const INVALID = answer(422, 'invalid_request');
const UNSUPPORTED = answer(415, 'unsupported_media_type');
const TOO_LARGE = answer(413, 'request_too_large');
const NOT_FOUND = answer(404, 'resource_missing');
const NOT_FOUND_HEAD = answer(404); // HEAD: the same 404, without a body
const CHALLENGE_INVALID = answer(400, 'challenge_invalid');
const BAD_SECRET = answer(401, 'invalid_client_secret');


/** A field any wrong value of which is `otherwise`, NUL aside. */
const strict = (otherwise: Expected, missing = otherwise, byKind: FieldRule['byKind'] = {}): FieldRule => ({
  missing,
  otherwise,
  byKind: { NUL, ...byKind },
});
/** An optional free-text field: null, missing and any short text are the valid answer. */
const freeText = (valid: Expected): FieldRule =>
  strict(INVALID, valid, { null: valid, 'empty string': valid, ...each(KINDS.shortText, valid) });
/** A client secret: a string that is not one is 401, anything else 422. */
const clientSecretRule: FieldRule = strict(INVALID, INVALID, each(KINDS.shortText, BAD_SECRET));
/** A challenge id: a string that names no open challenge is `challenge_invalid`. */
const challengeIdRule: FieldRule = strict(INVALID, INVALID, each(KINDS.shortText, CHALLENGE_INVALID));
/** The WebAuthn response object: anything that is not one is 422. */
const responseRule: FieldRule = strict(INVALID);

/** Every wrong body and content type for one JSON route, and one over the size limit. */
function bodyCases(pathname: string, validBody: Record<string, unknown>, table: BodyTable, headers: Record<string, string> = {}): HostileRequest[] {
  const cases: HostileRequest[] = hostileBodies(validBody, table).map(({ name, body, expect }) => ({
    name,
    method: 'POST',
    path: pathname,
    headers: json(headers),
    body,
    expect,
  }));
  cases.push({ name: 'over the size limit', method: 'POST', path: pathname, headers: json(headers), body: oversizedBody(validBody), raw: true, expect: table.tooLarge });
  for (const type of HOSTILE_CONTENT_TYPES) {
    cases.push({
      name: `content-type ${JSON.stringify(type)}`,
      method: 'POST',
      path: pathname,
      headers: type === undefined ? headers : { 'content-type': type, ...headers },
      body: JSON.stringify(validBody),
      expect: table.contentType,
    });
  }
  return cases;
}

/** Authorization headers that are not `Bearer <valid token>`: an empty one is `empty`, the rest `malformed`. */
function authCases(method: string, pathname: string, body: string | undefined, empty: Expected, malformed: Expected): HostileRequest[] {
  const values = ['', 'Bearer', 'Bearer ', 'Bearer  ', 'bearer', 'Basic dXNlcjpwYXNz', 'Bearer a b', 'Bearer \t', `Bearer ${'x'.repeat(8_000)}`, 'Bearer pks_', 'Bearer é'];
  const headers = body === undefined ? {} : json();
  const cases: HostileRequest[] = values.map((value) => ({
    name: `authorization ${describeValue(value)}`,
    method,
    path: pathname,
    headers: { ...headers, authorization: value },
    body,
    expect: value === '' ? empty : malformed,
  }));
  for (const value of ['Bearer 💳', 'Bearer \u00ff\u0100', 'Bearer sk_test_\u202e']) {
    cases.push({ name: `authorization (raw UTF-8) ${value}`, method, path: pathname, headers: { ...headers, authorization: value }, body, raw: true, expect: malformed });
  }
  return cases;
}

/**
 * Every method a route does not take: 404 resource_missing (no body for HEAD), on purpose not 405. Stripe, whose
 * API the merchant API follows, answers an unknown method and path pair with 404 too; one answer for "no such
 * route" keeps the closed error set (widget/error-codes.ts) as it is, and no client of ours sends a wrong method.
 */
function wrongMethods(pathname: string, allowed: string[], headers: Record<string, string> = {}): HostileRequest[] {
  return WRONG_METHODS.filter((m) => !allowed.includes(m)).map((method) => ({
    name: `method ${method}`,
    method,
    path: pathname,
    headers: method === 'GET' || method === 'HEAD' ? headers : json(headers),
    body: method === 'GET' || method === 'HEAD' ? undefined : '{}',
    expect: method === 'HEAD' ? NOT_FOUND_HEAD : NOT_FOUND,
  }));
}

const HOSTILE_IDS = [
  'a'.repeat(8_000),
  '%00',
  'a%00b',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  '%F0%9F%98%80',
  '%E0%A4%A',
  '%',
  "'%20OR%201%3D1%20--",
  '__proto__',
  'constructor',
  '%20',
];

describe('merchant API /v1', () => {
  const validBody = { amount: 1999, currency: 'USD', description: 'Blue mug', reference: 'order-42' };
  const CREATED = answer(201);

  test('POST /v1/payment_intents: bodies, content types, idempotency keys', async () => {
    const cases = bodyCases('/v1/payment_intents', validBody, {
      notAnObject: MALFORMED,
      emptyObject: answer(422, 'invalid_amount'),
      valid: CREATED,
      unknownKeys: INVALID,
      duplicateKeys: MALFORMED,
      contentType: UNSUPPORTED,
      tooLarge: TOO_LARGE,
      fields: {
        amount: strict(answer(422, 'invalid_amount')),
        currency: strict(answer(422, 'invalid_currency')),
        description: freeText(CREATED),
        reference: freeText(CREATED),
      },
    }, merchantAuth);
    // An Idempotency-Key is 1 to 255 characters; fetch trims blanks to nothing. Any other text is a key.
    for (const [key, expect] of [['', MALFORMED], ['k'.repeat(300), MALFORMED], ['é', CREATED], [' ', MALFORMED], ['\t', MALFORMED]] as const) {
      cases.push({ name: `idempotency-key ${describeValue(key)}`, method: 'POST', path: '/v1/payment_intents', headers: json({ ...merchantAuth, 'idempotency-key': key }), body: JSON.stringify(validBody), expect });
    }
    cases.push({ name: 'idempotency-key (raw UTF-8)', method: 'POST', path: '/v1/payment_intents', headers: json({ ...merchantAuth, 'idempotency-key': '💳-key' }), body: JSON.stringify(validBody), raw: true, expect: CREATED });
    await check(cases);
  });

  test('authentication: no header is 401 authentication_required, every malformed one 401 invalid_api_key', async () => {
    const [none, wrong] = [answer(401, 'authentication_required'), answer(401, 'invalid_api_key')];
    await check([...authCases('POST', '/v1/payment_intents', JSON.stringify(validBody), none, wrong), ...authCases('GET', `/v1/payment_intents/${intent.id}`, undefined, none, wrong)]);
  });

  test('GET /v1/payment_intents/:id: hostile ids, wrong methods, unknown routes are 404 resource_missing', async () => {
    const cases: HostileRequest[] = HOSTILE_IDS.map((id) => ({ name: `id ${id.slice(0, 20)}`, method: 'GET', path: `/v1/payment_intents/${id}`, headers: merchantAuth, expect: NOT_FOUND }));
    cases.push(...wrongMethods('/v1/payment_intents', ['POST'], merchantAuth));
    cases.push(...wrongMethods(`/v1/payment_intents/${intent.id}`, ['GET', 'HEAD'], merchantAuth));
    for (const p of ['/v1', '/v1/', '/v1/payment_intents/a/b', '/v1/%E0%A4%A', '/v1/../api/frame/checkout']) {
      cases.push({ name: `unknown ${p}`, method: 'GET', path: p, headers: merchantAuth, raw: p.includes('..'), expect: NOT_FOUND });
    }
    await check(cases);
  });

  test('refunds, cancel and webhook endpoints: bodies, content types, hostile ids, wrong methods', async () => {
    // Refunds go to an unpaid intent and cancels to a canceled one: a well-formed body is then always the same
    // 409, whatever order the requests land in, and neither touches the intents checked below.
    const unpaid = await createIntent(wallet, 4400);
    const canceled = await createIntent(wallet, 4500);
    assert.equal((await wallet.request('POST', `/v1/payment_intents/${canceled.id}/cancel`, undefined, merchantAuth)).status, 200);
    const WRONG_STATE = answer(409, 'payment_intent_unexpected_state');
    const CREATED = answer(201);
    const cases = [
      ...bodyCases(`/v1/payment_intents/${unpaid.id}/refunds`, { amount: 100 }, {
        notAnObject: MALFORMED,
        emptyObject: WRONG_STATE,
        valid: WRONG_STATE,
        unknownKeys: INVALID,
        duplicateKeys: MALFORMED,
        contentType: UNSUPPORTED,
        tooLarge: TOO_LARGE,
        fields: { amount: strict(answer(422, 'invalid_amount'), WRONG_STATE) },
      }, merchantAuth),
      ...bodyCases(`/v1/payment_intents/${canceled.id}/cancel`, {}, {
        notAnObject: MALFORMED,
        emptyObject: WRONG_STATE,
        valid: WRONG_STATE,
        unknownKeys: INVALID,
        duplicateKeys: WRONG_STATE,
        contentType: UNSUPPORTED,
        tooLarge: TOO_LARGE,
        fields: {},
      }, merchantAuth),
      ...bodyCases('/v1/webhook_endpoints', { url: 'https://shop.example/hooks', events: ['payment_intent.succeeded'] }, {
        notAnObject: MALFORMED,
        emptyObject: answer(422, 'invalid_url'),
        valid: CREATED,
        unknownKeys: INVALID,
        duplicateKeys: MALFORMED,
        contentType: UNSUPPORTED,
        tooLarge: TOO_LARGE,
        fields: { url: strict(answer(422, 'invalid_url')), events: strict(INVALID, CREATED) },
      }, merchantAuth),
    ];
    for (const id of HOSTILE_IDS) {
      cases.push({ name: `refunds of id ${id.slice(0, 20)}`, method: 'POST', path: `/v1/payment_intents/${id}/refunds`, headers: json(merchantAuth), body: '{}', expect: NOT_FOUND });
      cases.push({ name: `refund list of id ${id.slice(0, 20)}`, method: 'GET', path: `/v1/payment_intents/${id}/refunds`, headers: merchantAuth, expect: NOT_FOUND });
      cases.push({ name: `cancel id ${id.slice(0, 20)}`, method: 'POST', path: `/v1/payment_intents/${id}/cancel`, headers: merchantAuth, expect: NOT_FOUND });
      cases.push({ name: `delete endpoint ${id.slice(0, 20)}`, method: 'DELETE', path: `/v1/webhook_endpoints/${id}`, headers: merchantAuth, expect: NOT_FOUND });
    }
    cases.push(...wrongMethods(`/v1/payment_intents/${unpaid.id}/refunds`, ['GET', 'POST', 'HEAD'], merchantAuth));
    cases.push(...wrongMethods(`/v1/payment_intents/${canceled.id}/cancel`, ['POST'], merchantAuth));
    cases.push(...wrongMethods('/v1/webhook_endpoints', ['GET', 'POST', 'HEAD'], merchantAuth));
    await check(cases);
  });
});

describe('shopper API /api/frame', () => {
  test('every JSON route: bodies and content types', async () => {
    const secret = intent.client_secret;
    const session = bearer(shopper.sessionToken);
    // The ceremonies get challenges already used: a well-formed body is then always 400 challenge_invalid,
    // whatever order the requests land in (the verifier itself is attacked in the next describe).
    const signInRes = await wallet.request('POST', '/api/frame/sessions/options', { client_secret: secret });
    const { challengeId, options } = await signInRes.json();
    const assertion = authenticator.getAssertion(options, inFrame(wallet));
    assert.equal((await wallet.request('POST', '/api/frame/sessions', { client_secret: secret, challenge_id: challengeId, response: assertion })).status, 201);
    const regOptions = (await (
      await wallet.request('POST', '/api/frame/registrations/options', { client_secret: secret, email: 'reg-body@example.com' })
    ).json()) as RegistrationOptionsResponse;
    const registration = new SoftwareAuthenticator().createCredential(regOptions.options, inFrame(wallet));
    assert.equal((await wallet.request('POST', '/api/frame/registrations', { client_secret: secret, challenge_id: regOptions.challengeId, response: registration })).status, 201);

    const OK = answer(200);
    /** The routes that open something (a view, a challenge): a valid body is 200. */
    const opening = (fields: BodyTable['fields']): BodyTable => ({
      notAnObject: MALFORMED,
      emptyObject: INVALID,
      valid: OK,
      unknownKeys: INVALID,
      duplicateKeys: MALFORMED,
      contentType: UNSUPPORTED,
      tooLarge: TOO_LARGE,
      fields,
    });
    /** The routes that finish a ceremony, here with a used challenge. */
    const finishing: BodyTable = {
      notAnObject: MALFORMED,
      emptyObject: INVALID,
      valid: CHALLENGE_INVALID,
      unknownKeys: INVALID,
      duplicateKeys: MALFORMED,
      contentType: UNSUPPORTED,
      tooLarge: TOO_LARGE,
      fields: { client_secret: clientSecretRule, challenge_id: challengeIdRule, response: responseRule },
    };
    const CARD_SAVED = answer(201);
    const CARD_INVALID = answer(422, 'invalid_card_details');
    const cardBody = { number: '4242424242424242', exp_month: 12, exp_year: new Date().getUTCFullYear() + 2, cvc: '123', name: 'Ada' };
    // The terms the options bind, quoted once; the hostile quotes go to an intent of their own, so the quotes they
    // store (an intent keeps its newest few) never retire this one.
    const { quoteId } = await quoteTerms(wallet, secret, card.id, shopper.sessionToken);
    const quoteSecret = (await createIntent(wallet, 4400)).client_secret;
    /** An id: any text that names nothing is 404. */
    const idRule = strict(INVALID, INVALID, each(KINDS.shortText, NOT_FOUND));
    await check([
      ...bodyCases('/api/frame/checkout', { client_secret: secret }, opening({ client_secret: clientSecretRule })),
      ...bodyCases('/api/frame/registrations/options', { client_secret: secret, email: `reg${++emailCounter}@example.com` }, opening({ client_secret: clientSecretRule, email: strict(INVALID) })),
      ...bodyCases('/api/frame/registrations', { client_secret: secret, challenge_id: regOptions.challengeId, response: registration }, finishing),
      ...bodyCases('/api/frame/sessions/options', { client_secret: secret }, opening({ client_secret: clientSecretRule })),
      ...bodyCases('/api/frame/sessions', { client_secret: secret, challenge_id: challengeId, response: assertion }, finishing),
      // A well-formed card is saved (at most 12 here, under the wallet's 20).
      ...bodyCases('/api/frame/cards', cardBody, {
        notAnObject: MALFORMED,
        emptyObject: CARD_INVALID,
        valid: CARD_SAVED,
        unknownKeys: INVALID,
        duplicateKeys: MALFORMED,
        contentType: UNSUPPORTED,
        tooLarge: TOO_LARGE,
        fields: {
          number: strict(CARD_INVALID),
          exp_month: strict(CARD_INVALID),
          exp_year: strict(CARD_INVALID),
          cvc: strict(CARD_INVALID),
          // Any name but a blank one (trimmed to nothing) or one over 100 characters.
          name: strict(CARD_INVALID, CARD_INVALID, each(KINDS.shortText.filter((k) => k !== 'blank'), CARD_SAVED)),
        },
      }, session),
      ...bodyCases('/api/frame/quotes', { client_secret: quoteSecret, card_id: card.id }, opening({ client_secret: clientSecretRule, card_id: idRule }), session),
      ...bodyCases('/api/frame/confirmations/options', { client_secret: secret, card_id: card.id, quote_id: quoteId }, opening({
        client_secret: clientSecretRule,
        card_id: idRule,
        quote_id: idRule,
      }), session),
      ...bodyCases('/api/frame/confirmations', { client_secret: secret, challenge_id: challengeId, response: assertion }, finishing, session),
    ]);
  });

  test('session routes: no header is 401 authentication_required, a malformed one 401 session_invalid', async () => {
    const cardBody = JSON.stringify({ number: '4242424242424242', exp_month: 12, exp_year: 2099, cvc: '123', name: 'Ada' });
    const { quoteId } = await quoteTerms(wallet, intent.client_secret, card.id, shopper.sessionToken);
    const quoteBody = JSON.stringify({ client_secret: intent.client_secret, card_id: card.id });
    const confirmBody = JSON.stringify({ client_secret: intent.client_secret, card_id: card.id, quote_id: quoteId });
    const [none, invalid] = [answer(401, 'authentication_required'), answer(401, 'session_invalid')];
    await check([
      ...authCases('GET', '/api/frame/cards', undefined, none, invalid),
      ...authCases('POST', '/api/frame/cards', cardBody, none, invalid),
      ...authCases('DELETE', `/api/frame/cards/${card.id}`, undefined, none, invalid),
      // The session is optional here: an empty header counts as none (options without passkey ids), a malformed one is refused.
      ...authCases('POST', '/api/frame/quotes', quoteBody, answer(200), invalid),
      ...authCases('POST', '/api/frame/confirmations/options', confirmBody, answer(200), invalid),
    ]);
  });

  test('ids in paths, wrong methods, unknown routes are 404 resource_missing', async () => {
    const session = bearer(shopper.sessionToken);
    const cases: HostileRequest[] = HOSTILE_IDS.map((id) => ({ name: `card id ${id.slice(0, 20)}`, method: 'DELETE', path: `/api/frame/cards/${id}`, headers: session, expect: NOT_FOUND }));
    for (const p of ['/checkout', '/registrations/options', '/registrations', '/sessions/options', '/sessions', '/quotes', '/confirmations/options', '/confirmations']) {
      cases.push(...wrongMethods(`/api/frame${p}`, ['POST']));
    }
    cases.push(...wrongMethods('/api/frame/cards', ['GET', 'HEAD', 'POST'], session));
    cases.push(...wrongMethods(`/api/frame/cards/${card.id}`, ['DELETE'], session));
    for (const p of ['/api/frame', '/api/frame/', '/api/frame/nope', '/api/frame/cards/a/b', '/api']) {
      cases.push({ name: `unknown ${p}`, method: 'POST', path: p, headers: json(), body: '{}', expect: NOT_FOUND });
    }
    await check(cases);
  });
});

type Json = Record<string, any>;
const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64url');
const clientData = (fields: Json) => b64(JSON.stringify(fields));

/**
 * Ways to break a WebAuthn response, with what each ceremony answers:
 * `[name, mutate, sign-in, payment confirmation]` for assertions and
 * `[name, mutate, registration]` for registrations. What is not signed (the
 * extension results, unknown keys) changes nothing: the genuine signature
 * then signs in, pays or registers — once, on its own challenge.
 */
const SHAPE = INVALID; // the response schema (response-schemas.ts) refuses it
const REFUSED = answer(400, 'invalid_passkey_response');
const BAD_SIGNATURE = answer(401, 'passkey_verification_failed');
const FOREIGN_TOP = answer(403, 'origin_not_allowed');
const MISMATCH = answer(403, 'credential_mismatch');
const SIGNED_IN = answer(201);
const PAID = answer(200);
const REGISTERED = answer(201);

type Mutate = (r: Json) => unknown;
const set = (key: string, value: unknown) => (r: Json) => ({ ...r, response: { ...r.response, [key]: value } });
const top = (key: string, value: unknown) => (r: Json) => ({ ...r, [key]: value });
const withClientData = (edit: (data: Json) => Json) => (r: Json) => {
  const data = JSON.parse(Buffer.from(r.response.clientDataJSON, 'base64url').toString('utf8'));
  return set('clientDataJSON', clientData(edit(data)))(r);
};

/** Mutations both kinds share: [name, mutate(kind), assertion (sign-in, confirm), registration]. */
function sharedMutations(kind: 'get' | 'create'): Array<[string, Mutate, [Expected, Expected], Expected]> {
  const field = kind === 'get' ? 'authenticatorData' : 'attestationObject';
  return [
    ['response null', () => null, [SHAPE, SHAPE], SHAPE],
    ['response an array', () => [], [SHAPE, SHAPE], SHAPE],
    ['response a string', () => 'public-key', [SHAPE, SHAPE], SHAPE],
    ['response empty', () => ({}), [SHAPE, SHAPE], SHAPE],
    ['inner response null', top('response', null), [SHAPE, SHAPE], SHAPE],
    ['inner response an array', top('response', []), [SHAPE, SHAPE], SHAPE],
    ['id not base64url', top('id', '!!!'), [SHAPE, SHAPE], SHAPE],
    ['id empty', top('id', ''), [SHAPE, SHAPE], SHAPE],
    ['id huge', top('id', 'A'.repeat(20_000)), [SHAPE, SHAPE], SHAPE],
    ['id unknown', top('id', 'AAAAAAAAAAAAAAAAAAAAAA'), [answer(401, 'unknown_credential'), MISMATCH], REFUSED],
    ['rawId differs from id', top('rawId', 'AAAA'), [REFUSED, REFUSED], REFUSED],
    ['type wrong', top('type', 'password'), [SHAPE, SHAPE], SHAPE],
    ['type missing', top('type', undefined), [SHAPE, SHAPE], SHAPE],
    ['clientDataJSON not JSON', set('clientDataJSON', b64('not json')), [REFUSED, REFUSED], REFUSED],
    ['clientDataJSON an array', set('clientDataJSON', b64('[]')), [REFUSED, REFUSED], REFUSED],
    ['clientDataJSON a string', set('clientDataJSON', b64('"x"')), [REFUSED, REFUSED], REFUSED],
    ['clientDataJSON null', set('clientDataJSON', b64('null')), [REFUSED, REFUSED], REFUSED],
    ['clientDataJSON {}', set('clientDataJSON', b64('{}')), [REFUSED, REFUSED], REFUSED],
    ['clientDataJSON invalid UTF-8', set('clientDataJSON', b64(Buffer.from([0xff, 0xfe, 0x7b]))), [REFUSED, REFUSED], REFUSED],
    ['clientDataJSON one character', set('clientDataJSON', 'a'), [REFUSED, REFUSED], REFUSED],
    ['clientDataJSON padded', set('clientDataJSON', 'e30='), [SHAPE, SHAPE], SHAPE],
    ['clientDataJSON missing', set('clientDataJSON', undefined), [SHAPE, SHAPE], SHAPE],
    ['clientData challenge garbage', withClientData((d) => ({ ...d, challenge: '!!' })), [REFUSED, REFUSED], REFUSED],
    ['clientData challenge a number', withClientData((d) => ({ ...d, challenge: 5 })), [REFUSED, REFUSED], REFUSED],
    ['clientData type wrong', withClientData((d) => ({ ...d, type: kind === 'get' ? 'webauthn.create' : 'webauthn.get' })), [REFUSED, REFUSED], REFUSED],
    ['clientData origin null', withClientData((d) => ({ ...d, origin: null })), [REFUSED, REFUSED], REFUSED],
    ['clientData crossOrigin a string', withClientData((d) => ({ ...d, crossOrigin: 'yes' })), [REFUSED, REFUSED], REFUSED],
    ['clientData topOrigin a number', withClientData((d) => ({ ...d, topOrigin: 5 })), [FOREIGN_TOP, FOREIGN_TOP], FOREIGN_TOP],
    ['clientData topOrigin without crossOrigin', withClientData((d) => ({ ...d, crossOrigin: false })), [REFUSED, REFUSED], REFUSED],
    ['clientData __proto__', (r) => set('clientDataJSON', b64(Buffer.from(r.response.clientDataJSON, 'base64url').toString().replace('{', '{"__proto__":{"polluted":1},')))(r), [BAD_SIGNATURE, BAD_SIGNATURE], REGISTERED],
    [`${field} one byte`, set(field, 'AA'), [REFUSED, REFUSED], REFUSED],
    [`${field} one character`, set(field, 'A'), [REFUSED, REFUSED], REFUSED],
    [`${field} huge`, set(field, 'A'.repeat(16_000)), [REFUSED, REFUSED], REFUSED],
    [`${field} 37 zero bytes`, set(field, b64(Buffer.alloc(37))), [REFUSED, REFUSED], REFUSED],
    [`${field} all flags set`, set(field, b64(Buffer.concat([Buffer.alloc(32), Buffer.from([0xff]), Buffer.alloc(4)]))), [REFUSED, REFUSED], REFUSED],
    [`${field} CBOR garbage`, set(field, b64(Buffer.from([0xbf, 0xff, 0x9f, 0x5f, 0xff]))), [REFUSED, REFUSED], REFUSED],
    [`${field} truncated`, (r) => set(field, r.response[field].slice(0, -10))(r), [REFUSED, REFUSED], REFUSED],
    [`${field} missing`, set(field, undefined), [SHAPE, SHAPE], SHAPE],
    ['clientExtensionResults null', top('clientExtensionResults', null), [SHAPE, SHAPE], SHAPE],
    ['clientExtensionResults an array', top('clientExtensionResults', []), [SHAPE, SHAPE], SHAPE],
    ['clientExtensionResults a string', top('clientExtensionResults', 'x'), [SHAPE, SHAPE], SHAPE],
    ['clientExtensionResults __proto__ (not signed)', top('clientExtensionResults', JSON.parse('{"__proto__":{"polluted":true}}')), [SIGNED_IN, PAID], REGISTERED],
    ['clientExtensionResults odd values (not signed)', top('clientExtensionResults', { appid: 'x', credProps: 5, largeBlob: [] }), [SIGNED_IN, PAID], REGISTERED],
    ['authenticatorAttachment unknown', top('authenticatorAttachment', 'usb'), [SHAPE, SHAPE], SHAPE],
    ['authenticatorAttachment a number', top('authenticatorAttachment', 5), [SHAPE, SHAPE], SHAPE],
    ['extra __proto__ key (not signed)', (r) => JSON.parse(JSON.stringify(r).replace('{', '{"__proto__":{"polluted":true},')), [SIGNED_IN, PAID], REGISTERED],
  ];
}

const ASSERTION_ONLY: Array<[string, Mutate, [Expected, Expected]]> = [
  ['signature one byte', set('signature', 'AA'), [REFUSED, REFUSED]],
  ['signature DER garbage', set('signature', b64(Buffer.from([0x30, 0xff, 0x02, 0x00]))), [REFUSED, REFUSED]],
  ['signature random', set('signature', b64(Buffer.alloc(72, 7))), [REFUSED, REFUSED]],
  ['signature missing', set('signature', undefined), [SHAPE, SHAPE]],
  // The user handle is not signed, but it names the account: W3C WebAuthn §7.2 step 6.
  ['userHandle of nobody', set('userHandle', 'AA'), [MISMATCH, MISMATCH]],
  ['userHandle not base64url', set('userHandle', '!!'), [SHAPE, SHAPE]],
  ['userHandle null', set('userHandle', null), [SHAPE, SHAPE]],
  ['userHandle a number', set('userHandle', 12), [SHAPE, SHAPE]],
];

const REGISTRATION_ONLY: Array<[string, Mutate, Expected]> = [
  ['attestation format unknown', (r) => set('attestationObject', b64(Buffer.from(r.response.attestationObject, 'base64url').toString('latin1').replace('none', 'ac12')))(r), REFUSED],
  ['CBOR map without authData', set('attestationObject', b64(Buffer.from([0xa1, 0x63, 0x66, 0x6d, 0x74, 0x64, 0x6e, 0x6f, 0x6e, 0x65]))), REFUSED],
  ['transports not an array', set('transports', 'usb'), SHAPE],
  ['transports numbers', set('transports', [1, 2]), SHAPE],
  ['transports too many', set('transports', Array(1_000).fill('usb')), SHAPE],
  // Clients ignore transports they do not know (WebAuthn §5.8.4); the RP stores what it was given.
  ['transports unknown', set('transports', ['carrier-pigeon']), REGISTERED],
];

describe('garbage WebAuthn responses reach the verifier and get their exact answer', () => {
  /** Each mutation gets a challenge of its own, opened and answered before the next (an intent holds 5 open challenges). */
  async function sendEach(cases: Array<{ name: string; expect: Expected; begin: () => Promise<Omit<HostileRequest, 'name' | 'expect' | 'method'>> }>) {
    const failures: string[] = [];
    const requests: HostileRequest[] = [];
    for (const c of cases) {
      const request: HostileRequest = { name: c.name, method: 'POST', expect: c.expect, ...(await c.begin()) };
      requests.push(request);
      try {
        await checkAll(wallet.url, [request], 1);
      } catch (error) {
        failures.push((error as Error).message.split('\n').find((line) => line.includes(c.name)) ?? `${c.name}: ${(error as Error).message}`);
      }
    }
    sent.push(...requests);
    assert.deepEqual(failures, []);
  }

  const signIn = (mutate: Mutate) => async () => {
    const res = await wallet.request('POST', '/api/frame/sessions/options', { client_secret: intent.client_secret });
    const { challengeId, options } = await res.json();
    const genuine = authenticator.getAssertion(options, inFrame(wallet)) as unknown as Json;
    return { path: '/api/frame/sessions', headers: json(), body: JSON.stringify({ client_secret: intent.client_secret, challenge_id: challengeId, response: mutate(genuine) }) };
  };
  /** A fresh intent per mutation: failed confirmations lock a payment after five. */
  const confirm = (mutate: Mutate) => async () => {
    const target = await createIntent(wallet, 4300);
    const { challengeId, options } = await confirmationOptions(wallet, target.client_secret, card.id, shopper.sessionToken);
    const genuine = authenticator.getAssertion(options, inFrame(wallet)) as unknown as Json;
    return {
      path: '/api/frame/confirmations',
      headers: json(bearer(shopper.sessionToken)),
      body: JSON.stringify({ client_secret: target.client_secret, challenge_id: challengeId, response: mutate(genuine) }),
    };
  };
  const register = (mutate: Mutate) => async () => {
    const res = await wallet.request('POST', '/api/frame/registrations/options', { client_secret: intent.client_secret, email: `garbage${++emailCounter}@example.com` });
    const { challengeId, options } = await res.json();
    const genuine = new SoftwareAuthenticator().createCredential(options, inFrame(wallet)) as unknown as Json;
    return { path: '/api/frame/registrations', headers: json(), body: JSON.stringify({ client_secret: intent.client_secret, challenge_id: challengeId, response: mutate(genuine) }) };
  };

  const assertions: Array<[string, Mutate, [Expected, Expected]]> = [
    ...sharedMutations('get').map(([name, mutate, expected]) => [name, mutate, expected] as [string, Mutate, [Expected, Expected]]),
    ...ASSERTION_ONLY,
  ];

  test('sign-in (POST /api/frame/sessions)', () => sendEach(assertions.map(([name, mutate, [expect]]) => ({ name, expect, begin: signIn(mutate) }))));

  test('payment confirmation (POST /api/frame/confirmations)', () => sendEach(assertions.map(([name, mutate, [, expect]]) => ({ name, expect, begin: confirm(mutate) }))));

  test('registration (POST /api/frame/registrations)', () =>
    sendEach([
      ...sharedMutations('create').map(([name, mutate, , expect]) => ({ name, expect, begin: register(mutate) })),
      ...REGISTRATION_ONLY.map(([name, mutate, expect]) => ({ name, expect, begin: register(mutate) })),
    ]));

  test('the genuine passkey still signs in afterwards (nothing was corrupted)', async () => {
    const res = await wallet.request('POST', '/api/frame/sessions/options', { client_secret: intent.client_secret });
    const { challengeId, options } = await res.json();
    const genuine = authenticator.getAssertion(options, inFrame(wallet));
    const signedIn = await wallet.request('POST', '/api/frame/sessions', { client_secret: intent.client_secret, challenge_id: challengeId, response: genuine as AuthenticationResponseJSON });
    assert.equal(signedIn.status, 201, await signedIn.text());
  });
});

describe('widget assets', () => {
  test('/paykey.js, /assets/*, /frame/:id: traversal, long and odd paths, wrong methods', async () => {
    const notFound: HostileRequest[] = [
      '/assets/../secret.txt',
      '/assets/../../package.json',
      '/assets/..%2fsecret.txt',
      '/assets/..%2f..%2fpackage.json',
      '/assets/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
      '/assets/..%5csecret.txt',
      '/assets/....//secret.txt',
      '/assets/%00',
      '/assets/frame-abc.js%00.png',
      `/assets/${'a'.repeat(8_000)}`,
      '/assets/',
      '/assets//etc/passwd',
      '/assets/%2Fetc%2Fpasswd',
      '/assets/%E0%A4%A',
      '/assets/%F0%9F%98%80.js',
      '/assets/con',
      '/paykey.js/extra',
      '/paykey.js%00',
    ].map((p) => ({ name: p.slice(0, 40), method: 'GET', path: p, raw: true, expect: NOT_FOUND }));
    await check(notFound);

    // The frame page: an id that is no intent is the HTML "not found" page, except ids the router itself
    // refuses first (NUL bytes, a path that normalizes away); an origin the merchant did not register is its HTML 403.
    const origin = encodeURIComponent(wallet.merchantOrigin);
    const PAGE_NOT_FOUND = answer(404);
    const PAGE_REFUSED = answer(403);
    const routerRefuses = new Set(['%00', 'a%00b', '%2e%2e']);
    const frame: HostileRequest[] = [
      ...HOSTILE_IDS.map((id) => ({ path: `/frame/${id}?origin=${origin}`, expect: routerRefuses.has(id) ? NOT_FOUND : PAGE_NOT_FOUND })),
      { path: `/frame/${intent.id}?origin=javascript:alert(1)`, expect: PAGE_REFUSED },
      { path: `/frame/${intent.id}?origin=${'x'.repeat(6_000)}`, expect: PAGE_REFUSED },
      { path: `/frame/${intent.id}?origin=%E0%A4%A`, expect: PAGE_REFUSED },
      { path: `/frame/${intent.id}?origin=`, expect: PAGE_REFUSED },
      { path: `/frame/${intent.id}?origin=${encodeURIComponent('https://evil.example')}&origin=${origin}`, expect: PAGE_REFUSED },
      { path: `/frame/${intent.id}/extra`, expect: NOT_FOUND },
      { path: '/frame/', expect: NOT_FOUND },
      { path: '/frame', expect: NOT_FOUND },
    ].map(({ path: p, expect }) => ({ name: p.slice(0, 40), method: 'GET', path: p, expect }));
    await check(frame);

    await check([
      ...wrongMethods('/paykey.js', ['GET', 'HEAD']),
      ...wrongMethods('/assets/frame-abc.js', ['GET', 'HEAD']),
      ...wrongMethods(`/frame/${intent.id}?origin=${origin}`, ['GET', 'HEAD']),
      { name: 'paykey.js with a query', method: 'GET', path: '/paykey.js?%E0%A4%A=%', expect: answer(200) },
      { name: 'garbage headers', method: 'GET', path: '/paykey.js', headers: { range: 'bytes=99999-1', 'if-none-match': '"\u00e9"', 'accept-encoding': 'x'.repeat(4_000) }, expect: answer(200) },
    ]);
  });
});

describe('afterwards', () => {
  test('no request reached the error handler as a bug, and nothing moved but what the tables call a success', async () => {
    const unhandled = wallet.logs.filter((line) => JSON.parse(line).event === 'unhandled_error');
    assert.deepEqual(unhandled, []);
    // The intent every request named: the same row, no attempt.
    assert.equal(await intentRow(intent.id), baseline.intentRow);
    assert.equal(Number((await wallet.query<{ n: number }>('SELECT count(*) AS n FROM payment_attempts WHERE intent_id = ?', [intent.id]))[0].n), 0);
    // Cards and charges: exactly the ones the tables expected to succeed (well-formed cards; genuine signatures
    // with unsigned garbage beside them, each on an intent of its own).
    const succeeded = (pathname: string, status: number) => sent.filter((r) => r.path === pathname && (r.expect.bug?.today ?? r.expect).status === status).length;
    assert.equal(await shopperCards(), baseline.cards + succeeded('/api/frame/cards', 201));
    const ledger = await bankLedger({ url: bank.url, apiKey: BANK_KEY });
    assert.deepEqual(ledger, { charges: baseline.bank.charges + succeeded('/api/frame/confirmations', 200), refunds: baseline.bank.refunds });
    // Prototype-pollution keys stayed data.
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
  });

  test('no known bugs: every request got the right answer, none an answer pinned as wrong', () => {
    assert.ok(sent.length > 1_000, `only ${sent.length} hostile requests were sent`);
    assert.deepEqual(knownBugs(sent), []);
  });

  test('the database is sound and opens (and migrates) cleanly', async () => {
    if (TEST_ENGINE === 'sqlite') {
      assert.deepEqual(await wallet.query('PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
      assert.deepEqual(await wallet.query('PRAGMA foreign_key_check'), []);
    }
    const db = await openDatabase(wallet.database);
    try {
      const { n } = (await db.selectFrom('shoppers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow());
      assert.ok(n >= 1);
    } finally {
      await db.destroy();
    }
  });
});
