/**
 * PS256 JSON Web Signatures (RFC 7515) with node:crypto: compact JWTs (client assertions, request objects) and
 * detached JWS (`header..signature`) over the base64url-encoded payload — the Open Banking profile since v3.1.4
 * (v4.0 included): no `b64` claim.
 */
import { constants, sign, verify, type KeyObject } from 'node:crypto';

export type JoseHeader = Record<string, unknown> & { alg: 'PS256'; kid: string };

const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } as const;

export function base64url(data: Uint8Array | string): string {
  return (typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data)).toString('base64url');
}

function ps256(signingInput: string, privateKey: KeyObject): string {
  return sign('sha256', Buffer.from(signingInput, 'ascii'), { key: privateKey, ...PSS }).toString('base64url');
}

export function signCompactJws(header: JoseHeader, payload: Uint8Array | string, privateKey: KeyObject): string {
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(payload)}`;
  return `${signingInput}.${ps256(signingInput, privateKey)}`;
}

export function signDetachedJws(header: JoseHeader, payload: Uint8Array | string, privateKey: KeyObject): string {
  const protectedPart = base64url(JSON.stringify(header));
  return `${protectedPart}..${ps256(`${protectedPart}.${base64url(payload)}`, privateKey)}`;
}

export interface DetachedJws {
  header: Record<string, unknown>;
  protectedPart: string;
  signature: Buffer;
}

/** A detached JWS taken apart; a string saying what is wrong when it is not one. */
export function parseDetachedJws(text: string): DetachedJws | string {
  const parts = text.split('.');
  if (parts.length !== 3) return `expected a detached JWS (header..signature), received ${parts.length} part(s)`;
  const [protectedPart, payloadPart, signaturePart] = parts;
  if (payloadPart !== '') return 'expected a detached JWS (header..signature), received one with a payload';
  const b64u = /^[A-Za-z0-9_-]+$/;
  if (!b64u.test(protectedPart) || !b64u.test(signaturePart)) return 'expected base64url header and signature parts, received other characters';
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(protectedPart, 'base64url').toString('utf8'));
  } catch {
    return 'expected a protected header that decodes to JSON, received one that does not';
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) return 'expected a JSON object header, received another JSON value';
  return { header: header as Record<string, unknown>, protectedPart, signature: Buffer.from(signaturePart, 'base64url') };
}

/** Whether `jws` is a PS256 signature by `publicKey` over exactly `payload`. */
export function verifyDetachedPs256(jws: DetachedJws, payload: Uint8Array, publicKey: KeyObject): boolean {
  try {
    return verify('sha256', Buffer.from(`${jws.protectedPart}.${base64url(payload)}`, 'ascii'), { key: publicKey, ...PSS }, jws.signature);
  } catch {
    return false;
  }
}
