/**
 * Middleware: applies the fault rules switched on over `/admin/faults` to the API and /token. It sits
 * outside the spec validator, so the bank's own answer is validated first and the fault then breaks it
 * on purpose, as a broken proxy or network would. Logs one line per fault (never a body).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Context, MiddlewareHandler } from 'hono';
import { obRouteOf } from './fault-rule.ts';
import type { ObFaultStore } from './fault-store.ts';

export interface ObFaultInjectorOptions {
  store: ObFaultStore;
  apiRoot: string;
  /** The answer for error_before and error_after: a signed 500 OBErrorResponse1. */
  unavailable: (c: Context) => Response;
  log?: (line: string) => void;
}

const BAD_GATEWAY_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';

export function obFaultInjector({ store, apiRoot, unavailable, log = (line) => console.error(line) }: ObFaultInjectorOptions): MiddlewareHandler {
  return async function injectObFaults(c, next) {
    const route = obRouteOf(c.req.method, c.req.path, apiRoot);
    const rule = route && store.pick(route);
    if (!rule) return next();
    log(`Meridian Bank: fault ${rule.kind} on ${c.req.method} ${c.req.path} (rule ${rule.id})`);
    switch (rule.kind) {
      case 'latency':
        await sleep(rule.ms ?? 0);
        return next();
      case 'error_before':
        return unavailable(c);
      case 'error_after':
        await next();
        replaceResponse(c, unavailable(c));
        return;
      case 'bad_gateway_after':
        await next();
        replaceResponse(c, new Response(BAD_GATEWAY_HTML, { status: 502, headers: { 'content-type': 'text/html' } }));
        return;
      case 'garbled_after': {
        await next();
        const text = await c.res.text();
        const cut = text.length > 8 ? text.slice(0, Math.floor(text.length / 2)) : '{"Data":';
        replaceResponse(c, new Response(cut, { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } }));
        return;
      }
      case 'drop_after': {
        await next();
        const socket = ((c.env ?? {}) as { incoming?: { socket?: { destroy(): void } } }).incoming?.socket;
        if (!socket) throw new Error('drop_after needs the raw socket (c.env.incoming from @hono/node-server)');
        socket.destroy();
        replaceResponse(c, new Response(null, { headers: { 'x-hono-already-sent': 'true' } }));
        return;
      }
    }
  };
}

function replaceResponse(c: Context, response: Response): void {
  c.res = undefined;
  c.res = response;
}
