/**
 * A software passkey authenticator for server tests: real P-256 keys and real
 * signatures, so the server's actual verification code runs. It builds what a
 * browser + platform authenticator would return: attestation "none"
 * registrations and assertions, with clientDataJSON carrying crossOrigin and
 * topOrigin as Chromium does inside a cross-origin iframe.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

export interface CeremonyContext {
  /** The frame's origin (the wallet). */
  origin: string;
  /** The embedding page; set for a cross-origin iframe, omitted for a top-level page. */
  topOrigin?: string;
  /** Default true; false leaves the UV flag clear. */
  userVerified?: boolean;
  /** Default true; false leaves the UP flag clear (an authenticator that signs without a touch). */
  userPresent?: boolean;
  /** BE: the credential may be synced (a multi-device passkey). Default false. */
  backupEligible?: boolean;
  /** BS: the credential is backed up. Default false; without `backupEligible` it breaks WebAuthn §6.1 on purpose. */
  backupState?: boolean;
  /** Overrides crossOrigin in the client data (default: whether `topOrigin` is set). */
  crossOrigin?: boolean;
  /** Overrides the client data type ('webauthn.create' / 'webauthn.get'). */
  type?: string;
}

interface StoredKey {
  id: Buffer;
  rpId: string;
  userHandle: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  counter: number;
}

export class SoftwareAuthenticator {
  readonly credentials: StoredKey[] = [];

  /** navigator.credentials.create() */
  createCredential(options: PublicKeyCredentialCreationOptionsJSON, ctx: CeremonyContext): RegistrationResponseJSON {
    const rpId = options.rp.id!;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const key: StoredKey = { id: randomBytes(16), rpId, userHandle: options.user.id, privateKey, publicKey, counter: 0 };
    this.credentials.push(key);

    const clientDataJSON = clientData(ctx.type ?? 'webauthn.create', options.challenge, ctx);
    const attestedCredentialData = Buffer.concat([
      Buffer.alloc(16), // AAGUID: none
      u16(key.id.length),
      key.id,
      coseKey(publicKey),
    ]);
    const authData = Buffer.concat([
      sha256(rpId),
      Buffer.from([flagsOf(ctx) | FLAG_AT]),
      u32(key.counter),
      attestedCredentialData,
    ]);
    const attestationObject = cbor(new Map<string, unknown>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
    return {
      id: key.id.toString('base64url'),
      rawId: key.id.toString('base64url'),
      type: 'public-key',
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        attestationObject: attestationObject.toString('base64url'),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /**
   * navigator.credentials.get(): uses the first allowed credential it holds,
   * or (empty allowCredentials) its first discoverable one for the rpId, or
   * the one named by `credentialId`.
   */
  getAssertion(
    options: PublicKeyCredentialRequestOptionsJSON,
    ctx: CeremonyContext & { credentialId?: string },
  ): AuthenticationResponseJSON {
    const rpId = options.rpId!;
    const allowed = (options.allowCredentials ?? []).map((c) => c.id);
    const key = this.credentials.find(
      (k) =>
        k.rpId === rpId &&
        (ctx.credentialId ? k.id.toString('base64url') === ctx.credentialId : allowed.length === 0 || allowed.includes(k.id.toString('base64url'))),
    );
    if (!key) throw new Error('NotAllowedError: no matching credential on this authenticator');
    key.counter += 1;
    const clientDataJSON = clientData(ctx.type ?? 'webauthn.get', options.challenge, ctx);
    const authData = Buffer.concat([
      sha256(rpId),
      Buffer.from([flagsOf(ctx)]),
      u32(key.counter),
    ]);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), key.privateKey); // DER ECDSA
    return {
      id: key.id.toString('base64url'),
      rawId: key.id.toString('base64url'),
      type: 'public-key',
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        signature: signature.toString('base64url'),
        userHandle: key.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }
}

/** The authenticator data flags a ceremony context asks for (AT added by registration). */
function flagsOf(ctx: CeremonyContext): number {
  return (
    (ctx.userPresent === false ? 0 : FLAG_UP) |
    (ctx.userVerified === false ? 0 : FLAG_UV) |
    (ctx.backupEligible ? FLAG_BE : 0) |
    (ctx.backupState ? FLAG_BS : 0)
  );
}

function clientData(type: string, challenge: string, ctx: CeremonyContext): Buffer {
  const data: Record<string, unknown> = { type, challenge, origin: ctx.origin, crossOrigin: ctx.crossOrigin ?? ctx.topOrigin !== undefined };
  if (ctx.topOrigin !== undefined) data.topOrigin = ctx.topOrigin;
  return Buffer.from(JSON.stringify(data));
}

/** COSE_Key for an ES256 P-256 public key: {1: 2, 3: -7, -1: 1, -2: x, -3: y}. */
function coseKey(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  return cbor(
    new Map<number, unknown>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x!, 'base64url')],
      [-3, Buffer.from(jwk.y!, 'base64url')],
    ]),
  );
}

/** The CBOR subset WebAuthn needs: integers, byte strings, text strings, maps. */
function cbor(value: unknown): Buffer {
  if (typeof value === 'number') {
    return value >= 0 ? head(0, value) : head(1, -1 - value);
  }
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Map) {
    const parts = [head(5, value.size)];
    for (const [k, v] of value) parts.push(cbor(k), cbor(v));
    return Buffer.concat(parts);
  }
  throw new TypeError(`cbor: unsupported value ${String(value)}`);
}

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) return Buffer.concat([Buffer.from([(major << 5) | 25]), u16(n)]);
  return Buffer.concat([Buffer.from([(major << 5) | 26]), u32(n)]);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function sha256(data: string | Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}
