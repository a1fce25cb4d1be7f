/**
 * The bench's own web server on 127.0.0.1 (another site than the wallet on `localhost`):
 * - `/merchant`: a merchant's checkout page, the wallet's `/paykey.js` in its head and nothing else; the bench inserts
 *   `<paykey-checkout>` (or a blank iframe) itself, so the timed interval starts at a known moment;
 * - `/peers/<adyen|braintree>`: a page loading a peer's bundle (one script, one stylesheet), and the bundle's files
 *   under `/peers/<key>/files/`, served exactly as the wallet serves its own assets — the wallet's own
 *   `compressedAssets`/`sendAsset` (brotli q11 or gzip 9 as Accept-Encoding prefers, immutable cache).
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { compressedAssets, sendAsset } from '../../server/http/compressed-asset.ts';
import type { PeerBundle, PeerKey } from './peers/bundle-peers.ts';

export interface BenchPageServer {
  origin: string;
  /** The page that loads `peer`'s bundle, and the path prefix its files are served under. */
  peerPage(peer: PeerKey): { url: string; filesPrefix: string };
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

export async function startBenchPageServer(options: { port: number; walletOrigin: string; peers?: Record<PeerKey, PeerBundle> }): Promise<BenchPageServer> {
  const app = new Hono();
  const assets = compressedAssets();
  const merchantHtml = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bench merchant</title>
<script type="module" src="${options.walletOrigin}/paykey.js"></script></head>
<body><main id="checkout"></main></body></html>`;
  app.get('/merchant', (c) => c.html(merchantHtml, 200, { 'cache-control': 'no-store' }));

  const peers = options.peers;
  app.get('/peers/:key', (c) => {
    const bundle = peers?.[c.req.param('key') as PeerKey];
    if (!bundle) return c.text('no such peer', 404);
    const base = `/peers/${c.req.param('key')}/files`;
    return c.html(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${bundle.name}</title>
<link rel="stylesheet" href="${base}/${bundle.stylesheet}"><script type="module" src="${base}/${bundle.script}"></script></head>
<body><main id="checkout"></main></body></html>`,
      200,
      { 'cache-control': 'no-store' },
    );
  });
  app.get('/peers/:key/files/:file', async (c) => {
    const bundle = peers?.[c.req.param('key') as PeerKey];
    const file = c.req.param('file');
    if (!bundle || (file !== bundle.script && file !== bundle.stylesheet)) return c.text('no such file', 404);
    const type = TYPES[file.slice(file.lastIndexOf('.'))]!;
    return sendAsset(c, await assets.read(join(bundle.dir, file), type), { contentType: type, cacheControl: 'public, max-age=31536000, immutable' });
  });

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: '127.0.0.1' }, () => resolve(s));
    s.once('error', reject);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    peerPage: (peer) => ({ url: `${origin}/peers/${peer}`, filesPrefix: `/peers/${peer}/files/` }),
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
