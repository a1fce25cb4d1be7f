/** The log redactor (pure logic): whatever a client types into a URL, no card number or secret reaches a log line. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { scrubText } from '../../server/http/redacting-logger.ts';

describe('scrubText', () => {
  test('removes a card number however its digits are joined', () => {
    for (const joined of [
      '4242424242424242',
      '4242 4242 4242 4242',
      '4242-4242-4242-4242',
      '4242.4242.4242.4242',
      '4242/4242/4242/4242',
      '4242_4242_4242_4242',
      '4242%204242%204242%204242',
      '4242%2D4242%2d4242%2D4242',
      '4242%2E4242%2E4242%2E4242',
      '4242%2F4242%2F4242%2F4242',
      '4242%5F4242%5F4242%5F4242',
    ]) {
      const out = scrubText(`/api/frame/cards/${joined}?x=1`);
      assert.ok(!/4242.?4242/.test(out), `${joined} → ${out}`);
      assert.match(out, /\[REDACTED\]/);
    }
  });

  test('keeps ids, times and amounts that are not card numbers', () => {
    for (const text of ['pi_3f9c0a1b2c3d4e5f60718293', '2026-12-01T10:00:00.000Z', 'amount 1234567890123 (not Luhn)', 'order 1234.5678.9012.3456']) {
      assert.equal(scrubText(text), text);
    }
  });

  test('a session token is redacted where a token starts, not inside an id that happens to end in "pks_1"', () => {
    assert.equal(scrubText('reference pi_vD8faCD4Z7mYaiqOJpks_1'), 'reference pi_vD8faCD4Z7mYaiqOJpks_1');
    assert.ok(!/pks_Zx9/.test(scrubText('token pks_Zx9yQ and "pks_Zx9yQ"')), scrubText('token pks_Zx9yQ and "pks_Zx9yQ"'));
  });

  test('removes bearer secrets: session tokens, client secret parts, secret keys', () => {
    const out = scrubText('Bearer pks_abc pi_1_secret_def sk_test_ghi');
    assert.ok(!/pks_abc|secret_def|sk_test_ghi/.test(out), out);
  });
});
