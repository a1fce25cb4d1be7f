/**
 * The x-jws-signature of a request: a detached PS256 JWS over the base64url-encoded body, `kid` from the
 * wallet's JWKS, the critical claims iat (now), iss (our client id) and tan (the trust anchor). No `b64` claim.
 */
import { OB_CRIT, OB_IAT, OB_ISS, OB_TAN } from './open-banking-claims.ts';
import { signDetachedJws } from './ps256-jws.ts';
import type { WalletSigningKey } from './wallet-signing-key.ts';

export function signRequestBody(body: string, key: WalletSigningKey, clientId: string, trustAnchor: string, now = new Date()): string {
  return signDetachedJws(
    {
      alg: 'PS256',
      kid: key.kid,
      typ: 'JOSE',
      cty: 'application/json',
      [OB_IAT]: Math.floor(now.getTime() / 1000),
      [OB_ISS]: clientId,
      [OB_TAN]: trustAnchor,
      crit: [...OB_CRIT],
    },
    body,
    key.privateKey,
  );
}
