import { startRegistration } from '@simplewebauthn/browser';
import type { SessionResponse } from '../../shopper-api.ts';
import type { WalletApi } from '../api/wallet-api.ts';

/**
 * Creates the shopper and their passkey (user verification required by the server's options) and returns the
 * new session. Lazy-loaded with the registration form, so returning shoppers never download it.
 */
export async function registerPasskey(api: WalletApi, clientSecret: string, email: string): Promise<SessionResponse> {
  const { challengeId, options } = await api.registrationOptions(clientSecret, email);
  const response = await startRegistration({ optionsJSON: options });
  return api.register({ client_secret: clientSecret, challenge_id: challengeId, response });
}
