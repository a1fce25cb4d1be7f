/**
 * Middleware: injects the faults switched on over `/admin/faults` into `/v1` calls.
 * The "after" kinds let the call be fully handled and committed (the money is
 * booked), then lie about it, as a broken proxy or network would.
 *
 * Logs one line per injected fault to stderr, never a request body (they carry card numbers).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Context, MiddlewareHandler } from 'hono';
import { apiErrorBody } from '../http/api-error.ts';
import type { BankRoute } from './fault-rule.ts';
import type { FaultStore } from './fault-store.ts';

export interface FaultInjectorOptions {
  store: FaultStore;
  /** Delivers a request to the whole app once more (the first delivery of a `duplicate`). */
  redeliver: (request: Request, env: object) => Response | Promise<Response>;
  log?: (line: string) => void;
  /** How the log line names the bank; default "sandbox bank". */
  bankName?: string;
}

/** Marks the env of a redelivered request, so it passes the injector untouched. */
const REDELIVERY = Symbol('sandbox bank redelivery');

const BAD_GATEWAY_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** The fault route of a request, or undefined for calls no rule can match. */
export function bankRouteOf(method: string, path: string): BankRoute | undefined {
  const read = method === 'GET' || method === 'HEAD';
  switch (path) {
    case '/v1/charges':
      return method === 'POST' ? 'charge' : read ? 'charge_lookup' : undefined;
    case '/v1/refunds':
      return method === 'POST' ? 'refund' : read ? 'refund_lookup' : undefined;
    case '/v1/tokens':
      return method === 'POST' ? 'token' : undefined;
    default:
      return undefined;
  }
}

export function faultInjector({ store, redeliver, log = (line) => console.error(line), bankName = 'sandbox bank' }: FaultInjectorOptions): MiddlewareHandler {
  return async function injectFaults(c, next) {
    const env = (c.env ?? {}) as Record<PropertyKey, unknown>;
    if (env[REDELIVERY]) return next();
    const route = bankRouteOf(c.req.method, c.req.path);
    const rule = route && store.pick(route);
    if (!rule) return next();
    log(`${bankName}: fault ${rule.kind} on ${c.req.method} ${c.req.path} (rule ${rule.id})`);

    switch (rule.kind) {
      case 'latency':
        await sleep(rule.ms ?? 0);
        return next();
      case 'timeout':
        // Read the body first: the caller will usually hang up during the hold.
        await bufferBody(c);
        await sleep(rule.ms ?? 0);
        return next();
      case 'error_before':
        return c.json(apiErrorBody('unavailable', 'the bank is temporarily unavailable; try again later'), 503);
      case 'error_after':
        await next();
        replaceResponse(c, new Response(BAD_GATEWAY_HTML, { status: 502, headers: { 'content-type': 'text/html' } }));
        return;
      case 'conflict_after':
        await next();
        replaceResponse(c, Response.json(apiErrorBody('conflict', 'upstream conflict'), { status: 409 }));
        return;
      case 'garbled_after': {
        await next();
        const text = await c.res.text();
        const cut = text.length > 8 ? text.slice(0, Math.floor(text.length / 2)) : '{"id":"';
        replaceResponse(c, new Response(cut, { status: 200, headers: { 'content-type': 'application/json' } }));
        return;
      }
      case 'drop_after': {
        await next();
        const socket = (env.incoming as { socket?: { destroy(): void } } | undefined)?.socket;
        if (!socket) throw new Error('drop_after needs the raw socket (c.env.incoming from @hono/node-server)');
        socket.destroy();
        // Tells @hono/node-server the answer is already dealt with: it writes nothing.
        replaceResponse(c, new Response(null, { headers: { 'x-hono-already-sent': 'true' } }));
        return;
      }
      case 'duplicate': {
        const body = await bufferBody(c);
        const first = await redeliver(
          new Request(c.req.url, { method: c.req.method, headers: c.req.raw.headers, body }),
          { ...env, [REDELIVERY]: true },
        );
        await first.arrayBuffer();
        return next();
      }
    }
  };
}

/** Reads (and caches, for the handler) the request body; undefined for GET/HEAD. */
async function bufferBody(c: Context): Promise<ArrayBuffer | undefined> {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return undefined;
  return c.req.arrayBuffer();
}

/** Swaps the answer wholesale (assigning over an existing c.res would merge the old headers in). */
function replaceResponse(c: Context, response: Response): void {
  c.res = undefined;
  c.res = response;
}
