/**
 * Middleware in front of every API route, in the order a bank checks a call:
 * 1. x-fapi-interaction-id: required by Meridian (the document marks it optional; the sandbox insists so an
 *    adapter that forgets it is caught) and an RFC 4122 UUID — else 400 U007 / U006;
 * 2. the path and method are an operation of the document Meridian implements — else 404 (405 for a known path);
 * 3. Authorization: Bearer <a live access token> — else 401;
 * 4. a JSON body for POST — else 415 (another media type) or 400 U010 (not JSON);
 * 5. the request against the official document (headers, path, body) — else 400 with one OBError1 per problem;
 * 6. x-jws-signature on POST, against the token's client — else 400 U015–U019.
 */
import type { MiddlewareHandler } from 'hono';
import type { ClientKeyResolver } from '../jose/client-key-resolver.ts';
import type { MeridianLedger } from '../ledger/open-meridian-ledger.ts';
import { findAccessToken } from '../oauth/access-tokens.ts';
import type { ClientRegistry } from '../oauth/client-registry.ts';
import { IMPLEMENTED_OPERATIONS, type SpecValidator } from '../spec/create-spec-validator.ts';
import { specErrorsToObErrors } from '../spec/spec-errors-to-ob-errors.ts';
import type { ObEnv } from './ob-env.ts';
import { ObError, obError, OB_ERROR_CODES } from './ob-error.ts';
import { verifyRequestSignature } from './verify-request-signature.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const implemented: ReadonlySet<string> = new Set(IMPLEMENTED_OPERATIONS);

export interface CheckPispRequestOptions {
  spec: SpecValidator;
  ledger: MeridianLedger;
  clients: ClientRegistry;
  resolveKey: ClientKeyResolver;
  now: () => Date;
}

export function checkPispRequest({ spec, ledger, clients, resolveKey, now }: CheckPispRequestOptions): MiddlewareHandler<ObEnv> {
  return async function checkRequest(c, next) {
    const interactionId = c.req.header('x-fapi-interaction-id');
    if (interactionId !== undefined && UUID.test(interactionId)) c.set('interactionId', interactionId);
    if (interactionId === undefined) {
      throw obError(400, OB_ERROR_CODES.HeaderMissing, 'expected the header x-fapi-interaction-id (an RFC 4122 UUID), received none', 'x-fapi-interaction-id');
    }
    if (!UUID.test(interactionId)) {
      throw obError(400, OB_ERROR_CODES.HeaderInvalid, `expected x-fapi-interaction-id to be an RFC 4122 UUID, received ${JSON.stringify(interactionId.slice(0, 60))}`, 'x-fapi-interaction-id');
    }

    const operation = spec.match(c.req.method, c.req.path);
    if (!operation || !implemented.has(operation.operationId ?? '')) {
      const otherMethod = ['GET', 'POST'].some((m) => m !== c.req.method && spec.match(m, c.req.path));
      throw new ObError(otherMethod && !operation ? 405 : 404, {
        ErrorCode: OB_ERROR_CODES.ResourceNotFound,
        Message: `expected one of the operations Meridian implements, received ${c.req.method} ${c.req.path}`,
      });
    }
    c.set('operation', operation);

    const authorization = c.req.header('authorization') ?? '';
    const token = /^Bearer ([\x21-\x7e]+)$/.exec(authorization)?.[1];
    const grant = token ? await findAccessToken(ledger, token, now()) : undefined;
    const client = grant && clients.get(grant.clientId);
    if (!grant || !client) {
      throw obError(401, OB_ERROR_CODES.OtherReason, 'expected Authorization: Bearer <a live access token from /token>');
    }
    c.set('client', client);
    c.set('tokenConsentId', grant.consentId);

    let body: unknown;
    let raw = new Uint8Array();
    if (c.req.method === 'POST') {
      const contentType = (c.req.header('content-type') ?? '').toLowerCase();
      if (!/^application\/json\s*(;\s*charset=utf-8\s*)?$/.test(contentType)) {
        throw obError(415, OB_ERROR_CODES.ResourceInvalidFormat, `expected Content-Type application/json, received ${contentType || 'none'}`);
      }
      raw = new Uint8Array(await c.req.arrayBuffer());
      try {
        body = JSON.parse(Buffer.from(raw).toString('utf8'));
      } catch {
        throw obError(400, OB_ERROR_CODES.ResourceInvalidFormat, 'expected a JSON request body, received one that does not parse as JSON');
      }
      c.set('body', body);
    }

    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    const errors = spec.validateRequest(operation, {
      method: c.req.method,
      path: c.req.path,
      headers,
      query: c.req.query(),
      body,
    });
    if (errors.length > 0) throw new ObError(400, specErrorsToObErrors(errors, body));

    if (c.req.method === 'POST') {
      await verifyRequestSignature({ signature: headers['x-jws-signature'], body: raw, client, resolveKey, now: now() });
    }
    await next();
  };
}
