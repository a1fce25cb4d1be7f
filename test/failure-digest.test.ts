/**
 * The digest `npm test` prints again at its end: each failing test named with its error, without its stack, from a real
 * node:test spec report (a test file run here), from web-test-runner's report (as Chromium printed it for a failing
 * component test), and the last lines of any other output.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { failureDigest } from './failure-digest.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'paykey-failure-digest-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a node:test report: each failing test with its place, name and error, no stack frames, no passing test', () => {
  const file = path.join(dir, 'sample.test.mjs');
  writeFileSync(
    file,
    [
      "import assert from 'node:assert';",
      "import { describe, test } from 'node:test';",
      "describe('checkout', () => {",
      "  test('passes', () => {});",
      "  test('pays once', () => assert.equal(2, 1, 'expected one approved charge'));",
      '});',
      "test('answers', () => { throw new Error('expected 200, got 500'); });",
    ].join('\n'),
  );
  // Without NODE_TEST_CONTEXT, which this runner sets for its children: the sample reports as `npm test`'s steps do.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const run = spawnSync(process.execPath, ['--test', '--test-reporter=spec', file], { encoding: 'utf8', env: { ...env, FORCE_COLOR: '1' } });
  assert.equal(run.status, 1, `expected the sample to fail, got exit ${run.status}`);

  const digest = failureDigest(run.stdout + run.stderr);
  const text = digest.join('\n');
  assert.match(digest[0], /^test at .*sample\.test\.mjs:5:3$/);
  assert.match(text, /✖ pays once/);
  assert.match(text, /AssertionError \[ERR_ASSERTION\]: expected one approved charge/);
  assert.match(text, /actual: 2,/);
  assert.match(text, /test at .*sample\.test\.mjs:7:1\n✖ answers \([\d.]+ms\)\n {2}Error: expected 200, got 500/);
  assert.doesNotMatch(text, /passes/);
  assert.doesNotMatch(text, /\x1b\[/, 'colours are stripped');
  assert.ok(!digest.some((line) => /^\s+at /.test(line)), `no stack frames, got:\n${text}`);
});

test('each failure keeps at most the lines asked for', () => {
  const report = ['✖ failing tests:', '', 'test at a.test.ts:1:1', '✖ long', ...Array.from({ length: 30 }, (_, i) => `  line ${i}`)].join('\n');
  assert.deepEqual(failureDigest(report, 4), ['test at a.test.ts:1:1', '✖ long', '  line 0', '  line 1']);
});

test("a web-test-runner report: each ❌ entry under its file's name, with its error and without its stack", () => {
  const report = [
    '\x1b[2K\x1b[1A\x1b[2K\x1b[Gtest/widget/confirm.test.ts:',
    '',
    ' ❌ throws',
    '      Error: boom',
    '        at Ka.<anonymous> (test/widget/confirm.test.ts:6:27)',
    '',
    ' ❌ confirm > shows the fee',
    '      AssertionError: expected 2, got 1',
    '        at equal (test/widget/support/assert.ts:13:10)',
    '',
    'Finished running tests in 1.8s with 2 failed tests.',
  ].join('\n');
  assert.deepEqual(failureDigest(report), [
    'test/widget/confirm.test.ts: ❌ throws',
    '      Error: boom',
    'test/widget/confirm.test.ts: ❌ confirm > shows the fee',
    '      AssertionError: expected 2, got 1',
  ]);
});

test('any other output: its last 20 lines that say something', () => {
  const output = [...Array.from({ length: 30 }, (_, i) => `line ${i}`), '', 'widget/frame/main.ts(3,1): error TS2304'].join('\n');
  const digest = failureDigest(output);
  assert.equal(digest.length, 20);
  assert.equal(digest[0], 'line 11');
  assert.equal(digest.at(-1), 'widget/frame/main.ts(3,1): error TS2304');
});
