/**
 * The signed request object (RFC 9101, PS256) that names a consent at the bank's /authorize: the standard's
 * `claims.id_token.openbanking_intent_id` carries the ConsentId; `state` and `nonce` bind the shopper's return.
 */
import { randomUUID } from 'node:crypto';
import { signCompactJws } from './ps256-jws.ts';
import type { WalletSigningKey } from './wallet-signing-key.ts';

export interface RequestObjectClaims {
  clientId: string;
  /** The bank's issuer (its origin). */
  audience: string;
  redirectUri: string;
  consentId: string;
  state: string;
  /** Seconds; default 300. */
  lifetimeSeconds?: number;
}

export function signRequestObject(key: WalletSigningKey, claims: RequestObjectClaims, now = new Date()): string {
  const iat = Math.floor(now.getTime() / 1000);
  return signCompactJws(
    { alg: 'PS256', kid: key.kid, typ: 'oauth-authz-req+jwt' },
    JSON.stringify({
      iss: claims.clientId,
      aud: claims.audience,
      iat,
      nbf: iat,
      exp: iat + (claims.lifetimeSeconds ?? 300),
      jti: randomUUID(),
      response_type: 'code',
      client_id: claims.clientId,
      redirect_uri: claims.redirectUri,
      scope: 'openid payments',
      state: claims.state,
      nonce: randomUUID(),
      claims: { id_token: { openbanking_intent_id: { value: claims.consentId, essential: true } } },
    }),
    key.privateKey,
  );
}
