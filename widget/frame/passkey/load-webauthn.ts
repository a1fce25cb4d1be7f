type WebAuthnBrowser = typeof import('@simplewebauthn/browser');

let loading: Promise<WebAuthnBrowser> | undefined;

/**
 * @simplewebauthn/browser, loaded on first use (or prefetched once the frame is ready): no ceremony can start before
 * a click, so it need not weigh on the first screen. A failed download is retried on the next call.
 */
export function loadWebAuthn(): Promise<WebAuthnBrowser> {
  loading ??= import('@simplewebauthn/browser').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
