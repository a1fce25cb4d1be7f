/**
 * Checks the bank's x-jws-signature on an answer: a detached PS256 JWS over the exact body bytes by a key of the
 * bank's JWKS, with the critical claims iat (not in the future beyond 5 minutes of skew), iss (the bank's
 * organisation id) and tan (the trust anchor). Returns `null` when it holds, else what is wrong.
 */
import type { BankJwksCache } from './bank-jwks-cache.ts';
import { OB_CRIT, OB_IAT, OB_ISS, OB_TAN } from './open-banking-claims.ts';
import { parseDetachedJws, verifyDetachedPs256 } from './ps256-jws.ts';

export interface BankSignatureExpectations {
  issuer: string;
  trustAnchor: string;
}

const SKEW_SECONDS = 300;

export async function checkBankSignature(
  signature: string | null,
  body: Uint8Array,
  jwks: BankJwksCache,
  expected: BankSignatureExpectations,
  now = new Date(),
): Promise<string | null> {
  if (!signature) return 'expected an x-jws-signature header, received none';
  const jws = parseDetachedJws(signature);
  if (typeof jws === 'string') return jws;
  const { header } = jws;
  if (header.alg !== 'PS256') return `expected alg PS256, received ${JSON.stringify(header.alg ?? null)}`;
  if ('b64' in header) return `expected no b64 claim, received b64: ${JSON.stringify(header.b64)}`;
  const crit = Array.isArray(header.crit) ? header.crit : [];
  const missing = OB_CRIT.filter((claim) => !crit.includes(claim));
  if (missing.length > 0) return `expected crit to list ${missing.join(', ')}, received ${JSON.stringify(header.crit ?? null)}`;
  if (header[OB_ISS] !== expected.issuer) return `expected ${OB_ISS} ${expected.issuer}, received ${JSON.stringify(header[OB_ISS] ?? null)}`;
  if (header[OB_TAN] !== expected.trustAnchor) return `expected ${OB_TAN} ${expected.trustAnchor}, received ${JSON.stringify(header[OB_TAN] ?? null)}`;
  const iat = header[OB_IAT];
  if (typeof iat !== 'number' || !Number.isInteger(iat) || iat > now.getTime() / 1000 + SKEW_SECONDS) {
    return `expected ${OB_IAT} to be whole seconds not in the future, received ${JSON.stringify(iat ?? null)}`;
  }
  if (typeof header.kid !== 'string') return `expected a kid, received ${JSON.stringify(header.kid ?? null)}`;
  const key = await jwks.key(header.kid);
  if (!key) return `expected kid to name a key of the bank's JWKS, received ${JSON.stringify(header.kid)}, which names none`;
  if (!verifyDetachedPs256(jws, body, key)) return 'expected a PS256 signature by the bank over the exact body, received one that does not verify';
  return null;
}
