import http from 'node:http';
import https from 'node:https';

/** One request as a bank adapter sends it: the whole body known up front, the whole answer read as text. */
export interface HttpExchangeRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** Covers connecting, sending and the whole answer. */
  timeoutMs: number;
}

export interface HttpExchangeAnswer {
  status: number;
  text: string;
}

/** The call got no answer in time; the outcome is unknown. `name` matches fetch's, which callers already test for. */
export class HttpExchangeTimeout extends Error {
  override readonly name = 'TimeoutError';
}

/** The bank answered with a redirect, which a payment call never follows (as fetch's `redirect: 'error'`). */
export class HttpExchangeRedirect extends Error {
  override readonly name = 'RedirectError';
  readonly code = 'ERR_REDIRECT';
}

/**
 * How long this side keeps an idle connection, below Node's default server keep-alive (5 s). Without it the agent
 * keeps idle sockets forever and ignores the server's `Keep-Alive: timeout=N` hint (Node applies the hint only to
 * shorten an agent timeout that is set), so a call sent just as the server closes the idle socket fails with
 * ECONNRESET — for a charge, an unknown outcome with no cause. With it the hint applies too: the socket is dropped
 * a second before the server's announced timeout.
 */
export const IDLE_SOCKET_MS = 4_000;

// Kept-alive connections, shared by every adapter of the process: a payment's bank call reuses a warm socket. Idle
// sockets do not keep the process alive (the agent unrefs them) and are closed before the server would close them.
const agentOptions = { keepAlive: true, timeout: IDLE_SOCKET_MS };
const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };

/**
 * One HTTP exchange with `node:http`/`node:https`, for the bank transport's calls on the payment path. It does what
 * the transport used `fetch` for with less work per call (undici's fetch sets up web streams, an AbortSignal and
 * header guards for every call; this sets up none of them). Rejects with the socket's own error
 * (`code` ECONNREFUSED, ECONNRESET, …), an `HttpExchangeTimeout`, or an `HttpExchangeRedirect` for a 3xx answer.
 */
export function httpExchange(url: URL, request: HttpExchangeRequest): Promise<HttpExchangeAnswer> {
  const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
  if (!client) return Promise.reject(new TypeError(`expected an http: or https: URL, received ${url.protocol}`));
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...request.headers };
    if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body);
    const outgoing = client.request(url, { method: request.method, headers, agent: agents[url.protocol as 'http:' | 'https:'] });
    const timer = setTimeout(() => outgoing.destroy(new HttpExchangeTimeout(`no answer within ${request.timeoutMs} ms`)), request.timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    outgoing.on('error', fail);
    outgoing.on('response', (incoming) => {
      const status = incoming.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        incoming.resume();
        outgoing.destroy(new HttpExchangeRedirect(`answered HTTP ${status} (a redirect, not followed)`));
        return;
      }
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', fail);
      // A connection cut mid-answer ends as `aborted`; the answer is incomplete, so its outcome is unknown.
      incoming.on('aborted', () => fail(Object.assign(new Error('the connection closed before the whole answer arrived'), { code: 'ECONNRESET' })));
      incoming.on('end', () => {
        if (!incoming.complete) return; // `aborted` said why
        clearTimeout(timer);
        resolve({ status, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    outgoing.end(request.body);
  });
}
