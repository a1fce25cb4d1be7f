/**
 * Checks a request's x-jws-signature as the Read/Write API profile (v3.1.4 and later, v4.0 included) defines
 * it: a detached JWS, PS256, over the base64url-encoded request body, with `kid` naming a key of the client,
 * and the critical claims `http://openbanking.org.uk/iat` (not in the future), `.../iss` (the client's id)
 * and `.../tan` (the trust anchor). No `b64` claim: since v3.1.4 the standard forbids it.
 * Failures are 400 with the standard's codes: U018 malformed, U017 missing claim, U016 invalid claim (or a
 * kid that names no key), U015 a signature that does not verify.
 */
import type { ClientKeyResolver } from '../jose/client-key-resolver.ts';
import { JwsError, parseJws, requirePs256Kid, verifyPs256 } from '../jose/verify-jws.ts';
import type { RegisteredClient } from '../oauth/client-registry.ts';
import { obError, OB_ERROR_CODES, type ObError } from './ob-error.ts';
import { MERIDIAN_TRUST_ANCHOR } from './ob-responder.ts';

const IAT = 'http://openbanking.org.uk/iat';
const ISS = 'http://openbanking.org.uk/iss';
const TAN = 'http://openbanking.org.uk/tan';
/** Clock skew allowed for iat in the future. */
const SKEW_SECONDS = 60;

export async function verifyRequestSignature(options: {
  signature: string;
  body: Uint8Array;
  client: RegisteredClient;
  resolveKey: ClientKeyResolver;
  now: Date;
}): Promise<void> {
  const { signature, body, client, resolveKey, now } = options;
  try {
    const jws = parseJws(signature);
    if (jws.payloadPart !== '') {
      throw new JwsError('malformed', 'expected a detached JWS (header..signature), received one with the payload inside');
    }
    const kid = requirePs256Kid(jws.header);
    const header = jws.header;
    if ('b64' in header) {
      throw new JwsError('invalid_claim', `expected no b64 claim (the v4.0 profile signs the base64url-encoded body), received b64: ${JSON.stringify(header.b64)}`, 'b64');
    }
    if (header.crit === undefined) throw new JwsError('missing_claim', `expected crit listing ${IAT}, ${ISS}, ${TAN}, received none`, 'crit');
    const crit = Array.isArray(header.crit) ? header.crit : [];
    const missingCrit = [IAT, ISS, TAN].filter((claim) => !crit.includes(claim));
    if (missingCrit.length > 0) {
      throw new JwsError('invalid_claim', `expected crit to list ${missingCrit.join(', ')}, received ${JSON.stringify(header.crit)}`, 'crit');
    }
    for (const claim of [IAT, ISS, TAN]) {
      if (header[claim] === undefined) throw new JwsError('missing_claim', `expected the header claim ${claim}, received none`, claim);
    }
    const iat = header[IAT];
    if (typeof iat !== 'number' || !Number.isInteger(iat)) {
      throw new JwsError('invalid_claim', `expected ${IAT} to be a whole number of seconds, received ${JSON.stringify(iat)}`, IAT);
    }
    if (iat > now.getTime() / 1000 + SKEW_SECONDS) {
      throw new JwsError('invalid_claim', `expected ${IAT} not in the future, received ${new Date(iat * 1000).toISOString()}`, IAT);
    }
    if (header[ISS] !== client.clientId) {
      throw new JwsError('invalid_claim', `expected ${ISS} to be the client id ${client.clientId}, received ${JSON.stringify(header[ISS])}`, ISS);
    }
    if (header[TAN] !== MERIDIAN_TRUST_ANCHOR) {
      throw new JwsError('invalid_claim', `expected ${TAN} ${MERIDIAN_TRUST_ANCHOR}, received ${JSON.stringify(header[TAN])}`, TAN);
    }
    verifyPs256(jws, await resolveKey(client, kid), body);
  } catch (error) {
    if (error instanceof JwsError) throw toObError(error);
    throw error;
  }
}

function toObError(error: JwsError): ObError {
  const path = error.claim ? `x-jws-signature.${error.claim}` : 'x-jws-signature';
  switch (error.kind) {
    case 'malformed':
      return obError(400, OB_ERROR_CODES.SignatureMalformed, `x-jws-signature: ${error.message}`, 'x-jws-signature');
    case 'missing_claim':
      return obError(400, OB_ERROR_CODES.SignatureMissingClaim, `x-jws-signature: ${error.message}`, path);
    case 'invalid_claim':
    case 'key':
      return obError(400, OB_ERROR_CODES.SignatureInvalidClaim, `x-jws-signature: ${error.message}`, path);
    case 'signature':
      return obError(400, OB_ERROR_CODES.SignatureInvalid, `x-jws-signature: ${error.message}`, 'x-jws-signature');
  }
}
