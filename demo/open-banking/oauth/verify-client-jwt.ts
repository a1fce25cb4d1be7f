/**
 * Verifies a JWT a registered client signed with its own key (PS256, `kid` from its JWKS): client assertions
 * at /token (private_key_jwt) and request objects at /authorize. Checks iss (the client), aud (Meridian's
 * issuer or the given endpoint) and exp (in the future, at most an hour ahead).
 */
import type { ClientKeyResolver } from '../jose/client-key-resolver.ts';
import { jwsPayloadJson, parseJws, requirePs256Kid, verifyPs256 } from '../jose/verify-jws.ts';
import type { RegisteredClient } from './client-registry.ts';

export class ClientJwtError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClientJwtError';
  }
}

export async function verifyClientJwt(options: {
  jwt: string;
  client: RegisteredClient;
  resolveKey: ClientKeyResolver;
  /** Accepted audiences (any one). */
  audiences: string[];
  now: Date;
  what: string;
}): Promise<Record<string, unknown>> {
  const { jwt, client, resolveKey, audiences, now, what } = options;
  try {
    const jws = parseJws(jwt);
    if (jws.payloadPart === '') throw new ClientJwtError(`${what}: expected a compact JWT with its payload, received a detached JWS`);
    const kid = requirePs256Kid(jws.header);
    verifyPs256(jws, await resolveKey(client, kid));
    const claims = jwsPayloadJson(jws);
    if (claims.iss !== client.clientId) {
      throw new ClientJwtError(`${what}: expected iss ${client.clientId}, received ${JSON.stringify(claims.iss)}`);
    }
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.some((a) => typeof a === 'string' && audiences.includes(a))) {
      throw new ClientJwtError(`${what}: expected aud ${audiences.join(' or ')}, received ${JSON.stringify(claims.aud)}`);
    }
    const seconds = now.getTime() / 1000;
    if (typeof claims.exp !== 'number' || claims.exp <= seconds || claims.exp > seconds + 3_600) {
      throw new ClientJwtError(`${what}: expected exp within the next hour, received ${JSON.stringify(claims.exp)}`);
    }
    return claims;
  } catch (error) {
    if (error instanceof ClientJwtError) throw error;
    throw new ClientJwtError(`${what}: ${(error as Error).message}`);
  }
}
