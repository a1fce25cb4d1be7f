import type { ErrorCode } from '../../error-codes.ts';

/**
 * A code read off a wallet-API answer, as the frame may pass it on: itself if the server sends it (the one closed set
 * in `error-codes.ts`), else `bad_response` — the frame never relays a code Paykey does not have (a proxy's, say).
 * The set loads on demand, as only a failure needs it; if even that cannot be fetched, the network is the problem.
 */
export function serverCode(code: unknown): Promise<ErrorCode> {
  return import('../../error-codes.ts').then(
    ({ isServerErrorCode }) => (isServerErrorCode(code) ? code : 'bad_response'),
    () => 'network_error',
  );
}
