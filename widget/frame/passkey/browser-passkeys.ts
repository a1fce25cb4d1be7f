import type { Passkeys } from '../app/flow-deps.ts';
import { loadWebAuthn } from './load-webauthn.ts';

/** The passkey ceremonies of this browser, through @simplewebauthn/browser (loaded on first use). */
export const browserPasskeys: Passkeys = {
  warm() {
    // Failures retry on use.
    loadWebAuthn().catch(() => {});
  },
  async authenticate(optionsJSON) {
    return (await loadWebAuthn()).startAuthentication({ optionsJSON });
  },
  async register(optionsJSON) {
    return (await loadWebAuthn()).startRegistration({ optionsJSON });
  },
};
