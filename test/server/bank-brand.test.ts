/**
 * Bank brands are checked when loaded (`checkBankBrand`, the brand cache) against WCAG 2.2 AA and the other brand
 * rules; a refused brand names the failing pair and both ratios, is logged for the operator, and the bank is shown in
 * the operator's look. The operator's own brand (PAYKEY_OPERATOR_BRAND) is refused at start.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import type { BankAdapter, BankBrand } from '../../server/adapters/bank-adapter.ts';
import { createBrandCache } from '../../server/banks/bank-brands.ts';
import type { AccountPaymentBank } from '../../server/payments/account-payment-bank.ts';
import { payByBankOffer } from '../../server/payments/pay-by-bank-offer.ts';
import type { PaymentIntent } from '../../server/payments/payment-intents.ts';
import { BankBrandRefused, checkBankBrand } from '../../server/banks/check-bank-brand.ts';
import { paykeyBrand, readOperatorBrand, standInBankLogo } from '../../server/banks/operator-brand.ts';
import { compressedJson } from '../../server/http/compressed-json.ts';
import { createJsonLogger } from '../../server/http/logger.ts';
import { brandsRoute } from '../../server/routes/brands-route.ts';
import { createSandboxBankAdapter } from '../../server/adapters/sandbox-bank.ts';
import { createBankRegistry } from '../../server/adapters/registry.ts';
import { brandProblems } from '../../widget/frame/theme/brand-problems.ts';
import { contrastRatio, formatRatio } from '../../widget/frame/theme/contrast-ratio.ts';
import type { BrandsView, CheckoutAnswer } from '../../widget/shopper-api.ts';
import { createIntent } from '../support/frame-client.ts';
import { startTestBank, type TestBank } from '../support/test-bank.ts';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';

const lotusLogo = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><circle cx="4" cy="4" r="3" fill="#b0004a"/></svg>').toString('base64')}`;

const lotus: BankBrand = {
  name: { en: 'Lotus Bank', 'zh-CN': '莲花银行' },
  logo: lotusLogo,
  colors: { primary: '#9c1451', onPrimary: '#ffffff', accent: '#9c1451', background: '#fffafc', text: '#2b1320', border: '#8a5a70' },
  radius: '12px',
  fontStack: "'Noto Sans SC', 'PingFang SC', system-ui, sans-serif",
  support: { phone: '+86 400 000 0000', email: 'help@lotus.example' },
};

const withColors = (colors: Partial<BankBrand['colors']>): BankBrand => ({ ...lotus, colors: { ...lotus.colors, ...colors } });

function refusal(brand: unknown, id = 'lotus'): string {
  assert.throws(() => checkBankBrand(id, brand), BankBrandRefused);
  try {
    checkBankBrand(id, brand);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('unreachable');
}

describe('contrastRatio (shared by the server and the frame)', () => {
  test('computes WCAG 2 ratios of opaque hex colours and nothing else', () => {
    assert.equal(contrastRatio('#000', '#ffffff').toFixed(1), '21.0');
    assert.equal(contrastRatio('#fff', '#FFF'), 1);
    assert.equal(contrastRatio('#767676', '#fff').toFixed(2), '4.54');
    assert.equal(contrastRatio('#777', '#fff').toFixed(3), '4.478');
    assert.ok(Number.isNaN(contrastRatio('white', '#000')), 'named colours are not brand colours');
    assert.ok(Number.isNaN(contrastRatio('#000000cc', '#fff')), 'translucent');
    assert.ok(Number.isNaN(contrastRatio('rgb(0 0 0)', '#fff')));
  });

  test('quotes a failing ratio without rounding it up to the minimum', () => {
    assert.equal(formatRatio(4.478), '4.48:1');
    assert.equal(formatRatio(4.4999, 4.5), '4.49:1');
    assert.equal(formatRatio(4.5, 4.5), '4.50:1');
  });
});

describe('checkBankBrand', () => {
  test('accepts a brand meeting every rule, and Paykey’s default operator brand', () => {
    assert.equal(checkBankBrand('lotus', lotus), lotus);
    assert.equal(checkBankBrand('operator', paykeyBrand), paykeyBrand);
  });

  test('refuses body text under 4.5:1, naming the pair and both ratios', () => {
    assert.equal(
      refusal(withColors({ text: '#777', background: '#fff' })),
      'Lotus Bank brand: text #777 on background #fff is 4.48:1, expected at least 4.5:1 (WCAG 2.2 AA, text)',
    );
  });

  test('refuses a Pay button under 4.5:1, and a focus ring or border under 3:1', () => {
    assert.equal(
      refusal(withColors({ primary: '#f5b700', onPrimary: '#ffffff' })),
      'Lotus Bank brand: onPrimary #ffffff on primary #f5b700 is 1.80:1, expected at least 4.5:1 (WCAG 2.2 AA, text)',
    );
    assert.equal(
      refusal(withColors({ accent: '#f0a000', background: '#ffffff' })),
      'Lotus Bank brand: accent #f0a000 on background #ffffff is 2.16:1, expected at least 3:1 (WCAG 2.2 AA, non-text: focus ring)',
    );
    assert.match(refusal(withColors({ border: '#c8c8c8' })), /border #c8c8c8 on background #fffafc is 1\.\d\d:1, expected at least 3:1 \(WCAG 2\.2 AA, non-text: borders\)$/);
  });

  test('a brand passing exactly at the minimum is accepted', () => {
    // #767676 on white is 4.54:1; #949494 on white 3.03:1.
    checkBankBrand('lotus', withColors({ text: '#767676', background: '#ffffff', accent: '#949494', border: '#949494' }));
  });

  test('names every problem at once', () => {
    const message = refusal(withColors({ text: '#777', onPrimary: '#aaa', primary: '#fff' }));
    assert.match(message, /text #777 on background #fffafc is .*; onPrimary #aaa on primary #fff is 2\.32:1/);
  });

  test('refuses colours that are not opaque hex', () => {
    assert.equal(
      refusal(withColors({ primary: 'rgb(156 20 81)' })),
      'Lotus Bank brand: colors.primary: expected an opaque hex colour (#rgb or #rrggbb), received "rgb(156 20 81)"',
    );
    assert.match(refusal(withColors({ background: '#fffafc80' })), /colors\.background: expected an opaque hex colour/);
    assert.match(refusal(withColors({ text: 'red;}*{display:none' })), /colors\.text: expected an opaque hex colour/);
  });

  test('refuses a radius outside 0–24 px, a font stack without a generic family or with CSS in it', () => {
    assert.match(refusal({ ...lotus, radius: '25px' }), /radius: expected a length in px from 0px to 24px, received "25px"/);
    assert.match(refusal({ ...lotus, radius: '1em' }), /radius: /);
    checkBankBrand('lotus', { ...lotus, radius: '0px' });
    checkBankBrand('lotus', { ...lotus, radius: '24px' });
    assert.match(refusal({ ...lotus, fontStack: "'Noto Sans SC', Arial" }), /fontStack: expected a font-family list .* ending in a generic family/);
    assert.match(refusal({ ...lotus, fontStack: 'sans-serif; color: red' }), /fontStack: /);
    assert.match(refusal({ ...lotus, fontStack: "x'), url(https://evil.example/), sans-serif" }), /fontStack: /);
  });

  test('refuses a logo that is not an SVG data URL or is too large', () => {
    assert.match(refusal({ ...lotus, logo: 'https://lotus.example/logo.svg' }), /logo: expected a data:image\/svg\+xml URL/);
    assert.match(refusal({ ...lotus, logo: 'data:image/png;base64,AAAA' }), /logo: expected a data:image\/svg\+xml URL/);
    assert.match(refusal({ ...lotus, logo: `data:image/svg+xml;base64,${'A'.repeat(40_000)}` }), /logo: expected at most 32768 characters, received 40026/);
  });

  test('refuses a brand without an English name or a support contact, naming the bank by its id', () => {
    assert.equal(refusal({ ...lotus, name: { en: ' ' } }), 'Bank "lotus" brand: name.en: expected a non-empty string, received " "');
    assert.equal(refusal({ ...lotus, support: {} }), 'Lotus Bank brand: support: expected at least one of phone, email or url, received none');
    assert.match(refusal({ ...lotus, support: { email: 'nobody' } }), /support\.email: expected an email address, received "nobody"/);
    assert.match(refusal({ ...lotus, name: 'Lotus Bank' }), /name\.en: expected a non-empty string, received nothing/);
    assert.match(refusal(null), /expected a brand object, received null/);
  });
});

/** A bank as the brand cache sees it: its id and the brand it serves (the cache calls nothing else). */
function bankServing(id: string, serve: () => Promise<unknown>): BankAdapter & { fetches: number } {
  const bank = { id, fetches: 0, brand: () => (bank.fetches++, serve()) };
  return bank as unknown as BankAdapter & { fetches: number };
}

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  return { lines, logger: createJsonLogger((line) => lines.push(JSON.parse(line))) };
}

