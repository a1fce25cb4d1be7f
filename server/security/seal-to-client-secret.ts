import { createCipheriv, randomBytes } from 'node:crypto';

/** AES-GCM's recommended nonce: 96 bits, fresh for every seal. */
const IV_BYTES = 12;

/**
 * `text` sealed so that only the holder of the intent's client secret can read it: AES-256-GCM under the key
 * SHA-256(client secret), which is the digest the wallet keeps to find an intent by its secret
 * (`payment_intents.client_secret_hash`, hex) — so it needs no new secret, and whoever could read that column could
 * read the intent itself. A fresh random 96-bit nonce each time. Returns base64 of nonce ‖ ciphertext ‖ 16-byte tag,
 * what the frame's boot opens with WebCrypto (`widget/frame/boot/boot-checkout.ts`); a wrong secret, or any changed
 * byte, fails its tag there.
 */
export function sealToClientSecret(clientSecretHashHex: string, text: string): string {
  if (!/^[0-9a-f]{64}$/.test(clientSecretHashHex)) {
    throw new TypeError(`sealToClientSecret: expected a SHA-256 digest as 64 lowercase hex digits, received ${clientSecretHashHex.length} characters`);
  }
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(clientSecretHashHex, 'hex'), iv);
  return Buffer.concat([iv, cipher.update(text, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64');
}
