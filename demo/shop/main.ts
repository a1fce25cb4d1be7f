import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { registerWebhookEndpoint } from './register-webhook-endpoint.ts';
import { createShopApp } from './shop-app.ts';
import { createWalletClient } from './wallet-client.ts';

export interface DemoShopOptions {
  port: number;
  /** The Paykey wallet server, e.g. http://localhost:8787. */
  walletUrl: string;
  /** The merchant's secret key; only ever used server-side. */
  secretKey: string;
}

export interface DemoShop {
  url: string;
  /** Where Paykey POSTs the shop's events, once registered. */
  webhookUrl: string;
  /** Why the webhook endpoint could not be registered (the shop then relies on its GET check alone). */
  webhookError?: string;
  close(): Promise<void>;
}

/**
 * Starts the demo merchant on 127.0.0.1 (a different site from the wallet on
 * purpose), then registers its webhook endpoint with Paykey.
 */
export async function startDemoShop(options: DemoShopOptions): Promise<DemoShop> {
  const wallet = createWalletClient(options.walletUrl, options.secretKey);
  let webhookSecret: string | undefined;
  const app = createShopApp({ wallet, walletUrl: options.walletUrl, webhookSecret: () => webhookSecret });
  const { port, close } = await new Promise<{ port: number; close(): Promise<void> }>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      resolve({ port: info.port, close: () => new Promise<void>((done) => server.close(() => done())) });
    });
    server.once('error', reject);
  });
  const url = `http://127.0.0.1:${port}`;
  const webhookUrl = `${url}/webhooks/paykey`;
  try {
    webhookSecret = (await registerWebhookEndpoint(wallet, webhookUrl)).secret;
    return { url, webhookUrl, close };
  } catch (error) {
    return { url, webhookUrl, webhookError: error instanceof Error ? error.message : String(error), close };
  }
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
  console.log(shop.webhookError ? `Webhooks not registered (${shop.webhookError})` : `Paykey webhooks go to ${shop.webhookUrl}`);
}
