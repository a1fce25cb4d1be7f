/**
 * The client half of property-bodies.test.ts, run in a worker thread so that
 * generating and sending bodies takes the second core while the main thread
 * serves them: fast-check generates bodies per endpoint and checks every
 * answer (no 5xx, no reset connection, a coded 4xx from the closed set at its
 * status, a 2xx only where a body may succeed). Posts back how many were sent,
 * what the merchant API created, and the first counterexample of each failing
 * endpoint (fast-check's shrunk one, with its seed).
 */
import assert from 'node:assert/strict';
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { SERVER_ERROR_STATUS } from '../../widget/error-codes.ts';

export interface PropertyContext {
  walletUrl: string;
  secretKey: string;
  /** A signed-in shopper whose wallet is full (20 cards): a well-formed card is refused, not saved. */
  fullSession: string;
  cardId: string;
  /** An open sign-in challenge of the live intent, so generated ceremonies may name a real one. */
  challengeId: string;
  live: { id: string; client_secret: string };
  /** An intent with a quote for `cardId` that generated quotes never retire (they go to `live`), so options may succeed. */
  quoted: { id: string; client_secret: string; quoteId: string };
  canceled: { id: string; client_secret: string };
  paid: { id: string; client_secret: string };
  runsPerTarget: number;
  seed: number;
}

export interface PropertyResult {
  targets: number;
  sent: number;
  /** 201s by endpoint: the rows the merchant API may legitimately have added. */
  created: Record<string, number>;
  failures: string[];
}

const ctx = workerData as PropertyContext;

// ---- Generators -------------------------------------------------------------------------------------------------

/** Values a field might hold: right-looking ones, edges, and anything JSON. */
const edgeValue = fc.constantFrom<unknown>(
  null, true, false, 0, -0, -1, 1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 2_147_483_648,
  '', ' ', '0', '1999', 'USD', 'usd', 'XAU', 'JPY', '\u0000', '\u202e', '\ud800', '😀', '%00', '../', '<script>', "' OR 1=1 --",
  'pi_', 'card_', 'chl_', '4242424242424242', '12', '2099', '123', 'https://shop.example/hook', 'javascript:alert(1)', 'a@b.c',
  [], [null], {}, { __proto__: null }, 'x'.repeat(300), 'x'.repeat(5_000),
);
const anyValue = fc.oneof({ weight: 3, arbitrary: edgeValue }, { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) }, fc.string(), fc.integer(), fc.double());

/** The keys a route reads plus keys it does not know (prototype-pollution names included). */
const keysOf = (keys: string[]) => fc.constantFrom(...keys, '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', 'a'.repeat(100));

