/** Random, URL-safe identifiers and secrets for Meridian's resources. */
import { createHash, randomBytes } from 'node:crypto';

/** e.g. `pdc_3kq…` (at most 40 characters, the standard's limit for DomesticPaymentId). */
export function newId(prefix: 'pdc' | 'pmt' | 'az'): string {
  return `${prefix}_${randomBytes(18).toString('base64url')}`;
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