describe('the brand cache', () => {
  test('fetches a brand once, checks it, and serves only the wire fields', async () => {
    const bank = bankServing('lotus', async () => ({ ...lotus, secretNote: 'not for shoppers' }));
    const cache = createBrandCache();
    const view = await cache(bank);
    assert.deepEqual(view, { id: 'lotus', ...lotus });
    assert.equal(await cache(bank).then((again) => again.name.en), 'Lotus Bank');
    assert.equal(bank.fetches, 1);
    assert.deepEqual(cache.refusals(), []);
    assert.deepEqual(cache.operator, { id: 'operator', ...paykeyBrand });
  });

  test('a refused brand is logged at load with the failing pair, and the bank is shown in the operator’s look under its own name', async () => {
    const { lines, logger } = capturingLogger();
    const bank = bankServing('lotus', async () => withColors({ text: '#777', background: '#fff' }));
    const cache = createBrandCache({ logger, preload: [bank] });
    await new Promise((resolve) => setImmediate(resolve));
    const expected = 'Lotus Bank brand: text #777 on background #fff is 4.48:1, expected at least 4.5:1 (WCAG 2.2 AA, text)';
    assert.equal(bank.fetches, 1, 'fetched at start, before any shopper asks');
    assert.deepEqual(
      lines.map(({ level, event, bank: id, problem }) => ({ level, event, bank: id, problem })),
      [{ level: 'error', event: 'bank_brand_refused', bank: 'lotus', problem: expected }],
    );
    assert.deepEqual(cache.refusals(), [{ bank: 'lotus', message: expected }]);
    const view = await cache(bank);
    assert.deepEqual(view, { ...cache.operator, id: 'lotus', logo: standInBankLogo, name: { en: 'Lotus Bank', 'zh-CN': '莲花银行' } });
    assert.deepEqual(brandProblems(view), [], 'the stand-in meets the rules');
    assert.equal(bank.fetches, 1, 'the refusal is kept: not fetched again per request');
  });

  test('stands in for the operator’s configured brand, and names the bank by id when its name is broken too', async () => {
    const acme: BankBrand = { ...paykeyBrand, name: { en: 'Acme Wallet' }, colors: { ...paykeyBrand.colors, primary: '#005a32' } };
    const cache = createBrandCache({ operator: acme });
    const view = await cache(bankServing('meridian', async () => ({ name: '', colors: {} })));
    assert.equal(view.name.en, 'meridian');
    assert.equal(view.colors.primary, '#005a32');
    assert.equal(cache.operator.name.en, 'Acme Wallet');
  });

  test('a bank that cannot be reached is asked again next time, not refused', async () => {
    let up = false;
    const bank = bankServing('lotus', async () => {
      if (!up) throw new Error('connect ECONNREFUSED');
      return lotus;
    });
    const cache = createBrandCache({ preload: [bank] });
    await assert.rejects(cache(bank), /ECONNREFUSED/);
    up = true;
    assert.equal((await cache(bank)).colors.primary, '#9c1451');
    assert.deepEqual(cache.refusals(), []);
  });
});