/** A JSON object text over the route's keys with wrong (or right) values; `__proto__` stays an own key because the text is built by hand. */
const shapedBody = (keys: string[]) =>
  fc
    .uniqueArray(fc.tuple(keysOf(keys), anyValue), { maxLength: keys.length + 2, selector: ([key]) => key })
    .map((pairs) => `{${pairs.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`).join(',')}}`);

/** A known good body with one key dropped, changed or added. */
const mutatedBody = (valid: Record<string, unknown>) =>
  fc.tuple(fc.constantFrom(...Object.keys(valid), 'extra'), fc.constantFrom('drop', 'change'), anyValue).map(([key, how, value]) => {
    const body: Record<string, unknown> = { ...valid };
    if (how === 'drop') delete body[key];
    else body[key] = value;
    return JSON.stringify(body);
  });

/** Bytes that are not JSON: text, JSON with its tail cut off, raw binary. */
const junkBody = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json({ maxDepth: 3 }).map((text) => text.slice(0, Math.max(0, text.length - 1))),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  fc.nat({ max: 3_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
);

const bodyFor = (keys: string[], valid: Record<string, unknown>) =>
  fc.oneof(
    { weight: 4, arbitrary: shapedBody(keys) },
    { weight: 3, arbitrary: mutatedBody(valid) },
    { weight: 2, arbitrary: fc.json({ maxDepth: 4 }) },
    { weight: 2, arbitrary: junkBody },
    { weight: 1, arbitrary: fc.constant(JSON.stringify(valid)) },
  );

const contentType = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  fc.constantFrom('application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/jsonx', '', 'APPLICATION/JSON'),
);

// ---- Targets ----------------------------------------------------------------------------------------------------

interface Target {
  name: string;
  path: () => string;
  /** Authorization header values to pick from (undefined: none). */
  auth: () => Array<string | undefined>;
  keys: string[];
  valid: () => Record<string, unknown>;
  /** The 2xx this route may answer (for a body that is legitimately good), if any. */
  success?: number;
}

const merchantAuth = () => [`Bearer ${ctx.secretKey}`, `Bearer ${ctx.secretKey}`, undefined, 'Bearer sk_test_wrong', 'Basic x'];
const sessionAuth = () => [`Bearer ${ctx.fullSession}`, `Bearer ${ctx.fullSession}`, undefined, 'Bearer pks_wrong', ''];
const noAuth = () => [undefined, undefined, 'Bearer nonsense'];
const ceremonyKeys = ['client_secret', 'challenge_id', 'response'];
const fakeResponse = { id: 'AAAA', rawId: 'AAAA', type: 'public-key', response: { clientDataJSON: 'e30', authenticatorData: 'AAAA', signature: 'AAAA' }, clientExtensionResults: {} };

const TARGETS: Target[] = [
  { name: 'POST /v1/payment_intents', path: () => '/v1/payment_intents', auth: merchantAuth, keys: ['amount', 'currency', 'description', 'reference'], valid: () => ({ amount: 1999, currency: 'USD', description: 'x', reference: 'r' }), success: 201 },
  { name: 'POST /v1/payment_intents/:unpaid/refunds', path: () => `/v1/payment_intents/${ctx.live.id}/refunds`, auth: merchantAuth, keys: ['amount'], valid: () => ({ amount: 100 }) },
  { name: 'POST /v1/payment_intents/:canceled/cancel', path: () => `/v1/payment_intents/${ctx.canceled.id}/cancel`, auth: merchantAuth, keys: [], valid: () => ({}) },
  { name: 'POST /v1/webhook_endpoints', path: () => '/v1/webhook_endpoints', auth: merchantAuth, keys: ['url', 'events'], valid: () => ({ url: 'https://shop.example/hook', events: ['payment_intent.succeeded'] }), success: 201 },
  { name: 'POST /api/frame/checkout', path: () => '/api/frame/checkout', auth: noAuth, keys: ['client_secret'], valid: () => ({ client_secret: ctx.live.client_secret }), success: 200 },
  { name: 'POST /api/frame/registrations/options', path: () => '/api/frame/registrations/options', auth: noAuth, keys: ['client_secret', 'email'], valid: () => ({ client_secret: ctx.live.client_secret, email: 'p@example.com' }), success: 200 },
  { name: 'POST /api/frame/registrations', path: () => '/api/frame/registrations', auth: noAuth, keys: ceremonyKeys, valid: () => ({ client_secret: ctx.live.client_secret, challenge_id: ctx.challengeId, response: fakeResponse }) },
  { name: 'POST /api/frame/sessions/options', path: () => '/api/frame/sessions/options', auth: noAuth, keys: ['client_secret'], valid: () => ({ client_secret: ctx.live.client_secret }), success: 200 },
  { name: 'POST /api/frame/sessions', path: () => '/api/frame/sessions', auth: noAuth, keys: ceremonyKeys, valid: () => ({ client_secret: ctx.live.client_secret, challenge_id: ctx.challengeId, response: fakeResponse }) },
  { name: 'POST /api/frame/cards', path: () => '/api/frame/cards', auth: sessionAuth, keys: ['number', 'exp_month', 'exp_year', 'cvc', 'name'], valid: () => ({ number: '4242424242424242', exp_month: 12, exp_year: 2099, cvc: '123', name: 'Ada' }) },
  { name: 'POST /api/frame/quotes', path: () => '/api/frame/quotes', auth: sessionAuth, keys: ['client_secret', 'card_id'], valid: () => ({ client_secret: ctx.live.client_secret, card_id: ctx.cardId }), success: 200 },
  { name: 'POST /api/frame/confirmations/options', path: () => '/api/frame/confirmations/options', auth: sessionAuth, keys: ['client_secret', 'card_id', 'quote_id'], valid: () => ({ client_secret: ctx.quoted.client_secret, card_id: ctx.cardId, quote_id: ctx.quoted.quoteId }), success: 200 },
  { name: 'POST /api/frame/confirmations', path: () => '/api/frame/confirmations', auth: sessionAuth, keys: ceremonyKeys, valid: () => ({ client_secret: ctx.live.client_secret, challenge_id: ctx.challengeId, response: fakeResponse }) },
  { name: 'POST /api/frame/confirmations (paid intent)', path: () => '/api/frame/confirmations', auth: sessionAuth, keys: ceremonyKeys, valid: () => ({ client_secret: ctx.paid.client_secret, challenge_id: ctx.challengeId, response: fakeResponse }) },
  { name: 'POST /v1/payment_intents/:paid/refunds (no key)', path: () => `/v1/payment_intents/${ctx.paid.id}/refunds`, auth: () => [undefined, 'Bearer sk_test_wrong', `Bearer ${ctx.fullSession}`], keys: ['amount'], valid: () => ({ amount: 1 }) },
];

// ---- The property -----------------------------------------------------------------------------------------------

const SNAKE = /^[a-z]+(_[a-z0-9]+)*$/;

async function run(): Promise<PropertyResult> {
  const created: Record<string, number> = {};
  const failures: string[] = [];
  let sent = 0;
  await Promise.all(
    TARGETS.map(async (target, index) => {
      try {
        await fc.assert(
          fc.asyncProperty(bodyFor(target.keys, target.valid()), fc.constantFrom(...target.auth()), contentType, async (body, authorization, type) => {
            const headers: Record<string, string> = { 'content-type': type };
            if (authorization !== undefined) headers.authorization = authorization;
            // A reset or refused connection throws here and fails the property.
            const res = await fetch(new URL(target.path(), ctx.walletUrl), { method: 'POST', headers, body });
            const text = await res.text();
            sent += 1;
            const label = `${target.name} ${res.status} ${text.slice(0, 200)}`;
            assert.ok(res.status < 500, `5xx: ${label}`);
            if (res.status < 400) {
              assert.equal(res.status, target.success, `an unexpected success: ${label}`);
              if (res.status === 201) created[target.name] = (created[target.name] ?? 0) + 1;
              return;
            }
            assert.match(res.headers.get('content-type') ?? '', /^application\/json/, label);
            const error = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
            assert.equal(typeof error?.code, 'string', label);
            assert.match(error!.code as string, SNAKE, label);
            assert.ok(typeof error?.message === 'string' && error.message.length > 0, label);
            const statuses = [SERVER_ERROR_STATUS[error!.code as keyof typeof SERVER_ERROR_STATUS] ?? []].flat() as number[];
            assert.ok(statuses.includes(res.status), `code ${String(error!.code)} is not in the closed set at ${res.status}: ${label}`);
          }),
          { numRuns: ctx.runsPerTarget, seed: ctx.seed + index },
        );
      } catch (error) {
        failures.push(`${target.name}: ${error instanceof Error ? error.message.slice(0, 2_000) : String(error)}`);
      }
    }),
  );
  return { targets: TARGETS.length, sent, created, failures };
}

parentPort!.postMessage(await run());
