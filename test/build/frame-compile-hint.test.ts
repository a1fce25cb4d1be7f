import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { FRAME_COMPILE_HINT } from '../../vite.config.ts';

/** The built widget (`npx vite build`, which `npm test` runs first). */
const assets = path.join(import.meta.dirname, '..', '..', 'dist', 'widget', 'assets');

describe("the frame module's compile hint (the real build)", () => {
  test('the frame module opens with it, on a line of its own; no other chunk carries it', () => {
    assert.ok(existsSync(assets), `expected ${assets}: run \`npx vite build\` first`);
    const scripts = readdirSync(assets).filter((name) => name.endsWith('.js'));
    const frame = scripts.filter((name) => /^frame-[\w-]+\.js$/.test(name));
    assert.equal(frame.length, 1, `expected one frame-*.js, found ${frame.join(', ') || 'none'}`);
    assert.ok(readFileSync(path.join(assets, frame[0]!), 'utf8').startsWith(`${FRAME_COMPILE_HINT}\n`), `${frame[0]} does not open with ${FRAME_COMPILE_HINT}`);
    const others = scripts.filter((name) => name !== frame[0] && readFileSync(path.join(assets, name), 'utf8').includes(FRAME_COMPILE_HINT));
    assert.deepEqual(others, [], 'lazy chunks compile lazily: most of their functions never run on a first screen');
  });
});
