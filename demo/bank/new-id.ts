/** A random, URL-safe id with a type prefix, e.g. `ch_3kq…`. */
import { randomBytes } from 'node:crypto';

export function newId(prefix: 'tok' | 'ch' | 're' | 'fxq' | 'ofr'): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`;
}
