/**
 * POST /token (application/x-www-form-urlencoded), clients authenticated by private_key_jwt
 * (client_assertion_type urn:ietf:params:oauth:client-assertion-type:jwt-bearer, a JWT signed with the
 * client's key, iss = sub = client_id, aud = this endpoint, exp, a jti used once):
 *
 * - grant_type=client_credentials&scope=payments → a token for consents and look-ups (1 h);
 * - grant_type=authorization_code&code=…&redirect_uri=… → a token bound to the consent the shopper approved
 *   (10 min), the only kind that may submit its payment.
 *
 * Errors as RFC 6749: 400 { error, error_description } (401 invalid_client). Not part of the Payment
 * Initiation document, so not checked against it.
 */
import { Hono, type Context } from 'hono';
import type { ClientKeyResolver } from '../jose/client-key-resolver.ts';
import type { MeridianLedger } from '../ledger/open-meridian-ledger.ts';
import { sha256Hex } from '../new-id.ts';
import { issueAccessToken } from './access-tokens.ts';
import type { ClientRegistry } from './client-registry.ts';
import { ClientJwtError, verifyClientJwt } from './verify-client-jwt.ts';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function tokenRoutes(ledger: MeridianLedger, clients: ClientRegistry, resolveKey: ClientKeyResolver, now: () => Date): Hono {
  const usedJti = new Map<string, number>();

  async function authenticate(c: Context, form: Record<string, string>) {
    if (form.client_assertion_type !== ASSERTION_TYPE || !form.client_assertion) {
      throw new OAuthError(401, 'invalid_client', `expected client_assertion_type ${ASSERTION_TYPE} and a client_assertion (private_key_jwt), received ${form.client_assertion_type ? JSON.stringify(form.client_assertion_type) : 'none'}`);
    }
    const unverified = peekIssuer(form.client_assertion);
    const client = unverified ? clients.get(unverified) : undefined;
    if (!client || (form.client_id && form.client_id !== client.clientId)) {
      throw new OAuthError(401, 'invalid_client', `expected a client_assertion issued by a registered client, received one from ${JSON.stringify(unverified ?? null)}`);
    }
    const origin = new URL(c.req.url).origin;
    let claims: Record<string, unknown>;
    try {
      claims = await verifyClientJwt({ jwt: form.client_assertion, client, resolveKey, audiences: [`${origin}/token`, origin], now: now(), what: 'client_assertion' });
    } catch (error) {
      if (error instanceof ClientJwtError) throw new OAuthError(401, 'invalid_client', error.message);
      throw error;
    }
    if (claims.sub !== client.clientId) {
      throw new OAuthError(401, 'invalid_client', `client_assertion: expected sub ${client.clientId}, received ${JSON.stringify(claims.sub)}`);
    }
    if (typeof claims.jti !== 'string' || claims.jti.length === 0) {
      throw new OAuthError(401, 'invalid_client', `client_assertion: expected a jti, received ${JSON.stringify(claims.jti ?? null)}`);
    }
    const nowMs = now().getTime();
    for (const [jti, expiresAt] of usedJti) if (expiresAt < nowMs) usedJti.delete(jti);
    const jtiKey = `${client.clientId} ${claims.jti}`;
    if (usedJti.has(jtiKey)) throw new OAuthError(401, 'invalid_client', `client_assertion: expected a jti not used before, received ${JSON.stringify(claims.jti)} again`);
    usedJti.set(jtiKey, (claims.exp as number) * 1000);
    return client;
  }

  return new Hono().post('/token', async (c) => {
    try {
      const contentType = (c.req.header('content-type') ?? '').toLowerCase();
      if (!contentType.startsWith('application/x-www-form-urlencoded')) {
        throw new OAuthError(400, 'invalid_request', `expected Content-Type application/x-www-form-urlencoded, received ${contentType || 'none'}`);
      }
      const form = Object.fromEntries(new URLSearchParams(await c.req.text())) as Record<string, string>;
      const client = await authenticate(c, form);
      const at = now();
      if (form.grant_type === 'client_credentials') {
        const scopes = (form.scope ?? 'payments').split(' ').filter(Boolean);
        if (!scopes.includes('payments') || scopes.some((s) => s !== 'payments' && s !== 'openid')) {
          throw new OAuthError(400, 'invalid_scope', `expected scope payments, received ${JSON.stringify(form.scope)}`);
        }
        const accessToken = await issueAccessToken(ledger, { clientId: client.clientId, consentId: null, expiresInSeconds: 3_600, now: at });
        return c.json({ access_token: accessToken, token_type: 'Bearer', expires_in: 3_600, scope: 'payments' });
      }
      if (form.grant_type === 'authorization_code') {
        if (!form.code) throw new OAuthError(400, 'invalid_request', 'expected a code, received none');
        const row = await ledger.selectFrom('authorizations').selectAll().where('code_hash', '=', sha256Hex(form.code)).executeTakeFirst();
        if (!row || row.client_id !== client.clientId) throw new OAuthError(400, 'invalid_grant', 'expected a code Meridian issued to this client, received an unknown one');
        if (row.code_used) throw new OAuthError(400, 'invalid_grant', 'expected a code not yet exchanged, received one already used');
        if (!row.code_expires_at || row.code_expires_at <= at.toISOString()) throw new OAuthError(400, 'invalid_grant', `expected a live code, received one that expired at ${row.code_expires_at}`);
        if (form.redirect_uri !== row.redirect_uri) {
          throw new OAuthError(400, 'invalid_grant', `expected redirect_uri ${row.redirect_uri} (as at /authorize), received ${JSON.stringify(form.redirect_uri ?? null)}`);
        }
        const claimed = await ledger
          .updateTable('authorizations')
          .set({ code_used: 1 })
          .where('authorization_id', '=', row.authorization_id)
          .where('code_used', '=', 0)
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1) throw new OAuthError(400, 'invalid_grant', 'expected a code not yet exchanged, received one already used');
        const accessToken = await issueAccessToken(ledger, { clientId: client.clientId, consentId: row.consent_id, expiresInSeconds: 600, now: at });
        return c.json({ access_token: accessToken, token_type: 'Bearer', expires_in: 600, scope: 'openid payments', consent_id: row.consent_id });
      }
      throw new OAuthError(400, 'unsupported_grant_type', `expected grant_type client_credentials or authorization_code, received ${JSON.stringify(form.grant_type ?? null)}`);
    } catch (error) {
      if (error instanceof OAuthError) {
        c.header('cache-control', 'no-store');
        return c.json({ error: error.code, error_description: error.message }, error.status);
      }
      throw error;
    }
  });
}

/** The iss of a JWT before verification, to find whose key verifies it. */
function peekIssuer(jwt: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof payload.iss === 'string' ? payload.iss : undefined;
  } catch {
    return undefined;
  }
}
