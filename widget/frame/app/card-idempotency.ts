/**
 * Idempotency keys for adding cards: the same key for a resubmission of the same details (say, after a lost answer),
 * a new one for other details. Only a digest of the last details is kept, never the details themselves.
 */
export class CardIdempotency {
  private last?: { digest: string; key: string };

  async keyFor(details: object): Promise<string> {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(details)));
    const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
    if (this.last?.digest !== hex) this.last = { digest: hex, key: crypto.randomUUID() };
    return this.last.key;
  }
}
