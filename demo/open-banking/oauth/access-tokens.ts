/**
 * Bearer access tokens: random, stored only as SHA-256 hashes. client_credentials tokens (consents and
 * look-ups) live an hour; authorization_code tokens are bound to the one consent the shopper approved.
 */
import { newSecret, sha256Hex } from '../new-id.ts';
import type { MeridianLedger } from '../ledger/open-meridian-ledger.ts';

export interface AccessToken {
  clientId: string;
  consentId: string | null;
}

export async function issueAccessToken(
  ledger: MeridianLedger,
  grant: AccessToken & { expiresInSeconds: number; now: Date },
): Promise<string> {
  const token = newSecret();
  await ledger
    .insertInto('access_tokens')
    .values({
      token_hash: sha256Hex(token),
      client_id: grant.clientId,
      consent_id: grant.consentId,
      expires_at: new Date(grant.now.getTime() + grant.expiresInSeconds * 1000).toISOString(),
    })
    .execute();
  return token;
}

/** The token's grant, or undefined when it is unknown or expired. */
export async function findAccessToken(ledger: MeridianLedger, token: string, now: Date): Promise<AccessToken | undefined> {
  const row = await ledger.selectFrom('access_tokens').selectAll().where('token_hash', '=', sha256Hex(token)).executeTakeFirst();
  if (!row || row.expires_at <= now.toISOString()) return undefined;
  return { clientId: row.client_id, consentId: row.consent_id };
}
