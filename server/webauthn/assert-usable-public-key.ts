import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { decodeCredentialPublicKey } from '@simplewebauthn/server/helpers';
import { PaykeyError } from '../errors/paykey-error.ts';

/** COSE key parameters (RFC 9053): kty 1 OKP, 2 EC2, 3 RSA; labels -1, -2, -3 depend on kty. */
const EC2_CURVES: Record<number, string> = { 1: 'P-256', 2: 'P-384', 3: 'P-521' };
const OKP_CURVES: Record<number, string> = { 6: 'Ed25519' };

/**
 * Refuses a new credential whose public key could never verify a signature.
 * An attestation of format "none" is not signed, so `verifyRegistrationResponse`
 * accepts a truncated or mangled COSE key (e.g. a short `y`); storing it would
 * leave the shopper with an account whose only passkey can never sign in.
 * Importing the key with Node's crypto checks lengths and that an EC point is on its curve.
 */
export function assertUsablePublicKey(publicKey: Uint8Array<ArrayBuffer>): void {
  let jwk: JsonWebKey | undefined;
  try {
    jwk = toJwk(decodeCredentialPublicKey(publicKey) as unknown as Map<number, unknown>);
    if (jwk) createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    jwk = undefined;
  }
  if (!jwk) {
    throw new PaykeyError('invalid_passkey_response', 'The passkey response was rejected: its public key is malformed');
  }
}

function toJwk(cose: Map<number, unknown>): JsonWebKey | undefined {
  const bytes = (label: number) => {
    const value = cose.get(label);
    return value instanceof Uint8Array && value.length > 0 ? Buffer.from(value).toString('base64url') : undefined;
  };
  const kty = cose.get(1);
  if (kty === 2) {
    const crv = EC2_CURVES[cose.get(-1) as number];
    const x = bytes(-2);
    const y = bytes(-3);
    return crv && x && y ? { kty: 'EC', crv, x, y } : undefined;
  }
  if (kty === 1) {
    const crv = OKP_CURVES[cose.get(-1) as number];
    const x = bytes(-2);
    return crv && x ? { kty: 'OKP', crv, x } : undefined;
  }
  if (kty === 3) {
    const n = bytes(-1);
    const e = bytes(-2);
    return n && e ? { kty: 'RSA', n, e } : undefined;
  }
  return undefined;
}
