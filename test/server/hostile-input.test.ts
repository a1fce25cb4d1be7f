/**
 * Malformed input at every route of the wallet server. Whatever a client
 * sends, the answer is never a 5xx, every error is `{ error: { code, message } }`
 * JSON with a snake_case code (the frame's HTML refusal page excepted), and
 * nothing is half-written: the database stays sound and no payment moves.
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
import { addCard, bearer, createIntent, inFrame, registerShopper } from '../support/frame-client.ts';
import {
  assertClientError,
  describeValue,
  HOSTILE_CONTENT_TYPES,
  hostileBodies,
  oversizedBody,
  send,
  WRONG_METHODS,
  type HostileRequest,
} from '../support/hostile-http.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { startTestWallet, TEST_ENGINE, type TestWallet } from '../support/wallet-harness.ts';

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
/**
 * The intent the garbage confirmations go to. Some "garbage" leaves the signed
 * bytes alone (extension results, the user handle are not signed), so a
 * genuine signature may pay it: exactly once.
 */
let payIntent: { id: string; client_secret: string };
let emailCounter = 0;

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
  payIntent = await createIntent(wallet, 4300);
});

after(async () => {
  await wallet?.close();
  await bank?.close();
  rmSync(bankDir, { recursive: true, force: true });
  rmSync(distDir, { recursive: true, force: true });
});

