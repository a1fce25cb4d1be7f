/**
 * The wallet's private_key_jwt client assertion (RFC 7523) for the bank's token endpoint: PS256, iss = sub = our
 * client id, aud = the token endpoint, a fresh jti, a one-minute lifetime.
 */
import { randomUUID } from 'node:crypto';
import { signCompactJws } from './ps256-jws.ts';
import type { WalletSigningKey } from './wallet-signing-key.ts';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export function clientAssertion(key: WalletSigningKey, clientId: string, tokenEndpoint: string, now = new Date()): string {
  const iat = Math.floor(now.getTime() / 1000);
  return signCompactJws(
    { alg: 'PS256', kid: key.kid, typ: 'JWT' },
    JSON.stringify({ iss: clientId, sub: clientId, aud: tokenEndpoint, jti: randomUUID(), iat, exp: iat + 60 }),
    key.privateKey,
  );
}
