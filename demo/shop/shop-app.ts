import { Hono } from 'hono';
import { randomBytes } from 'node:crypto';
import { verifyWebhookSignature } from '../../server/webhooks/webhook-signature.ts';
import type { OpenApiDocument } from '../../server/openapi/openapi-document.ts';
import { apiReferenceCss, renderApiReference } from './api-reference-page.ts';
import { catalog, findProduct, shopLocale, shopLocales, type Product, type ShopLocale } from './catalog.ts';
import { escapeHtml, formatPrice, page } from './html.ts';
import { shopCss, shopScript } from './shop-assets.ts';
import { WalletApiError, type WalletClient } from './wallet-client.ts';

interface Order {
  id: string;
  product: Product;
  paymentIntentId: string;
  clientSecret: string;
  /** The checkout's language the shopper picked on the shop (`?lang=`); null: the wallet follows the browser. */
  locale: ShopLocale | null;
  /** Set by the signed `payment_intent.succeeded` webhook: the shop's record that it was paid. */
  paidAt: string | null;
}

export interface ShopAppOptions {
  wallet: WalletClient;
  walletUrl: string;
  /** The signing secret of the shop's webhook endpoint; undefined until it is registered. */
  webhookSecret: () => string | undefined;
}

/**
 * The demo merchant: a product page, an order that creates a Paykey payment
 * intent from the backend with the secret key, a checkout page that embeds
 * `<paykey-checkout>` with one script tag, and a webhook endpoint through
 * which Paykey tells the shop an order is paid.
 */
