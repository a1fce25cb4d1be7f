import { isWholeTable, type FirstScreenMessages } from '../i18n/messages.ts';
import { WalletApiError } from '../api/wallet-api.ts';

/**
 * What the shopper reads for a code the server answered with: its (English) message in English, our own table's text
 * in other languages (else `fallback`, in the shopper's language): every string a shopper reads is in their language.
 * The codes' texts come with the whole table: on the first screen's part alone (`FlowState.m` until the whole table
 * has loaded; the flow waits for it where it can) a code reads as `fallback`.
 */
export function messageForCode(m: FirstScreenMessages, code: string | undefined, serverMessage: string | undefined, fallback = m.errorGeneric): string {
  if (m.showsServerMessages && serverMessage) return serverMessage;
  const texts: Record<string, string> | undefined = isWholeTable(m) ? m.codeMessages : undefined;
  return (code && texts && Object.hasOwn(texts, code) ? texts[code] : undefined) ?? fallback;
}

/** What the shopper reads about a failed action: the server's message (see `messageForCode`), or ours for the network and the passkey. */
export function describeError(m: FirstScreenMessages, error: unknown): string {
  if (error instanceof WalletApiError) return error.code === 'network_error' ? m.errorNetwork : messageForCode(m, error.code, error.message);
  const name = (error as Error)?.name;
  if (name === 'NotAllowedError' || name === 'AbortError') return m.errorPasskeyCancelled;
  if (name === 'NotSupportedError' || name === 'SecurityError') return m.errorPasskeyUnsupported;
  return m.errorGeneric;
}

/** The API's answer carries `code` (a `WalletApiError` with it). */
export const isApiError = (error: unknown, code: string): error is WalletApiError =>
  error instanceof WalletApiError && error.code === code;
