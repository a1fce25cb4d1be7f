import type { Messages } from '../i18n/messages.ts';
import { WalletApiError } from '../api/wallet-api.ts';

/** What the shopper reads about a failed action: the server's message, or ours for the network and the passkey. */
export function describeError(m: Messages, error: unknown): string {
  if (error instanceof WalletApiError) return error.code === 'network_error' ? m.errorNetwork : error.message || m.errorGeneric;
  const name = (error as Error)?.name;
  if (name === 'NotAllowedError' || name === 'AbortError') return m.errorPasskeyCancelled;
  if (name === 'NotSupportedError' || name === 'SecurityError') return m.errorPasskeyUnsupported;
  return m.errorGeneric;
}

/** The API's answer carries `code` (a `WalletApiError` with it). */
export const isApiError = (error: unknown, code: string): error is WalletApiError =>
  error instanceof WalletApiError && error.code === code;
