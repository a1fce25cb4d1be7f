/**
 * Answers of the Open Banking API: JSON as `application/json; charset=utf-8`, signed with the bank's key
 * (x-jws-signature: detached PS256 over the exact body, with the standard's iat/iss/tan claims), and always
 * carrying x-fapi-interaction-id.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import type { BankSigningKey } from '../jose/bank-signing-key.ts';
import { signDetachedJws } from '../jose/sign-jws.ts';
import { ObError, obError, OB_ERROR_CODES } from './ob-error.ts';

/** The `http://openbanking.org.uk/iss` of Meridian's signatures (an ASPSP signs as its organisation). */
export const MERIDIAN_ORG_ID = 'meridian-bank-sandbox';
/** The trust anchor Meridian and its clients name in `http://openbanking.org.uk/tan`. */
export const MERIDIAN_TRUST_ANCHOR = 'sandbox.paykey.dev';

export interface ObResponder {
  json(c: Context, status: number, body: unknown): Response;
  error(c: Context, error: ObError): Response;
  /** 500 U000: the outcome is unknown to the caller. */
  unexpected(c: Context, message: string): Response;
}

export function createObResponder(key: BankSigningKey): ObResponder {
  const interactionId = (c: Context): string => {
    let id = c.get('interactionId') as string | undefined;
    if (!id) {
      id = randomUUID();
      c.set('interactionId', id);
    }
    return id;
  };

  const responder: ObResponder = {
    json(c, status, body) {
      const text = JSON.stringify(body);
      const signature = signDetachedJws(
        {
          alg: 'PS256',
          kid: key.kid,
          typ: 'JOSE',
          cty: 'application/json',
          'http://openbanking.org.uk/iat': Math.floor(Date.now() / 1000),
          'http://openbanking.org.uk/iss': MERIDIAN_ORG_ID,
          'http://openbanking.org.uk/tan': MERIDIAN_TRUST_ANCHOR,
          crit: ['http://openbanking.org.uk/iat', 'http://openbanking.org.uk/iss', 'http://openbanking.org.uk/tan'],
        },
        text,
        key.privateKey,
      );
      return new Response(text, {
        status,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'x-fapi-interaction-id': interactionId(c),
          'x-jws-signature': signature,
        },
      });
    },
    error(c, error) {
      if (!error.hasBody) {
        return new Response(null, { status: error.status, headers: { 'x-fapi-interaction-id': interactionId(c) } });
      }
      return responder.json(c, error.status, error.body(interactionId(c)));
    },
    unexpected(c, message) {
      return responder.error(c, obError(500, OB_ERROR_CODES.UnexpectedError, message));
    },
  };
  return responder;
}
