/**
 * A merchant's webhook endpoint for tests: real HTTP on 127.0.0.1 that records
 * every request and answers as told (200, any status, or never).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  /** The raw body, as the receiver must verify it. */
  body: string;
  receivedAt: number;
}

/** `hang` keeps the request open without answering (until the receiver closes). */
export type ReceiverMode = number | 'hang';

export interface WebhookReceiver {
  url: string;
  requests: ReceivedWebhook[];
  /** How to answer from now on; default 200. */
  respondWith(mode: ReceiverMode): void;
  /** Resolves once `count` requests have arrived (fails after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(path = '/webhooks'): Promise<WebhookReceiver> {
  const requests: ReceivedWebhook[] = [];
  let mode: ReceiverMode = 200;
  const waiters = new Set<() => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now() });
      waiters.forEach((check) => check());
      if (mode === 'hang') return;
      res.writeHead(mode, { 'content-type': 'text/plain' }).end(mode < 300 ? 'ok' : 'not now');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    requests,
    respondWith(next) {
      mode = next;
    },
    waitFor(count, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (requests.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(requests.slice(0, count));
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} webhook requests within ${timeoutMs} ms, received ${requests.length}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
