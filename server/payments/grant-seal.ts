import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { BankAccessGrant } from '../adapters/open-banking/bank-access-grant.ts';
import type { AccountPaymentAuthorization } from '../adapters/open-banking/account-payment-adapter.ts';

/**
 * Seals the shopper's grant to pay one consent (AES-256-GCM, bound to the account payment's id) so an outbox
 * worker can replay a submission whose answer was lost, even after a crash. The key is derived (HKDF-SHA256) from
 * the wallet's Open Banking signing key, which lives outside the database: a database dump alone opens nothing.
 */
export interface GrantSeal {
  seal(attemptId: string, grant: AccountPaymentAuthorization): string;
  open(attemptId: string, sealed: string): AccountPaymentAuthorization;
}

export function createGrantSeal(signingKey: KeyObject): GrantSeal {
  const secret = signingKey.export({ type: 'pkcs8', format: 'der' });
  const key = Buffer.from(hkdfSync('sha256', secret, 'paykey', 'account-payment-grant-v1', 32));
  return {
    seal(attemptId, grant) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(attemptId));
      const plain = JSON.stringify({ consentId: grant.consentId, accessToken: grant.accessToken(), expiresAt: grant.expiresAt.toISOString() });
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url')).join('.');
    },
    open(attemptId, sealed) {
      const [iv, tag, body] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
      const decipher = createDecipheriv('aes-256-gcm', key, iv!).setAAD(Buffer.from(attemptId)).setAuthTag(tag!);
      const plain = Buffer.concat([decipher.update(body!), decipher.final()]).toString('utf8');
      return BankAccessGrant.restore(JSON.parse(plain) as { consentId: string; accessToken: string; expiresAt: string });
    },
  };
}
