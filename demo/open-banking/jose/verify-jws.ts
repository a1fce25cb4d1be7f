/**
 * Reading and checking PS256 JSON Web Signatures, compact or detached. Each failure says what was expected
 * and what was received, and which part failed (`malformed`, `header`, `key`, `signature`), so a caller can
 * map it to its own error codes.
 */
import { constants, createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

export type JwsFailureKind = 'malformed' | 'missing_claim' | 'invalid_claim' | 'key' | 'signature';

export class JwsError extends Error {
  constructor(
    readonly kind: JwsFailureKind,
    message: string,
    /** The claim at fault, when there is one. */
    readonly claim?: string,
  ) {
    super(message);
    this.name = 'JwsError';
  }
}

export interface ParsedJws {
  header: Record<string, unknown>;
  protectedPart: string;
  /** Empty for a detached JWS. */
  payloadPart: string;
  signature: Buffer;
}

export function parseJws(text: string): ParsedJws {
  const parts = text.split('.');
  if (parts.length !== 3) {
    throw new JwsError('malformed', `expected a JWS of three dot-separated parts, received ${parts.length} part(s)`);
  }
  const [protectedPart, payloadPart, signaturePart] = parts;
  const b64u = /^[A-Za-z0-9_-]*$/;
  if (!protectedPart || !b64u.test(protectedPart) || !b64u.test(payloadPart) || !signaturePart || !b64u.test(signaturePart)) {
    throw new JwsError('malformed', 'expected base64url header, payload and signature parts, received other characters or an empty part');
  }
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(protectedPart, 'base64url').toString('utf8'));
  } catch {
    throw new JwsError('malformed', 'expected a protected header that decodes to JSON, received one that does not');
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new JwsError('malformed', 'expected the protected header to be a JSON object, received another JSON value');
  }
  return { header: header as Record<string, unknown>, protectedPart, payloadPart, signature: Buffer.from(signaturePart, 'base64url') };
}

/** Checks alg PS256 and a kid; returns the kid. */
export function requirePs256Kid(header: Record<string, unknown>): string {
  if (header.alg === undefined) throw new JwsError('missing_claim', 'expected the header claim alg (PS256), received none', 'alg');
  if (header.alg !== 'PS256') {
    throw new JwsError('invalid_claim', `expected alg PS256, received ${JSON.stringify(header.alg)}`, 'alg');
  }
  if (header.kid === undefined) throw new JwsError('missing_claim', 'expected the header claim kid, received none', 'kid');
  if (typeof header.kid !== 'string' || header.kid.length === 0) {
    throw new JwsError('invalid_claim', `expected kid to be a non-empty string, received ${JSON.stringify(header.kid)}`, 'kid');
  }
  return header.kid;
}

/**
 * Verifies the signature over `protected.payload`; for a detached JWS pass the payload bytes, which are
 * base64url-encoded here (no `b64: false`).
 */
export function verifyPs256(jws: ParsedJws, key: KeyObject, detachedPayload?: Uint8Array): void {
  const payloadPart = detachedPayload === undefined ? jws.payloadPart : Buffer.from(detachedPayload).toString('base64url');
  const ok = verify('sha256', Buffer.from(`${jws.protectedPart}.${payloadPart}`, 'ascii'), {
    key,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: 32,
  }, jws.signature);
  if (!ok) {
    throw new JwsError(
      'signature',
      detachedPayload === undefined
        ? 'expected a PS256 signature by the key named in kid, received one that does not verify'
        : 'expected a PS256 signature by the key named in kid over the exact request body, received one that does not verify',
    );
  }
}

/** Reads the JSON payload of a compact JWS (after verifyPs256). */
export function jwsPayloadJson(jws: ParsedJws): Record<string, unknown> {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(jws.payloadPart, 'base64url').toString('utf8'));
  } catch {
    throw new JwsError('malformed', 'expected a JWT payload that decodes to JSON, received one that does not');
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new JwsError('malformed', 'expected the JWT payload to be a JSON object, received another JSON value');
  }
  return payload as Record<string, unknown>;
}

export function publicKeyFromJwk(jwk: JsonWebKey): KeyObject {
  try {
    return createPublicKey({ key: jwk, format: 'jwk' });
  } catch (error) {
    throw new JwsError('key', `expected an RSA public JWK, received one node:crypto cannot read (${(error as Error).message})`);
  }
}