/** Sends every request (a few at a time) and reports every broken answer at once. */
async function checkAll(requests: HostileRequest[], options: { allowPlain?: boolean; expectStatus?: number } = {}): Promise<void> {
  const failures: string[] = [];
  const queue = [...requests];
  const worker = async () => {
    for (let request = queue.shift(); request; request = queue.shift()) {
      try {
        const answer = await send(wallet.url, request);
        assertClientError(request, answer, options);
        if (options.expectStatus !== undefined) {
          assert.equal(answer.status, options.expectStatus, `${request.name}: expected ${options.expectStatus}, got ${answer.status}`);
        }
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code;
        const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
        failures.push(message.startsWith(request.name) ? message : `${request.name} (${request.method} ${request.path.slice(0, 60)}): ${message} ${cause ?? ''}`);
      }
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  assert.deepEqual(failures, [], `${failures.length} of ${requests.length} requests broke the contract`);
}

const json = (extra: Record<string, string> = {}) => ({ 'content-type': 'application/json', ...extra });

/** Every wrong body, every wrong content type, for one JSON route. */
function bodyCases(pathname: string, validBody: Record<string, unknown>, headers: Record<string, string> = {}): HostileRequest[] {
  const cases: HostileRequest[] = hostileBodies(validBody).map(({ name, body }) => ({
    name,
    method: 'POST',
    path: pathname,
    headers: json(headers),
    body,
  }));
  cases.push({ name: 'over the size limit', method: 'POST', path: pathname, headers: json(headers), body: oversizedBody(validBody), raw: true });
  for (const type of HOSTILE_CONTENT_TYPES) {
    cases.push({
      name: `content-type ${JSON.stringify(type)}`,
      method: 'POST',
      path: pathname,
      headers: type === undefined ? headers : { 'content-type': type, ...headers },
      body: JSON.stringify(validBody),
    });
  }
  return cases;
}

/** Authorization headers that are not `Bearer <valid token>`. */
function authCases(method: string, pathname: string, body?: string): HostileRequest[] {
  const values = ['', 'Bearer', 'Bearer ', 'Bearer  ', 'bearer', 'Basic dXNlcjpwYXNz', 'Bearer a b', 'Bearer \t', `Bearer ${'x'.repeat(8_000)}`, 'Bearer pks_', 'Bearer é'];
  const headers = body === undefined ? {} : json();
  const cases: HostileRequest[] = values.map((value) => ({
    name: `authorization ${describeValue(value)}`,
    method,
    path: pathname,
    headers: { ...headers, authorization: value },
    body,
  }));
  for (const value of ['Bearer 💳', 'Bearer \u00ff\u0100', 'Bearer sk_test_\u202e']) {
    cases.push({ name: `authorization (raw UTF-8) ${value}`, method, path: pathname, headers: { ...headers, authorization: value }, body, raw: true });
  }
  return cases;
}

function wrongMethods(pathname: string, allowed: string[], headers: Record<string, string> = {}): HostileRequest[] {
  return WRONG_METHODS.filter((m) => !allowed.includes(m)).map((method) => ({
    name: `method ${method}`,
    method,
    path: pathname,
    headers: method === 'GET' || method === 'HEAD' ? headers : json(headers),
    body: method === 'GET' || method === 'HEAD' ? undefined : '{}',
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

  test('POST /v1/payment_intents: bodies, content types, idempotency keys', async () => {
    const cases = bodyCases('/v1/payment_intents', validBody, merchantAuth);
    for (const key of ['', 'k'.repeat(300), 'é', ' ', '\t']) {
      cases.push({ name: `idempotency-key ${describeValue(key)}`, method: 'POST', path: '/v1/payment_intents', headers: json({ ...merchantAuth, 'idempotency-key': key }), body: JSON.stringify(validBody) });
    }
    cases.push({ name: 'idempotency-key (raw UTF-8)', method: 'POST', path: '/v1/payment_intents', headers: json({ ...merchantAuth, 'idempotency-key': '💳-key' }), body: JSON.stringify(validBody), raw: true });
    await checkAll(cases);
  });

  test('authentication: every malformed Authorization header is a 401', async () => {
    await checkAll(
      [...authCases('POST', '/v1/payment_intents', JSON.stringify(validBody)), ...authCases('GET', `/v1/payment_intents/${intent.id}`)],
      { expectStatus: 401 },
    );
  });

  test('GET /v1/payment_intents/:id: hostile ids, wrong methods, unknown routes', async () => {
    const cases: HostileRequest[] = HOSTILE_IDS.map((id) => ({ name: `id ${id.slice(0, 20)}`, method: 'GET', path: `/v1/payment_intents/${id}`, headers: merchantAuth }));
    cases.push(...wrongMethods('/v1/payment_intents', ['POST'], merchantAuth));
    cases.push(...wrongMethods(`/v1/payment_intents/${intent.id}`, ['GET', 'HEAD'], merchantAuth));
    for (const p of ['/v1', '/v1/', '/v1/payment_intents/a/b', '/v1/%E0%A4%A', '/v1/../api/frame/checkout']) {
      cases.push({ name: `unknown ${p}`, method: 'GET', path: p, headers: merchantAuth, raw: p.includes('..') });
    }
    await checkAll(cases);
  });

  test('refunds, cancel and webhook endpoints: bodies, content types, hostile ids, wrong methods', async () => {
    // Their own intent: a hostile body that happens to be a valid cancel must not touch the intents checked below.
    const target = await createIntent(wallet, 4400);
    const cases = [
      ...bodyCases(`/v1/payment_intents/${target.id}/refunds`, { amount: 100 }, merchantAuth),
      ...bodyCases(`/v1/payment_intents/${target.id}/cancel`, {}, merchantAuth),
      ...bodyCases('/v1/webhook_endpoints', { url: 'https://shop.example/hooks', events: ['payment_intent.succeeded'] }, merchantAuth),
    ];
    for (const id of HOSTILE_IDS) {
      cases.push({ name: `refunds of id ${id.slice(0, 20)}`, method: 'POST', path: `/v1/payment_intents/${id}/refunds`, headers: json(merchantAuth), body: '{}' });
      cases.push({ name: `refund list of id ${id.slice(0, 20)}`, method: 'GET', path: `/v1/payment_intents/${id}/refunds`, headers: merchantAuth });
      cases.push({ name: `cancel id ${id.slice(0, 20)}`, method: 'POST', path: `/v1/payment_intents/${id}/cancel`, headers: merchantAuth });
      cases.push({ name: `delete endpoint ${id.slice(0, 20)}`, method: 'DELETE', path: `/v1/webhook_endpoints/${id}`, headers: merchantAuth });
    }
    cases.push(...wrongMethods(`/v1/payment_intents/${target.id}/refunds`, ['GET', 'POST', 'HEAD'], merchantAuth));
    cases.push(...wrongMethods(`/v1/payment_intents/${target.id}/cancel`, ['POST'], merchantAuth));
    cases.push(...wrongMethods('/v1/webhook_endpoints', ['GET', 'POST', 'HEAD'], merchantAuth));
    await checkAll(cases);
  });
});

describe('shopper API /api/frame', () => {
  test('every JSON route: bodies and content types', async () => {
    const optionsRes = await wallet.request('POST', '/api/frame/sessions/options', { client_secret: intent.client_secret });
    const { challengeId, options } = await optionsRes.json();
    const assertion = authenticator.getAssertion(options, inFrame(wallet));
    const regOptions = (await (
      await wallet.request('POST', '/api/frame/registrations/options', { client_secret: intent.client_secret, email: 'reg-body@example.com' })
    ).json()) as RegistrationOptionsResponse;
    const registration = new SoftwareAuthenticator().createCredential(regOptions.options, inFrame(wallet));
    const secret = intent.client_secret;
    const session = bearer(shopper.sessionToken);
    const cardBody = { number: '4242424242424242', exp_month: 12, exp_year: new Date().getUTCFullYear() + 2, cvc: '123', name: 'Ada' };
    await checkAll([
      ...bodyCases('/api/frame/checkout', { client_secret: secret }),
      ...bodyCases('/api/frame/registrations/options', { client_secret: secret, email: `reg${++emailCounter}@example.com` }),
      ...bodyCases('/api/frame/registrations', { client_secret: secret, challenge_id: regOptions.challengeId, response: registration }),
      ...bodyCases('/api/frame/sessions/options', { client_secret: secret }),
      ...bodyCases('/api/frame/sessions', { client_secret: secret, challenge_id: challengeId, response: assertion }),
      ...bodyCases('/api/frame/cards', cardBody, session),
      ...bodyCases('/api/frame/confirmations/options', { client_secret: secret, card_id: card.id }, session),
      ...bodyCases('/api/frame/confirmations', { client_secret: secret, challenge_id: challengeId, response: assertion }, session),
    ]);
  });

  test('session routes: malformed Authorization headers are 401', async () => {
    const cardBody = JSON.stringify({ number: '4242424242424242', exp_month: 12, exp_year: 2099, cvc: '123', name: 'Ada' });
    const confirmBody = JSON.stringify({ client_secret: intent.client_secret, card_id: card.id });
    await checkAll(
      [
        ...authCases('GET', '/api/frame/cards'),
        ...authCases('POST', '/api/frame/cards', cardBody),
        ...authCases('DELETE', `/api/frame/cards/${card.id}`),
      ],
      { expectStatus: 401 },
    );
    // The session is optional here (an empty header counts as none), but a malformed one is never a 5xx.
    await checkAll(authCases('POST', '/api/frame/confirmations/options', confirmBody));
  });

  test('ids in paths, wrong methods, unknown routes', async () => {
    const session = bearer(shopper.sessionToken);
    const cases: HostileRequest[] = HOSTILE_IDS.map((id) => ({ name: `card id ${id.slice(0, 20)}`, method: 'DELETE', path: `/api/frame/cards/${id}`, headers: session }));
    for (const p of ['/checkout', '/registrations/options', '/registrations', '/sessions/options', '/sessions', '/confirmations/options', '/confirmations']) {
      cases.push(...wrongMethods(`/api/frame${p}`, ['POST']));
    }
    cases.push(...wrongMethods('/api/frame/cards', ['GET', 'HEAD', 'POST'], session));
    cases.push(...wrongMethods(`/api/frame/cards/${card.id}`, ['DELETE'], session));
    for (const p of ['/api/frame', '/api/frame/', '/api/frame/nope', '/api/frame/cards/a/b', '/api']) {
      cases.push({ name: `unknown ${p}`, method: 'POST', path: p, headers: json(), body: '{}' });
    }
    await checkAll(cases);
  });
});

type Json = Record<string, any>;
const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64url');
const clientData = (fields: Json) => b64(JSON.stringify(fields));

/** Ways to break a WebAuthn response; each gets a fresh challenge so the verifier itself sees it. */
function responseMutations(kind: 'get' | 'create'): Array<[string, (r: Json) => unknown]> {
  const field = kind === 'get' ? 'authenticatorData' : 'attestationObject';
  const set = (key: string, value: unknown) => (r: Json) => ({ ...r, response: { ...r.response, [key]: value } });
  const top = (key: string, value: unknown) => (r: Json) => ({ ...r, [key]: value });
  const withClientData = (edit: (data: Json) => Json) => (r: Json) => {
    const data = JSON.parse(Buffer.from(r.response.clientDataJSON, 'base64url').toString('utf8'));
    return set('clientDataJSON', clientData(edit(data)))(r);
  };
  return [
    ['response null', () => null],
    ['response an array', () => []],
    ['response a string', () => 'public-key'],
    ['response empty', () => ({})],
    ['inner response null', top('response', null)],
    ['inner response an array', top('response', [])],
    ['id not base64url', top('id', '!!!')],
    ['id empty', top('id', '')],
    ['id huge', top('id', 'A'.repeat(20_000))],
    ['id unknown', top('id', 'AAAAAAAAAAAAAAAAAAAAAA')],
    ['rawId differs from id', top('rawId', 'AAAA')],
    ['type wrong', top('type', 'password')],
    ['type missing', top('type', undefined)],
    ['clientDataJSON not JSON', set('clientDataJSON', b64('not json'))],
    ['clientDataJSON an array', set('clientDataJSON', b64('[]'))],
    ['clientDataJSON a string', set('clientDataJSON', b64('"x"'))],
    ['clientDataJSON null', set('clientDataJSON', b64('null'))],
    ['clientDataJSON {}', set('clientDataJSON', b64('{}'))],
    ['clientDataJSON invalid UTF-8', set('clientDataJSON', b64(Buffer.from([0xff, 0xfe, 0x7b])))],
    ['clientDataJSON one character', set('clientDataJSON', 'a')],
    ['clientDataJSON padded', set('clientDataJSON', 'e30=')],
    ['clientDataJSON missing', set('clientDataJSON', undefined)],
    ['clientData challenge garbage', withClientData((d) => ({ ...d, challenge: '!!' }))],
    ['clientData challenge a number', withClientData((d) => ({ ...d, challenge: 5 }))],
    ['clientData type wrong', withClientData((d) => ({ ...d, type: kind === 'get' ? 'webauthn.create' : 'webauthn.get' }))],
    ['clientData origin null', withClientData((d) => ({ ...d, origin: null }))],
    ['clientData crossOrigin a string', withClientData((d) => ({ ...d, crossOrigin: 'yes' }))],
    ['clientData topOrigin a number', withClientData((d) => ({ ...d, topOrigin: 5 }))],
    ['clientData topOrigin without crossOrigin', withClientData((d) => ({ ...d, crossOrigin: false }))],
    ['clientData __proto__', (r) => set('clientDataJSON', b64(Buffer.from(r.response.clientDataJSON, 'base64url').toString().replace('{', '{"__proto__":{"polluted":1},')))(r)],
    [`${field} one byte`, set(field, 'AA')],
    [`${field} one character`, set(field, 'A')],
    [`${field} huge`, set(field, 'A'.repeat(16_000))],
    [`${field} 37 zero bytes`, set(field, b64(Buffer.alloc(37)))],
    [`${field} all flags set`, set(field, b64(Buffer.concat([Buffer.alloc(32), Buffer.from([0xff]), Buffer.alloc(4)])))],
    [`${field} CBOR garbage`, set(field, b64(Buffer.from([0xbf, 0xff, 0x9f, 0x5f, 0xff])))],
    [`${field} truncated`, (r) => set(field, r.response[field].slice(0, -10))(r)],
    [`${field} missing`, set(field, undefined)],
    ...(kind === 'get'
      ? ([
          ['signature one byte', set('signature', 'AA')],
          ['signature DER garbage', set('signature', b64(Buffer.from([0x30, 0xff, 0x02, 0x00])))],
          ['signature random', set('signature', b64(Buffer.alloc(72, 7)))],
          ['signature missing', set('signature', undefined)],
          ['userHandle garbage', set('userHandle', 'AA')],
          ['userHandle not base64url', set('userHandle', '!!')],
          ['userHandle null', set('userHandle', null)],
          ['userHandle a number', set('userHandle', 12)],
        ] as Array<[string, (r: Json) => unknown]>)
      : ([
          ['attestation format unknown', (r) => set('attestationObject', b64(Buffer.from(r.response.attestationObject, 'base64url').toString('latin1').replace('none', 'ac12'), ))(r)],
          ['CBOR map without authData', set('attestationObject', b64(Buffer.from([0xa1, 0x63, 0x66, 0x6d, 0x74, 0x64, 0x6e, 0x6f, 0x6e, 0x65])))],
          ['transports not an array', set('transports', 'usb')],
          ['transports numbers', set('transports', [1, 2])],
          ['transports too many', set('transports', Array(1_000).fill('usb'))],
          ['transports unknown', set('transports', ['carrier-pigeon'])],
        ] as Array<[string, (r: Json) => unknown]>)),
    ['clientExtensionResults null', top('clientExtensionResults', null)],
    ['clientExtensionResults an array', top('clientExtensionResults', [])],
    ['clientExtensionResults a string', top('clientExtensionResults', 'x')],
    ['clientExtensionResults __proto__', top('clientExtensionResults', JSON.parse('{"__proto__":{"polluted":true}}'))],
    ['clientExtensionResults odd values', top('clientExtensionResults', { appid: 'x', credProps: 5, largeBlob: [] })],
    ['authenticatorAttachment unknown', top('authenticatorAttachment', 'usb')],
    ['authenticatorAttachment a number', top('authenticatorAttachment', 5)],
    ['extra __proto__ key', (r) => JSON.parse(JSON.stringify(r).replace('{', '{"__proto__":{"polluted":true},'))],
  ];
}

describe('garbage WebAuthn responses reach the verifier and are 4xx', () => {
  const runCeremony = async (
    name: string,
    begin: () => Promise<{ path: string; clientSecret: string; challengeId: string; genuine: Json; headers?: Record<string, string> }>,
    mutate: (r: Json) => unknown,
  ): Promise<HostileRequest> => {
    const { path: pathname, clientSecret, challengeId, genuine, headers = {} } = await begin();
    return {
      name,
      method: 'POST',
      path: pathname,
      headers: json(headers),
      body: JSON.stringify({ client_secret: clientSecret, challenge_id: challengeId, response: mutate(genuine) }),
    };
  };

  const signInCeremony = async () => {
    const res = await wallet.request('POST', '/api/frame/sessions/options', { client_secret: intent.client_secret });
    const { challengeId, options } = await res.json();
    return { path: '/api/frame/sessions', clientSecret: intent.client_secret, challengeId, genuine: authenticator.getAssertion(options, inFrame(wallet)) as unknown as Json };
  };
  const confirmCeremony = async () => {
    const res = await wallet.request('POST', '/api/frame/confirmations/options', { client_secret: payIntent.client_secret, card_id: card.id }, bearer(shopper.sessionToken));
    const { challengeId, options } = await res.json();
    return {
      path: '/api/frame/confirmations',
      clientSecret: payIntent.client_secret,
      challengeId,
      genuine: authenticator.getAssertion(options, inFrame(wallet)) as unknown as Json,
      headers: bearer(shopper.sessionToken),
    };
  };
  const registrationCeremony = async () => {
    const res = await wallet.request('POST', '/api/frame/registrations/options', { client_secret: intent.client_secret, email: `garbage${++emailCounter}@example.com` });
    const { challengeId, options } = await res.json();
    return { path: '/api/frame/registrations', clientSecret: intent.client_secret, challengeId, genuine: new SoftwareAuthenticator().createCredential(options, inFrame(wallet)) as unknown as Json };
  };

  for (const [label, ceremony, kind] of [
    ['sign-in (POST /api/frame/sessions)', signInCeremony, 'get'],
    ['payment confirmation (POST /api/frame/confirmations)', confirmCeremony, 'get'],
    ['registration (POST /api/frame/registrations)', registrationCeremony, 'create'],
  ] as const) {
    test(label, async () => {
      const cases: HostileRequest[] = [];
      for (const [name, mutate] of responseMutations(kind)) cases.push(await runCeremony(name, ceremony, mutate));
      await checkAll(cases);
    });
  }

  test('the genuine passkey still signs in afterwards (nothing was corrupted)', async () => {
    const { challengeId, genuine } = await signInCeremony();
    const res = await wallet.request('POST', '/api/frame/sessions', { client_secret: intent.client_secret, challenge_id: challengeId, response: genuine as AuthenticationResponseJSON });
    assert.equal(res.status, 201, await res.text());
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
    ].map((p) => ({ name: p.slice(0, 40), method: 'GET', path: p, raw: true }));
    await checkAll(notFound, { expectStatus: 404 });

    const frame: HostileRequest[] = [
      ...HOSTILE_IDS.map((id) => `/frame/${id}?origin=${encodeURIComponent(wallet.merchantOrigin)}`),
      `/frame/${intent.id}?origin=javascript:alert(1)`,
      `/frame/${intent.id}?origin=${'x'.repeat(6_000)}`,
      `/frame/${intent.id}?origin=%E0%A4%A`,
      `/frame/${intent.id}?origin=`,
      `/frame/${intent.id}?origin=${encodeURIComponent('https://evil.example')}&origin=${encodeURIComponent(wallet.merchantOrigin)}`,
      `/frame/${intent.id}/extra`,
      '/frame/',
      '/frame',
    ].map((p) => ({ name: p.slice(0, 40), method: 'GET', path: p }));
    await checkAll(frame, { allowPlain: true });

    await checkAll([
      ...wrongMethods('/paykey.js', ['GET', 'HEAD']),
      ...wrongMethods('/assets/frame-abc.js', ['GET', 'HEAD']),
      ...wrongMethods(`/frame/${intent.id}?origin=${encodeURIComponent(wallet.merchantOrigin)}`, ['GET', 'HEAD']),
      { name: 'paykey.js with a query', method: 'GET', path: '/paykey.js?%E0%A4%A=%' },
      { name: 'garbage headers', method: 'GET', path: '/paykey.js', headers: { range: 'bytes=99999-1', 'if-none-match': '"\u00e9"', 'accept-encoding': 'x'.repeat(4_000) } },
    ]);
  });
});

describe('afterwards', () => {
  test('no request reached the error handler as a bug, and no payment moved', async () => {
    const unhandled = wallet.logs.filter((line) => JSON.parse(line).event === 'unhandled_error');
    assert.deepEqual(unhandled, []);
    const attempts = async (id: string) => Number((await wallet.query<{ n: number }>('SELECT count(*) AS n FROM payment_attempts WHERE intent_id = ?', [id]))[0].n);
    assert.equal(await attempts(intent.id), 0);
    assert.ok((await attempts(payIntent.id)) <= 1, 'a genuine signature paid more than once');
    const status = (await wallet.query('SELECT status FROM payment_intents WHERE id = ?', [intent.id]))[0] as { status: string };
    assert.equal(status.status, 'requires_confirmation');
    // Prototype-pollution keys stayed data.
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
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
