/**
 * The duplicate member name finder (server/http/find-duplicate-key.ts), on its
 * own: names compared after unescaping, per object, at any depth, in linear
 * time without recursion.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeJsonPath, findDuplicateKey } from '../../server/http/find-duplicate-key.ts';

describe('findDuplicateKey', () => {
  test('no duplicates: nothing found', () => {
    for (const text of [
      '{}',
      '[]',
      '"a"',
      '42',
      'null',
      '{"a":1,"b":2}',
      '{"a":{"a":1},"b":[{"a":1},{"a":2}]}',
      '[{"a":1},{"a":1},{"a":{"a":{"a":1}}}]',
      '{"a":"a","b":"a"}',
      '{"a":"b","b":"a"}',
      '{"a":["a","a","a"]}',
      '{"":1," ":2}',
      '{"A":1,"a":2}',
      '{"a\\u0000":1,"a":2}',
      '{"é":1,"e\\u0301":2}',
    ]) {
      assert.equal(findDuplicateKey(text), undefined, text);
      JSON.parse(text);
    }
  });

  test('a name twice in one object, with its path', () => {
    assert.deepEqual(findDuplicateKey('{"amount":1,"amount":2}'), ['amount']);
    assert.deepEqual(findDuplicateKey('{"amount":1,"currency":"USD","amount":2}'), ['amount']);
    assert.deepEqual(findDuplicateKey('{ "a" : 1 ,\n\t"a" : 1 }'), ['a']);
    assert.deepEqual(findDuplicateKey('{"":1,"":2}'), ['']);
  });

  test('names equal to values, or holding quotes, braces and commas, are told apart from structure', () => {
    assert.equal(findDuplicateKey('{"a":"b","b":"c"}'), undefined);
    assert.deepEqual(findDuplicateKey('{"a":"a","b":"b","a":"c"}'), ['a']);
    assert.equal(findDuplicateKey('{"a":"\\",\\"a\\":1","b":"}{][,:"}'), undefined);
    assert.deepEqual(findDuplicateKey('{"x\\"y":1,"x\\"y":2}'), ['x"y']);
    assert.deepEqual(findDuplicateKey('{"{\\"a\\":1,\\"a\\":2}":1,"a,b":1,"a,b":2}'), ['a,b']);
    assert.equal(findDuplicateKey('{"a\\\\":1,"a":2}'), undefined);
    assert.deepEqual(findDuplicateKey('{"a\\\\":1,"a\\\\":2}'), ['a\\']);
  });

  test('names compare after unescaping', () => {
    assert.deepEqual(findDuplicateKey('{"a":1,"\\u0061":2}'), ['a']);
    assert.deepEqual(findDuplicateKey('{"\\u0061mount":1,"amount":2}'), ['amount']);
    assert.deepEqual(findDuplicateKey('{"a/b":1,"a\\/b":2}'), ['a/b']);
    assert.deepEqual(findDuplicateKey('{"\\n":1,"\\u000a":2}'), ['\n']);
    assert.deepEqual(findDuplicateKey('{"\\u00e9":1,"é":2}'), ['é']);
    assert.deepEqual(findDuplicateKey('{"\\ud83d\\ude00":1,"😀":2}'), ['😀']);
    assert.deepEqual(findDuplicateKey('{"\\uD800":1,"\\ud800":2}'), ['\ud800']);
    assert.deepEqual(findDuplicateKey('{"__proto__":1,"\\u005f_proto__":2}'), ['__proto__']);
  });

  test('nested objects and arrays: each object has its own names, and the path leads to the repeated one', () => {
    assert.deepEqual(findDuplicateKey('{"response":{"id":"x","type":"public-key","id":"y"}}'), ['response', 'id']);
    assert.deepEqual(findDuplicateKey('{"a":1,"b":{"a":1,"c":{"a":1,"a":2}}}'), ['b', 'c', 'a']);
    assert.deepEqual(findDuplicateKey('{"items":[{"n":1},{"n":1,"n":2}]}'), ['items', 1, 'n']);
    assert.deepEqual(findDuplicateKey('[{"a":1},[0,{"b":1,"b":1}]]'), [1, 1, 'b']);
    assert.deepEqual(findDuplicateKey('{"a":[1,2,{"x":[]}],"b":[[],{}],"a":3}'), ['a']);
    // A closed object's names are forgotten: the next sibling starts afresh.
    assert.equal(findDuplicateKey('{"o":{"k":1},"p":{"k":1},"q":[{"k":1},{"k":1}]}'), undefined);
  });

  test('the whole-body mutation of the hostile-input tests', () => {
    const valid = { client_secret: 'pi_1_secret_x', card_id: 'card_1' };
    const text = JSON.stringify(valid).replace(/^\{/, `{${Object.keys(valid).map((k) => `"${k}":{"dup":1}`).join(',')},`);
    assert.deepEqual(findDuplicateKey(text), ['client_secret']);
  });

  test('deep nesting: 100,000 levels take no recursion and little time', () => {
    const depth = 100_000;
    const arrays = '['.repeat(depth) + ']'.repeat(depth);
    const objects = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const deepDuplicate = `${'{"a":'.repeat(depth)}{"x":1,"x":2}${'}'.repeat(depth)}`;
    const started = performance.now();
    assert.equal(findDuplicateKey(arrays), undefined);
    assert.equal(findDuplicateKey(objects), undefined);
    const path = findDuplicateKey(deepDuplicate);
    assert.equal(path?.length, depth + 1);
    assert.equal(path?.at(-1), 'x');
    assert.ok(performance.now() - started < 2_000, `took ${performance.now() - started} ms`);
  });

  test('a 100 KB body of many names is linear', () => {
    const members = Array.from({ length: 10_000 }, (_, i) => `"k${i}":${i}`);
    const started = performance.now();
    assert.equal(findDuplicateKey(`{${members.join(',')}}`), undefined);
    assert.deepEqual(findDuplicateKey(`{${members.join(',')},"k9999":0}`), ['k9999']);
    assert.ok(performance.now() - started < 1_000);
  });

  test('text JSON.parse refuses: never throws, never loops', () => {
    for (const text of ['', '{', '{"a', '{"a":1,"a', '{"a\\', '{"\\u00":1}', '}}}]]]', '{"a":1}}}{"a":2', ',,,,', '"\\', '\\"']) {
      assert.doesNotThrow(() => findDuplicateKey(text), text);
    }
    assert.deepEqual(findDuplicateKey('{"a":1,"a":'), ['a']);
  });
});

describe('describeJsonPath', () => {
  test('a quoted dotted path, array indexes in brackets', () => {
    assert.equal(describeJsonPath(['amount']), '"amount"');
    assert.equal(describeJsonPath(['response', 'id']), '"response.id"');
    assert.equal(describeJsonPath(['items', 1, 'n']), '"items[1].n"');
    assert.equal(describeJsonPath([0, 'a']), '"[0].a"');
  });

  test('escapes control characters and quotes; shortens long names and deep paths', () => {
    assert.equal(describeJsonPath(['a\u0000"b']), '"a\\u0000\\"b"');
    assert.equal(describeJsonPath(['x'.repeat(100)]), `"${'x'.repeat(40)}…"`);
    const deep = describeJsonPath([...Array(5_000).fill('a'), 'x']);
    assert.ok(deep.length < 100, deep);
    assert.match(deep, /^"a\.….*\.x"$/);
  });
});
