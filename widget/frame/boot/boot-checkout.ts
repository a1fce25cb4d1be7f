/**
 * The checkout request, sent by the page's inline boot (`frame-boot.ts`) the moment the loader's `init` comes, while
 * the frame's module still downloads and compiles; the module's API client (`early-start.ts`) then takes its answer
 * instead of asking again. It is the request `WalletApi.checkout` sends: the same URL and the same body, byte for
 * byte (the client takes the boot's answer only when both match, so a drift costs one more request, never a wrong
 * answer).
 */
export interface BootCheckout {
  readonly body: string;
  readonly response: Promise<Response>;
}

export const CHECKOUT_URL = '/api/frame/checkout';

/** The payment intent the frame's URL names (`/frame/<id>`). */
export const intentIdFromPath = (path: string): string | null => /\/frame\/([^/]+)\/?$/.exec(path)?.[1] ?? null;

/**
 * Asks for the checkout of `data` if it is an `init` whose client secret is one of the intent the frame's URL names
 * (`<intent id>_secret_…`; the wallet refuses any other, a confused or hostile embedder's, unasked). `data` came from
 * the parent at the page's origin but is not yet checked as the frame's channel checks messages: only its type and
 * client secret are read.
 */
export function askForCheckout(win: Window, data: unknown): BootCheckout | undefined {
  const { type, clientSecret } = (data ?? {}) as { type?: unknown; clientSecret?: unknown };
  if (type !== 'init' || typeof clientSecret !== 'string' || !clientSecret.startsWith(`${intentIdFromPath(win.location.pathname)}_secret_`)) return;
  const body = JSON.stringify({ client_secret: clientSecret });
  const response = win.fetch(CHECKOUT_URL, { method: 'POST', headers: { 'content-type': 'application/json' }, body, credentials: 'omit' });
  response.catch(() => {}); // The module's client reports a failure when it takes the answer; none is left unhandled meanwhile.
  return { body, response };
}
