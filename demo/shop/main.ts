import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createShopApp } from './shop-app.ts';
import { createWalletClient } from './wallet-client.ts';

export interface DemoShopOptions {
  port: number;
  /** The Paykey wallet server, e.g. http://localhost:8787. */
  walletUrl: string;
  /** The merchant's secret key; only ever used server-side. */
  secretKey: string;
}

/** Starts the demo merchant on 127.0.0.1 (a different site from the wallet on purpose). */
export function startDemoShop(options: DemoShopOptions): Promise<{ url: string; close(): Promise<void> }> {
  const app = createShopApp({ wallet: createWalletClient(options.walletUrl, options.secretKey), walletUrl: options.walletUrl });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
    server.once('error', reject);
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const secretKey = process.env.PAYKEY_DEMO_SECRET_KEY;
  if (!secretKey) {
    console.error('demo shop: set PAYKEY_DEMO_SECRET_KEY to the demo merchant secret key (npm start does this for you).');
    process.exit(1);
  }
  const shop = await startDemoShop({
    port: Number(process.env.SHOP_PORT ?? 8789),
    walletUrl: process.env.PAYKEY_URL ?? `http://localhost:${process.env.PAYKEY_PORT ?? 8787}`,
    secretKey,
  });
  console.log(`Demo shop on ${shop.url}`);
}
