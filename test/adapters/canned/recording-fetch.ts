/** A fetch that passes every call on to the real one and records the exchange (without the Authorization header). */
import type { RecordedExchange, RecordedRequest } from './bank-exchange.ts';
import { fetchNotingNetworkFailure } from './fetch-noting-network-failure.ts';

export function recordingFetch(baseUrl: string, into: RecordedExchange[]): typeof fetch {
  const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init?.headers);
    const text = typeof init?.body === 'string' ? init.body : undefined;
    const request: RecordedRequest = {
      method: init?.method ?? 'GET',
      path: `${url.pathname.slice(base.pathname.length)}${url.search}`,
      idempotencyKey: headers.get('idempotency-key'),
      body: text === undefined ? null : JSON.parse(text),
    };
    const response = await fetchNotingNetworkFailure(input, init, (network) => into.push({ request, response: { network } }));
    const body = await response.text();
    into.push({ request, response: { status: response.status, contentType: response.headers.get('content-type'), body } });
    return new Response(body, { status: response.status, headers: response.headers });
  };
}
