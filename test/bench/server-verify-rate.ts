/**
 * The ceiling the payment rate is compared with, measured in the bench process: the bare
 * `verifyAuthenticationResponse` (everything @simplewebauthn/server does: parse, COSE key import, origin, top
 * origin, rpId hash, flags, counter, signature), one at a time, on a real assertion from the software authenticator
 * the shoppers use, checked as the wallet checks it; and the bare ES256 `crypto.verify` of the same signature.
 */
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { verifyAuthenticationResponse, verifyRegistrationResponse, type WebAuthnCredential } from '@simplewebauthn/server';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';

/** Calls made in a measured slice. */
export interface RateSlice {
  calls: number;
  elapsedMs: number;
}

export interface VerifyMeter {
  /** `verifyAuthenticationResponse` one at a time for `ms`. */
  verify(ms: number): Promise<RateSlice>;
  /** `crypto.verify` one at a time for `ms`. */
  cryptoVerify(ms: number): Promise<RateSlice>;
}

const ORIGIN = 'http://localhost:8787';
const TOP_ORIGIN = 'https://shop.bench.example';
const RP_ID = 'localhost';

/** A real registration and assertion, ready to be verified over and over. */
export async function createVerifyMeter(): Promise<VerifyMeter> {
  const authenticator = new SoftwareAuthenticator();
  const ctx = { origin: ORIGIN, topOrigin: TOP_ORIGIN };
  const registrationChallenge = randomBytes(32).toString('base64url');
  const registration = authenticator.createCredential(
    {
      challenge: registrationChallenge,
      rp: { id: RP_ID, name: 'bench' },
      user: { id: randomBytes(16).toString('base64url'), name: 'bench@bench.example', displayName: 'bench' },
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    },
    ctx,
  );
  const registered = await verifyRegistrationResponse({
    response: registration,
    expectedChallenge: registrationChallenge,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
    requireUserVerification: true,
  });
  if (!registered.verified) throw new Error('bench: expected the software passkey to register, it did not verify');
  const credential: WebAuthnCredential = registered.registrationInfo.credential;

  const challenge = randomBytes(32).toString('base64url');
  const response = authenticator.getAssertion({ challenge, rpId: RP_ID, allowCredentials: [{ id: credential.id, type: 'public-key' }] }, ctx);
  const verifyOnce = async () => {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
      expectedTopOrigin: [TOP_ORIGIN],
      credential,
      requireUserVerification: true,
    });
    if (!result.verified) throw new Error('bench: expected the assertion to verify, it did not');
  };

  // The same signature over the same bytes, with the key imported once (what a cache of key objects would leave).
  const authData = Buffer.from(response.response.authenticatorData, 'base64url');
  const signed = Buffer.concat([authData, createHash('sha256').update(Buffer.from(response.response.clientDataJSON, 'base64url')).digest()]);
  const signature = Buffer.from(response.response.signature, 'base64url');
  const publicKey = createPublicKey({ key: authenticator.credentials[0].publicKey.export({ format: 'jwk' }), format: 'jwk' });
  const cryptoVerifyOnce = async () => {
    if (!verify('sha256', signed, publicKey, signature)) throw new Error('bench: expected crypto.verify of the assertion to hold, it did not');
  };

  return { verify: (ms) => countCalls(verifyOnce, ms), cryptoVerify: (ms) => countCalls(cryptoVerifyOnce, ms) };
}

/** Rates over several slices: calls over the summed time. */
export function rateOf(slices: RateSlice[]): number {
  return (slices.reduce((sum, s) => sum + s.calls, 0) * 1000) / slices.reduce((sum, s) => sum + s.elapsedMs, 0);
}

/** One call at a time, as many as fit in `durationMs`. */
async function countCalls(call: () => Promise<void>, durationMs: number): Promise<RateSlice> {
  let calls = 0;
  const t0 = performance.now();
  const until = t0 + durationMs;
  let now = t0;
  while (now < until) {
    await call();
    calls += 1;
    now = performance.now();
  }
  return { calls, elapsedMs: now - t0 };
}