export function createShopApp(options: ShopAppOptions) {
  const orders = new Map<string, Order>();
  const ordersByIntent = new Map<string, Order>();
  /** Paykey delivers at least once: an event id seen before is acknowledged and ignored. */
  const seenEvents = new Set<string>();
  /**
   * Every verified event the shop received, per payment intent, as Paykey sent it: what a merchant learns of a payment
   * (`GET /orders/:id/webhooks` shows it, so anyone can check that a bank's offer never reaches the shop).
   */
  const eventsByIntent = new Map<string, unknown[]>();
  const app = new Hono();

  app.get('/', (c) => {
    const locale = shopLocale(c.req.query('lang'));
    const languages = Object.entries(shopLocales)
      .map(([code, name]) => `<a href="/?lang=${code}" lang="${code}"${code === locale ? ' aria-current="true"' : ''}>${name}</a>`)
      .join(' · ');
    const lang = locale ? `<input type="hidden" name="lang" value="${escapeHtml(locale)}">` : '';
    return c.html(
      page(
        'Demo Shop',
        `<h1>Demo Shop</h1>
<nav class="muted" aria-label="Checkout language">Checkout language: ${languages}</nav>
<ul class="products">${catalog
          .map(
            (p) => `<li class="product">
  <h2>${escapeHtml(p.name)}</h2>
  <p>${escapeHtml(p.blurb)}</p>
  <p class="price">${escapeHtml(formatPrice(p.amount, p.currency))}</p>
  <form method="post" action="/orders"><input type="hidden" name="sku" value="${escapeHtml(p.sku)}">${lang}<button type="submit">Buy ${escapeHtml(p.name)}</button></form>
</li>`,
          )
          .join('')}</ul>
<p class="muted"><a href="/api-reference">Paykey API reference</a> (the wallet's OpenAPI document)</p>`,
      ),
    );
  });

  app.post('/orders', async (c) => {
    const form = await c.req.parseBody();
    const product = typeof form.sku === 'string' ? findProduct(form.sku) : undefined;
    if (!product) return c.html(page('Unknown product', '<p>That product does not exist.</p>'), 404);
    const id = `order-${randomBytes(6).toString('hex')}`;
    try {
      const intent = await options.wallet.createPaymentIntent({
        amount: product.amount,
        currency: product.currency,
        description: product.name,
        reference: id,
      });
      const locale = shopLocale(form.lang);
      const order: Order = { id, product, paymentIntentId: intent.id, clientSecret: intent.client_secret!, locale, paidAt: null };
      orders.set(id, order);
      ordersByIntent.set(intent.id, order);
    } catch (error) {
      const message = error instanceof WalletApiError ? `${error.code}: ${error.message}` : 'Paykey is not reachable.';
      return c.html(page('Checkout unavailable', `<p role="alert">Could not start checkout (${escapeHtml(message)}).</p>`), 502);
    }
    return c.redirect(`/orders/${id}`, 303);
  });

  app.get('/orders/:id', (c) => {
    const order = orders.get(c.req.param('id'));
    if (!order) return c.html(page('Unknown order', '<p>No such order.</p>'), 404);
    const { product } = order;
    const paid = order.paidAt !== null;
    const head = `<script type="module" src="${escapeHtml(new URL('/paykey.js', options.walletUrl).href)}"></script>
<script type="module" src="/shop.js"></script>`;
    return c.html(
      page(
        `Checkout — ${product.name}`,
        `<h1>Checkout</h1>
<section class="summary" aria-label="Order summary" data-order-id="${escapeHtml(order.id)}" data-payment-intent="${escapeHtml(order.paymentIntentId)}">
  <p><strong>${escapeHtml(product.name)}</strong> — ${escapeHtml(formatPrice(product.amount, product.currency))}</p>
  <p class="muted">Order ${escapeHtml(order.id)}</p>
  <p id="webhook-status" role="status" aria-live="polite"${paid ? ' data-paid="true"' : ''}>${paid ? 'Paid (confirmed by webhook)' : ''}</p>
</section>
${paid ? '' : `<paykey-checkout client-secret="${escapeHtml(order.clientSecret)}"${order.locale ? ` locale="${order.locale}"` : ''}></paykey-checkout>`}
<p id="outcome" role="status" aria-live="polite"></p>`,
        head,
      ),
    );
  });

  // The shop never trusts the browser's word: it asks Paykey with its secret key.
  app.get('/orders/:id/payment', async (c) => {
    const order = orders.get(c.req.param('id'));
    if (!order) return c.json({ error: { code: 'resource_missing', message: 'No such order.' } }, 404);
    try {
      const intent = await options.wallet.retrievePaymentIntent(order.paymentIntentId);
      return c.json({
        orderId: order.id,
        paymentIntentId: intent.id,
        status: intent.status,
        lastError: intent.last_error,
        paidByWebhook: order.paidAt !== null,
      });
    } catch (error) {
      const code = error instanceof WalletApiError ? error.code : 'wallet_unreachable';
      return c.json({ error: { code, message: 'Could not check the payment with Paykey.' } }, 502);
    }
  });

  // The events Paykey sent the shop about this order's payment, exactly as received (after the signature check).
  app.get('/orders/:id/webhooks', (c) => {
    const order = orders.get(c.req.param('id'));
    if (!order) return c.json({ error: { code: 'resource_missing', message: 'No such order.' } }, 404);
    return c.json({ orderId: order.id, events: eventsByIntent.get(order.paymentIntentId) ?? [] });
  });

  // Paykey's signed events. Verify the raw body before parsing it; answer 2xx
  // only once the event is handled, so a failure here makes Paykey try again.
  app.post('/webhooks/paykey', async (c) => {
    const secret = options.webhookSecret();
    if (!secret) return c.json({ error: 'webhook endpoint not registered yet' }, 503);
    const rawBody = await c.req.text();
    if (!verifyWebhookSignature(rawBody, c.req.header('paykey-signature'), secret, { toleranceSec: 300 })) {
      return c.json({ error: 'invalid signature' }, 400);
    }
    const event = JSON.parse(rawBody) as { id: string; type: string; data: { object: { id?: string } } };
    if (seenEvents.has(event.id)) return c.json({ received: true, duplicate: true });
    const intentId = event.data.object.id ?? '';
    if (ordersByIntent.has(intentId)) eventsByIntent.set(intentId, [...(eventsByIntent.get(intentId) ?? []), event]);
    if (event.type === 'payment_intent.succeeded') {
      const order = ordersByIntent.get(event.data.object.id ?? '');
      if (order && !order.paidAt) order.paidAt = new Date().toISOString();
    }
    seenEvents.add(event.id);
    return c.json({ received: true });
  });

  // The wallet's API, as a page: the OpenAPI document the wallet serves (public, no key needed), rendered here.
  app.get('/api-reference', async (c) => {
    const documentUrl = new URL('/openapi.json', options.walletUrl).href;
    let doc: OpenApiDocument;
    try {
      const res = await fetch(documentUrl);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      doc = (await res.json()) as OpenApiDocument;
      if (!doc.openapi?.startsWith('3.1') || !doc.paths) throw new Error('not an OpenAPI 3.1 document');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return c.html(page('API reference unavailable', `<p role="alert">Could not read ${escapeHtml(documentUrl)} (${escapeHtml(message)}).</p>`), 502);
    }
    return c.html(page(`${doc.info.title} reference`, renderApiReference(doc, documentUrl), apiReferenceCss));
  });

  app.get('/shop.js', (c) => c.body(shopScript, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  app.get('/shop.css', (c) => c.body(shopCss, 200, { 'content-type': 'text/css; charset=utf-8' }));
  app.notFound((c) => c.html(page('Not found', '<p>Not found.</p>'), 404));
  return app;
}
