/**
 * A fetch that answers an Open Banking adapter from recorded exchanges, in order, one step at a time, and checks
 * each request: method, path, the Authorization token (by placeholder), x-idempotency-key and the body or token
 * form as recorded — and what changes on every call, as the standard requires it:
 * - API calls: an RFC 4122 x-fapi-interaction-id, an HTTP-date x-fapi-auth-date; on POST an x-idempotency-key and
 *   an x-jws-signature that verifies (PS256, detached, over the exact body) against the wallet key of the test,
 *   with kid, crit iat/iss/tan, iat the adapter's clock, iss our client id, tan the trust anchor;
 * - token calls: a private_key_jwt client assertion (PS256) by that key: iss = sub = client id, aud = the token
 *   endpoint, a jti, iat the adapter's clock, a short exp.
 * Checked here with node:crypto, not with the adapter's own JOSE code.
 */
import assert from 'node:assert/strict';
import { constants, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { WalletSigningKey } from '../../../server/adapters/open-banking/wallet-signing-key.ts';
import type { ObRecordedExchange } from './open-banking-exchange.ts';

export interface ObCannedFetchOptions {
  baseUrl: string;
  clientId: string;
  trustAnchor: string;
  tokenEndpoint: string;
  /** The key the adapter under test signs with. */
  walletKey: WalletSigningKey;
  /** The adapter's clock. */
  now: () => Date;
}

export interface ObCannedFetch {
  fetch: typeof fetch;
  /** Answers the next requests from `exchanges` (a step's). */
  begin(exchanges: readonly ObRecordedExchange[]): void;
  /** The x-fapi-interaction-id of each request of the step so far. */
  sent(): (string | null)[];
  remaining(): number;
  /**
   * The first request check that failed in this step, if any: the adapter turns an error thrown by its fetch into
   * an unknown outcome, so the test asks here for the real reason.
   */
  problem(): Error | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } as const;
const OB = 'http://openbanking.org.uk/';

function decodeJson(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

function ps256(signingInput: string, signature: string, key: KeyObject): boolean {
  return verify('sha256', Buffer.from(signingInput, 'ascii'), { key, ...PSS }, Buffer.from(signature, 'base64url'));
}

export function obCannedFetch(options: ObCannedFetchOptions): ObCannedFetch {
  const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  const publicKey = createPublicKey(options.walletKey.privateKey);
  const kid = options.walletKey.kid;
  let exchanges: readonly ObRecordedExchange[] = [];
  let next = 0;
  let sent: (string | null)[] = [];
  let problem: Error | undefined;

  const checkRequestSignature = (what: string, signature: string | null, body: string) => {
    assert.ok(signature, `${what}: expected an x-jws-signature header`);
    const [protectedPart, payload, sig] = signature.split('.');
    assert.equal(payload, '', `${what}: expected a detached JWS (header..signature)`);
    const header = decodeJson(protectedPart);
    assert.equal(header.alg, 'PS256', `${what}: alg`);
    assert.equal(header.kid, kid, `${what}: expected the kid of the wallet key`);
    assert.ok(!('b64' in header), `${what}: expected no b64 claim`);
    assert.deepEqual([...(header.crit as string[])].sort(), [`${OB}iat`, `${OB}iss`, `${OB}tan`], `${what}: crit`);
    assert.equal(header[`${OB}iat`], Math.floor(options.now().getTime() / 1000), `${what}: expected iat to be the adapter's clock`);
    assert.equal(header[`${OB}iss`], options.clientId, `${what}: iss`);
    assert.equal(header[`${OB}tan`], options.trustAnchor, `${what}: tan`);
    assert.ok(ps256(`${protectedPart}.${Buffer.from(body, 'utf8').toString('base64url')}`, sig, publicKey), `${what}: expected x-jws-signature to verify against the wallet key over the exact body`);
  };

  const checkClientAssertion = (what: string, assertion: string | undefined) => {
    assert.ok(assertion, `${what}: expected a client_assertion`);
    const [h, p, s] = assertion.split('.');
    const header = decodeJson(h);
    const claims = decodeJson(p);
    assert.equal(header.alg, 'PS256', `${what}: client_assertion alg`);
    assert.equal(header.kid, kid, `${what}: client_assertion kid`);
    assert.ok(ps256(`${h}.${p}`, s, publicKey), `${what}: expected the client_assertion to verify against the wallet key`);
    assert.equal(claims.iss, options.clientId);
    assert.equal(claims.sub, options.clientId);
    assert.equal(claims.aud, options.tokenEndpoint);
    assert.ok(typeof claims.jti === 'string' && claims.jti.length > 0, `${what}: expected a jti`);
    assert.equal(claims.iat, Math.floor(options.now().getTime() / 1000), `${what}: expected iat to be the adapter's clock`);
    assert.ok(typeof claims.exp === 'number' && claims.exp > (claims.iat as number) && claims.exp - (claims.iat as number) <= 300, `${what}: expected a short exp`);
  };

  const answer = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? 'GET';
    const path = `${url.pathname.slice(base.pathname.length)}${url.search}`;
    const exchange = exchanges[next];
    assert.ok(exchange, `expected no more requests in this step, received ${method} /${path} (${exchanges.length} recorded)`);
    next += 1;
    const what = `request ${next} of the step (${method} /${path})`;
    const headers = new Headers(init?.headers);
    const interactionId = headers.get('x-fapi-interaction-id');
    sent.push(interactionId);
    const bearer = /^Bearer (.+)$/.exec(headers.get('authorization') ?? '')?.[1] ?? null;
    const received: Record<string, unknown> = { method, path, bearer, idempotencyKey: headers.get('x-idempotency-key') };
    if (init?.body instanceof URLSearchParams) {
      const form = Object.fromEntries(init.body);
      checkClientAssertion(what, form.client_assertion);
      delete form.client_assertion;
      received.form = form;
    } else if (typeof init?.body === 'string') {
      received.body = JSON.parse(init.body);
    }
    assert.deepEqual(received, exchange.request, `expected ${what} to be the recorded one`);
    if (path.startsWith('open-banking/')) {
      assert.match(interactionId ?? '', UUID, `${what}: expected an RFC 4122 x-fapi-interaction-id`);
      assert.ok(!Number.isNaN(Date.parse(headers.get('x-fapi-auth-date') ?? '')), `${what}: expected an HTTP-date x-fapi-auth-date`);
      if (method === 'POST') {
        assert.ok(headers.get('x-idempotency-key'), `${what}: expected an x-idempotency-key`);
        assert.match(headers.get('content-type') ?? '', /^application\/json/, `${what}: content-type`);
        checkRequestSignature(what, headers.get('x-jws-signature'), init?.body as string);
      }
    }
    const { response } = exchange;
    if ('network' in response) {
      if (response.network === 'timeout') throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: response.network }) });
    }
    const answerHeaders = { ...response.headers };
    if (answerHeaders['x-fapi-interaction-id'] === '<sent>' && interactionId) answerHeaders['x-fapi-interaction-id'] = interactionId;
    return new Response(response.body === '' ? null : response.body, { status: response.status, headers: answerHeaders });
  };

  const replay = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    try {
      return await answer(input, init);
    } catch (error) {
      if (error instanceof assert.AssertionError) problem ??= error;
      throw error;
    }
  };

  return {
    fetch: replay as typeof fetch,
    begin(stepExchanges) {
      exchanges = stepExchanges;
      next = 0;
      sent = [];
      problem = undefined;
    },
    problem: () => problem,
    sent: () => [...sent],
    remaining: () => exchanges.length - next,
  };
}