describe('the pay-by-bank offer', () => {
  const meridianWith = (served: () => Promise<unknown>) =>
    ({ adapter: { ...bankServing('meridian', served), limits: { currencies: ['GBP'], amount: { min: 1, max: 100_000 }, maxDescriptionLength: 140, maxReferenceLength: 35 } } }) as unknown as AccountPaymentBank;
  const gbp = { amount: 1250, currency: 'GBP' } as PaymentIntent;

  test('shows the bank’s brand through the same check as a card bank’s: one failing contrast is refused, the stand-in shown', async () => {
    const { lines, logger } = capturingLogger();
    const cache = createBrandCache({ logger });
    const offer = await payByBankOffer(meridianWith(async () => withColors({ onPrimary: '#ddd', primary: '#fff' })), gbp, cache);
    assert.ok(offer);
    assert.deepEqual(offer, { ...cache.operator, id: 'meridian', logo: standInBankLogo, name: { en: 'Lotus Bank', 'zh-CN': '莲花银行' } });
    assert.deepEqual(lines.map((line) => [line.event, line.bank]), [['bank_brand_refused', 'meridian']]);
  });

  test('a brand meeting the rules is offered as served; none for a payment the bank cannot carry', async () => {
    const cache = createBrandCache();
    assert.deepEqual(await payByBankOffer(meridianWith(async () => lotus), gbp, cache), { id: 'meridian', ...lotus });
    assert.equal(await payByBankOffer(meridianWith(async () => lotus), { amount: 1250, currency: 'USD' } as PaymentIntent, cache), null);
  });
});

