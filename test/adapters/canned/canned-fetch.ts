/**
 * A fetch that answers from recorded exchanges, in order, and checks each request
 * is the one recorded (method, path and query, idempotency key, JSON body): the
 * adapter's requests are tested as well as its reading of the answers.
 */
import assert from 'node:assert/strict';
import type { RecordedExchange } from './bank-exchange.ts';

export function cannedFetch(baseUrl: string, exchanges: readonly RecordedExchange[]): typeof fetch & { remaining(): number } {
  const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  let next = 0;
  const replay = async (input: string | URL | Request, init?: RequestInit) => {
    const exchange = exchanges[next];
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? 'GET';
    const path = `${url.pathname.slice(base.pathname.length)}${url.search}`;
    assert.ok(exchange, `expected no more requests, received ${method} /${path} (exchange ${next + 1}; ${exchanges.length} recorded)`);
    next += 1;
    const headers = new Headers(init?.headers);
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : null;
    assert.deepEqual(
      { method, path, idempotencyKey: headers.get('idempotency-key'), body },
      exchange.request,
      `expected request ${next} to be the recorded one`,
    );
    assert.ok(headers.get('authorization')?.startsWith('Bearer '), 'expected an Authorization: Bearer header');
    const { response } = exchange;
    if ('network' in response) {
      if (response.network === 'timeout') throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: response.network }) });
    }
    return new Response(response.body, { status: response.status, headers: response.contentType ? { 'content-type': response.contentType } : {} });
  };
  return Object.assign(replay as typeof fetch, { remaining: () => exchanges.length - next });
}
