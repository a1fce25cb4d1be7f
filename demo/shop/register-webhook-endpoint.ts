import type { WalletClient } from './wallet-client.ts';

/**
 * Registers `url` as the shop's webhook endpoint and returns its signing
 * secret (kept in memory only). Endpoints left at the same URL by an earlier
 * run are deleted first: each would otherwise receive, and the shop process,
 * every event once more.
 */
export async function registerWebhookEndpoint(wallet: WalletClient, url: string): Promise<{ id: string; secret: string }> {
  const { data } = await wallet.listWebhookEndpoints();
  for (const stale of data.filter((endpoint) => endpoint.url === url)) await wallet.deleteWebhookEndpoint(stale.id);
  const endpoint = await wallet.createWebhookEndpoint({ url });
  return { id: endpoint.id, secret: endpoint.secret };
}
