/** The shop backend's client for the Paykey merchant API (secret key stays on the server). */
export interface PaymentIntent {
  id: string;
  amount: number;
  currency: string;
  status: 'requires_confirmation' | 'processing' | 'requires_review' | 'succeeded' | 'failed' | 'canceled';
  client_secret?: string;
  description: string | null;
  reference: string | null;
  created_at: string;
  last_error: { code: string; message: string } | null;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: string[];
  /** Only in the answer to the creation. */
  secret?: string;
  created_at: string;
}

export class WalletApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'WalletApiError';
  }
}

export function createWalletClient(walletUrl: string, secretKey: string) {
  async function call<T>(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${secretKey}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    const res = await fetch(new URL(path, walletUrl), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    if (!res.ok) {
      throw new WalletApiError(res.status, json?.error?.code ?? 'unexpected_response', json?.error?.message ?? `Paykey answered HTTP ${res.status}`);
    }
    return json as T;
  }
  return {
    createPaymentIntent(input: { amount: number; currency: string; description: string; reference: string }) {
      // The order reference doubles as the idempotency key: a retried order never creates a second intent.
      return call<PaymentIntent>('POST', '/v1/payment_intents', input, `shop-${input.reference}`);
    },
    retrievePaymentIntent(id: string) {
      return call<PaymentIntent>('GET', `/v1/payment_intents/${encodeURIComponent(id)}`);
    },
    listWebhookEndpoints() {
      return call<{ data: WebhookEndpoint[] }>('GET', '/v1/webhook_endpoints');
    },
    createWebhookEndpoint(input: { url: string; events?: string[] }) {
      return call<WebhookEndpoint & { secret: string }>('POST', '/v1/webhook_endpoints', input);
    },
    deleteWebhookEndpoint(id: string) {
      return call<null>('DELETE', `/v1/webhook_endpoints/${encodeURIComponent(id)}`);
    },
  };
}

export type WalletClient = ReturnType<typeof createWalletClient>;
