/**
 * The checkout the frame page holds, sealed by the server to the intent's client secret (`<body data-checkout>`,
 * `server/security/seal-to-client-secret.ts`): the page's inline boot (`frame-boot.ts`) opens it the moment the
 * loader's `init` brings that secret, while the frame's module still downloads and compiles, and the module's API
 * client (`early-start.ts`) takes it as the answer to its first checkout request, which then never leaves. Only the
 * holder of the client secret can read it: the page is served to anyone who knows the intent's id.
 */
export interface BootCheckout {
  /** The client secret it was opened with. */
  readonly clientSecret: string;
  /**
   * The checkout's JSON in its short form (`sealed-checkout-form.ts`, made whole by the module's client); it fails for
   * a wrong secret or a changed byte.
   */
  readonly json: Promise<ArrayBuffer>;
}

/** The payment intent the frame's URL names (`/frame/<id>`). */
export const intentIdFromPath = (path: string): string | null => /\/frame\/([^/]+)\/?$/.exec(path)?.[1] ?? null;

/**
 * Opens the page's sealed checkout if `data` is an `init` whose client secret is one of the intent the frame's URL
 * names (`<intent id>_secret_…`; the wallet refuses any other, a confused or hostile embedder's, unasked). Once per
 * page: the sealed checkout leaves the page as it is opened, so a later checkout asks the server. `data` came from the
 * parent at the page's origin but is not yet checked as the frame's channel checks messages: only its type and client
 * secret are read. AES-256-GCM under SHA-256(client secret); base64 of nonce (12 bytes) ‖ ciphertext ‖ tag.
 */
export function openCheckout(win: Window, data: unknown): BootCheckout | undefined {
  const { type, clientSecret } = (data ?? {}) as { type?: unknown; clientSecret?: unknown };
  const page = win.document.body;
  const sealed = page?.dataset.checkout;
  if (type !== 'init' || typeof clientSecret !== 'string' || !clientSecret.startsWith(`${intentIdFromPath(win.location.pathname)}_secret_`) || !sealed) return;
  delete page.dataset.checkout;
  const { subtle } = win.crypto;
  const json = subtle
    .digest('SHA-256', new TextEncoder().encode(clientSecret))
    .then((digest) => subtle.importKey('raw', digest, 'AES-GCM', false, ['decrypt']))
    .then((key) => {
      const bytes = Uint8Array.from(atob(sealed), (c) => c.charCodeAt(0));
      return subtle.decrypt({ name: 'AES-GCM', iv: bytes.subarray(0, 12) }, key, bytes.subarray(12));
    });
  json.catch(() => {}); // The module's client asks the server instead when it takes this; none is left unhandled meanwhile.
  return { clientSecret, json };
}
