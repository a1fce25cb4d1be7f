/**
 * GET /jwks — Meridian's public signing key (it signs every API answer, x-jws-signature);
 * GET /.well-known/openid-configuration — where the endpoints are and what they accept.
 */
import { Hono } from 'hono';
import type { BankSigningKey } from '../jose/bank-signing-key.ts';
import { PISP_API_ROOT } from '../spec/create-spec-validator.ts';

export function discoveryRoutes(key: BankSigningKey): Hono {
  return new Hono()
    .get('/jwks', (c) => c.json({ keys: [key.publicJwk] }))
    .get('/.well-known/openid-configuration', (c) => {
      const origin = new URL(c.req.url).origin;
      return c.json({
        issuer: origin,
        authorization_endpoint: `${origin}/authorize`,
        token_endpoint: `${origin}/token`,
        jwks_uri: `${origin}/jwks`,
        payment_initiation_api: `${origin}${PISP_API_ROOT}`,
        response_types_supported: ['code'],
        grant_types_supported: ['client_credentials', 'authorization_code'],
        scopes_supported: ['openid', 'payments'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
        token_endpoint_auth_signing_alg_values_supported: ['PS256'],
        request_object_signing_alg_values_supported: ['PS256'],
        request_parameter_supported: true,
        claims_parameter_supported: true,
        authorization_response_iss_parameter_supported: true,
      });
    });
}
