import { createHash } from 'node:crypto';

/**
 * CSP sources for the inline scripts of a page the wallet built itself (`frame.html`): `'sha256-<base64>'` of each
 * `<script>` element's text, exactly as it is between its tags, which is what a browser hashes. Scripts with a `src`
 * are not inline and are left to `'self'`.
 */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const [, attributes, text] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    if (/\bsrc\s*=/i.test(attributes!)) continue;
    hashes.push(`'sha256-${createHash('sha256').update(text!, 'utf8').digest('base64')}'`);
  }
  return hashes;
}