describe('readOperatorBrand (PAYKEY_OPERATOR_BRAND)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'paykey-operator-brand-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('Paykey’s brand without a file; the file’s brand when it meets the rules', () => {
    assert.equal(readOperatorBrand(undefined), paykeyBrand);
    const file = path.join(dir, 'acme.json');
    const acme = { ...paykeyBrand, name: { en: 'Acme Wallet', 'zh-CN': '极客钱包' } };
    writeFileSync(file, JSON.stringify(acme));
    assert.deepEqual(readOperatorBrand(file), acme);
  });

  test('stops the server at start on a brand that breaks a rule, or a file that is not JSON', () => {
    const file = path.join(dir, 'pale.json');
    writeFileSync(file, JSON.stringify({ ...paykeyBrand, colors: { ...paykeyBrand.colors, onPrimary: '#ffffff', primary: '#f5b700' } }));
    assert.throws(() => readOperatorBrand(file), { name: 'BankBrandRefused', message: 'Paykey brand: onPrimary #ffffff on primary #f5b700 is 1.80:1, expected at least 4.5:1 (WCAG 2.2 AA, text)' });
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{ not json');
    assert.throws(() => readOperatorBrand(broken), /^Error: PAYKEY_OPERATOR_BRAND: expected a readable JSON file with the operator's brand, received .*broken\.json/);
    assert.throws(() => readOperatorBrand(path.join(dir, 'missing.json')), /PAYKEY_OPERATOR_BRAND: .*ENOENT/);
  });
});

describe('GET /api/frame/brands and POST /api/frame/checkout with the demo banks', () => {
  let bank: TestBank | undefined;
  let wallet: TestWallet | undefined;
  let tampered: TestWallet | undefined;
  before(async () => {
    bank = await startTestBank();
    wallet = await startTestWallet({ bank: bank.config, lotus: true });
  });
  after(async () => {
    await tampered?.close();
    await wallet?.close();
    await bank?.close();
  });

  const checkout = async (on: TestWallet): Promise<CheckoutAnswer> => {
    const intent = await createIntent(on, 2500, 'USD');
    const res = await on.request('POST', '/api/frame/checkout', { client_secret: intent.client_secret });
    assert.equal(res.status, 200);
    return (await res.json()) as CheckoutAnswer;
  };
  const brands = async (on: TestWallet): Promise<BrandsView> => {
    const res = await on.request('GET', '/api/frame/brands');
    assert.equal(res.status, 200);
    return (await res.json()) as BrandsView;
  };

  test('/brands answers the operator’s brand and each card bank’s, as the banks serve them and within the rules', async () => {
    const view = await checkout(wallet!);
    const { operator, banks } = await brands(wallet!);
    assert.deepEqual(operator, { id: 'operator', ...paykeyBrand });
    assert.deepEqual(banks.map((brand) => brand.id), ['sandbox', 'lotus']);
    assert.deepEqual(banks[1].name, { en: 'Lotus Bank', 'zh-CN': '莲花银行' });
    for (const brand of [operator, ...banks]) assert.deepEqual(brandProblems(brand), [], brand.id);
    assert.ok(!('bank' in view), 'no single bank any more');
    assert.ok(!('banks' in view) && !('operator' in view), 'no brand in the checkout every first screen waits for');
    assert.equal(wallet!.logs.filter((line) => line.includes('bank_brand_refused')).length, 0);
  });

  test('/brands: no authorization, nothing of a shopper or payment, cacheable, compressed, and revalidated by a strong ETag', async () => {
    const intent = await createIntent(wallet!, 2500, 'USD');
    const res = await fetch(new URL('/api/frame/brands', wallet!.url), { headers: { 'accept-encoding': 'br' } });
    assert.equal(res.status, 200);
    // Public and the same for everyone: a browser keeps it (the app's `no-store` for /api answers leaves this one alone).
    assert.equal(res.headers.get('cache-control'), 'public, max-age=300');
    assert.equal(res.headers.get('content-encoding'), 'br');
    assert.equal(res.headers.get('vary'), 'Accept-Encoding');
    const etag = res.headers.get('etag')!;
    assert.match(etag, /^"[A-Za-z0-9_-]{32}-br"$/, 'strong, naming the coding of the bytes it covers');
    const text = await res.text();
    assert.deepEqual(Object.keys(JSON.parse(text)), ['operator', 'banks']);
    for (const secret of [intent.id, intent.client_secret, wallet!.secretKey]) assert.ok(!text.includes(secret), 'no intent or merchant data');
    assert.ok(!/pi_|card_|shp_|@/.test(text.replace(/"support":\{[^}]*\}/g, '')), 'no shopper, card or payment ids');

    const again = await fetch(new URL('/api/frame/brands', wallet!.url), { headers: { 'accept-encoding': 'br', 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get('etag'), etag);
    assert.equal(again.headers.get('cache-control'), 'public, max-age=300');
    assert.equal(await again.text(), '');
    // Another coding is other bytes: its own tag, and the brotli one does not match it.
    const plain = await fetch(new URL('/api/frame/brands', wallet!.url), { headers: { 'accept-encoding': 'identity', 'if-none-match': etag } });
    assert.equal(plain.status, 200);
    assert.equal(plain.headers.get('etag'), etag.replace('-br"', '"'));
    assert.deepEqual(JSON.parse(await plain.text()), JSON.parse(text));
  });

  test('the /brands route itself answers `Cache-Control: public, max-age=300` and its ETag, 304 on a match', async () => {
    const banks = createBankRegistry([createSandboxBankAdapter({ ...bank!.config })]);
    const route = new Hono().use(compressedJson({ minBytes: 0 })).route('/', brandsRoute({ banks, bankBrand: createBrandCache({ preload: banks.all() }) }));
    const res = await route.request('/brands', { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=300');
    assert.equal(res.headers.get('content-encoding'), 'gzip');
    const etag = res.headers.get('etag')!;
    assert.match(etag, /^"[A-Za-z0-9_-]{32}-gzip"$/);
    assert.deepEqual((JSON.parse(gunzipSync(Buffer.from(await res.arrayBuffer())).toString()) as BrandsView).banks.map((b) => b.id), ['sandbox']);
    const again = await route.request('/brands', { headers: { 'accept-encoding': 'gzip', 'if-none-match': `W/"other", ${etag}` } });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get('cache-control'), 'public, max-age=300');
  });

  test('a bank serving a brand with failing contrast: refused at start (logged), its cards shown in the operator’s look', async () => {
    // The real sandbox bank over HTTP, its brand answer altered on the way in, as a misconfigured bank would serve it.
    const adapter = createSandboxBankAdapter({ ...bank!.config });
    const washedOut = { ...adapter, brand: async () => {
      const served = await adapter.brand();
      return { ...served, colors: { ...served.colors, text: '#777777', background: '#ffffff' } };
    } };
    tampered = await startTestWallet({ banks: createBankRegistry([washedOut]) });
    let refusal: string | undefined;
    for (let i = 0; i < 100 && !refusal; i++) {
      refusal = tampered.logs.find((line) => line.includes('bank_brand_refused'));
      if (!refusal) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(refusal, 'logged at start, before any checkout');
    const logged = JSON.parse(refusal);
    assert.equal(logged.level, 'error');
    assert.equal(logged.bank, 'sandbox');
    assert.equal(logged.problem, 'Sandbox Bank brand: text #777777 on background #ffffff is 4.48:1, expected at least 4.5:1 (WCAG 2.2 AA, text)');
    const { operator, banks } = await brands(tampered);
    assert.deepEqual(banks, [{ ...operator, id: 'sandbox', logo: standInBankLogo, name: banks[0].name }]);
    assert.equal(banks[0].name.en, 'Sandbox Bank');
  });
});
