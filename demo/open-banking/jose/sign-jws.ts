/**
 * PS256 JSON Web Signatures (RFC 7515) with node:crypto: compact, and detached (`header..signature`, the
 * payload base64url-encoded as usual — the Read/Write API profile since v3.1.4, v4.0 included, has no `b64`
 * claim).
 */
import { constants, sign, type KeyObject } from 'node:crypto';

export type JoseHeader = Record<string, unknown> & { alg: 'PS256'; kid: string };

export function signCompactJws(header: JoseHeader, payload: Uint8Array | string, privateKey: KeyObject): string {
  const protectedPart = base64url(JSON.stringify(header));
  const payloadPart = base64url(payload);
  return `${protectedPart}.${payloadPart}.${ps256Sign(`${protectedPart}.${payloadPart}`, privateKey)}`;
}

export function signDetachedJws(header: JoseHeader, payload: Uint8Array | string, privateKey: KeyObject): string {
  const [protectedPart, , signature] = signCompactJws(header, payload, privateKey).split('.');
  return `${protectedPart}..${signature}`;
}

export function base64url(data: Uint8Array | string): string {
  return Buffer.from(typeof data === 'string' ? Buffer.from(data, 'utf8') : data).toString('base64url');
}

function ps256Sign(signingInput: string, privateKey: KeyObject): string {
  return sign('sha256', Buffer.from(signingInput, 'ascii'), {
    key: privateKey,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: 32,
  }).toString('base64url');
}
