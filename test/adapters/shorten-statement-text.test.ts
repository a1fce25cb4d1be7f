import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shortenStatementText } from '../../server/adapters/shorten-statement-text.ts';

const hasLoneSurrogate = (text: string) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

describe('shortenStatementText', () => {
  it('keeps text within the limit as it is', () => {
    assert.equal(shortenStatementText('Paykey Tee', 10), 'Paykey Tee');
    assert.equal(shortenStatementText('', 0), '');
  });

  it('cuts between grapheme clusters, drops trailing spaces and ends with "…", within the limit', () => {
    assert.equal(shortenStatementText('Paykey Tee, size M', 12), 'Paykey Tee,…');
    assert.equal(shortenStatementText('Paykey Tee size M', 12), 'Paykey Tee…');
    assert.equal(shortenStatementText('ab😀cd', 4), 'ab…'); // the emoji (2 code units) would not fit with the ellipsis
    assert.equal(shortenStatementText('ab😀cd', 5), 'ab😀…');
    assert.equal(shortenStatementText('👩‍👩‍👧👩‍👩‍👧', 10), '👩‍👩‍👧…'); // a ZWJ family (8 code units) stays whole
    assert.equal(shortenStatementText('e\u0301e\u0301e\u0301', 4), 'e\u0301…'); // an accent stays on its letter
    assert.equal(shortenStatementText('abc', 1), '…');
    assert.equal(shortenStatementText('abc', 0), '');
  });

  it('is deterministic and never leaves half a surrogate pair, for every limit', () => {
    const text = `Order 42 ${'😀é👩‍👩‍👧x '.repeat(76)}ok`;
    assert.equal(text.length, 999);
    assert.ok(!hasLoneSurrogate(text));
    for (let limit = 0; limit <= text.length + 1; limit++) {
      const shortened = shortenStatementText(text, limit);
      assert.ok(shortened.length <= limit, `limit ${limit}: ${shortened.length}`);
      assert.equal(shortenStatementText(text, limit), shortened);
      assert.ok(!hasLoneSurrogate(shortened), `limit ${limit}`);
      assert.ok(shortened === text || shortened.endsWith('…') || limit === 0, `limit ${limit}`);
    }
  });

  it('refuses a limit that is not a length', () => {
    assert.throws(() => shortenStatementText('x', -1), /expected maxLength to be an integer of 0 or more, received -1/);
    assert.throws(() => shortenStatementText('x', 1.5), /received 1.5/);
  });
});
