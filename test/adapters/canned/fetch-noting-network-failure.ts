/**
 * The real fetch, for the recording fetches: when it fails, `onFailure` is told what the fixture records — `timeout`
 * (the caller's abort signal), or the network error's code — and the error is rethrown to the adapter.
 */
export async function fetchNotingNetworkFailure(
  input: string | URL | Request,
  init: RequestInit | undefined,
  onFailure: (network: string) => void,
): Promise<Response> {
  try {
    return await fetch(input, init);
  } catch (error) {
    const name = (error as { name?: string }).name;
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    onFailure(name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : String(code ?? 'network error'));
    throw error;
  }
}
