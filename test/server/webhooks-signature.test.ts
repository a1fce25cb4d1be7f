import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, test } from 'node:test';
import { signWebhookPayload, verifyWebhookSignature } from '../../server/webhooks/webhook-signature.ts';

const secret = 'whsec_test_0123456789abcdef';
const body = '{"id":"evt_1","type":"payment_intent.succeeded","created":1700000000,"data":{"object":{"id":"pi_1"}}}';
const signedAt = new Date('2024-05-01T12:00:00.000Z');
const t = signedAt.getTime() / 1000;

/** The README's receiver snippet, word for word (plus types): what merchants copy must accept what we send. */
function verifyPaykeySignature(rawBody: string, header: string | undefined, secret: string, { toleranceSec = 300, now = Date.now() } = {}) {
  const fields = (header ?? '').split(',').map((part) => part.trim().split('='));
  const t = fields.find(([key]) => key === 't')?.[1];
  const signatures = fields.filter(([key]) => key === 'v1').map(([, value]) => value);
  if (!/^\d+$/.test(t ?? '') || Math.abs(now / 1000 - Number(t)) > toleranceSec) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  return signatures.some((hex) => /^[0-9a-f]{64}$/.test(hex ?? '') && timingSafeEqual(Buffer.from(hex, 'hex'), expected));
}

describe('signWebhookPayload', () => {
  test('is t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">', () => {
    const header = signWebhookPayload(body, secret, signedAt);
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    assert.equal(header, `t=${t},v1=${expected}`);
  });

  test('a known vector (so another language can check its implementation)', () => {
    assert.equal(
      signWebhookPayload('{"hello":"world"}', 'whsec_vector', new Date(1_700_000_000_000)),
      `t=1700000000,v1=${createHmac('sha256', 'whsec_vector').update('1700000000.{"hello":"world"}').digest('hex')}`,
    );
  });
});

describe('verifyWebhookSignature', () => {
  const header = signWebhookPayload(body, secret, signedAt);
  const at = (offsetSec: number) => new Date(signedAt.getTime() + offsetSec * 1000);

  test('accepts our signature within the tolerance, either side', () => {
    assert.equal(verifyWebhookSignature(body, header, secret, { now: signedAt }), true);
    assert.equal(verifyWebhookSignature(body, header, secret, { now: at(300) }), true);
    assert.equal(verifyWebhookSignature(body, header, secret, { now: at(-300) }), true);
  });

  test('rejects a request older (or newer) than the tolerance: a replay', () => {
    assert.equal(verifyWebhookSignature(body, header, secret, { now: at(301) }), false);
    assert.equal(verifyWebhookSignature(body, header, secret, { now: at(-301) }), false);
    assert.equal(verifyWebhookSignature(body, header, secret, { now: at(3600), toleranceSec: 3600 }), true);
  });

  test('rejects another body, another secret, or a re-dated header', () => {
    assert.equal(verifyWebhookSignature(body.replace('pi_1', 'pi_2'), header, secret, { now: signedAt }), false);
    assert.equal(verifyWebhookSignature(`${body} `, header, secret, { now: signedAt }), false);
    assert.equal(verifyWebhookSignature(body, header, 'whsec_other', { now: signedAt }), false);
    const redated = header.replace(`t=${t}`, `t=${t + 60}`);
    assert.equal(verifyWebhookSignature(body, redated, secret, { now: signedAt }), false);
  });

  test('rejects missing and malformed headers without throwing', () => {
    const v1 = header.split('v1=')[1];
    for (const bad of [undefined, null, '', 'garbage', `t=${t}`, `v1=${v1}`, `t=abc,v1=${v1}`, `t=${t},v1=zz`, `t=${t},v1=${v1.slice(2)}`, `t=${t},v1=${v1}00`]) {
      assert.equal(verifyWebhookSignature(body, bad, secret, { now: signedAt }), false, String(bad));
    }
  });

  test('accepts a header with several v1 signatures when one matches (secret rotation)', () => {
    const [ts, v1] = header.split(',');
    assert.equal(verifyWebhookSignature(body, `${ts},v1=${'0'.repeat(64)},${v1}`, secret, { now: signedAt }), true);
  });

  test('the README snippet agrees with it on every case above', () => {
    const cases: Array<[string, string | undefined, string, number]> = [
      [body, header, secret, 0],
      [body, header, secret, 300],
      [body, header, secret, 301],
      [body, header, secret, -301],
      [body.replace('pi_1', 'pi_2'), header, secret, 0],
      [body, header, 'whsec_other', 0],
      [body, undefined, secret, 0],
      [body, 'garbage', secret, 0],
      [body, `t=${t},v1=zz`, secret, 0],
    ];
    for (const [raw, h, key, offset] of cases) {
      assert.equal(
        verifyPaykeySignature(raw, h, key, { now: at(offset).getTime() }),
        verifyWebhookSignature(raw, h, key, { now: at(offset) }),
        `${h} at +${offset}s`,
      );
    }
    assert.equal(verifyPaykeySignature(body, header, secret, { now: signedAt.getTime() }), true);
  });
});
