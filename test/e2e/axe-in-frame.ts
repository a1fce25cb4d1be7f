/**
 * axe-core inside the real wallet frame of the demo, with the rule sets and report format of the component tests
 * (`test/widget/support/axe.ts`: WCAG 2.0/2.1/2.2 A and AA plus best practices, any impact fails).
 *
 * The frame's CSP allows only its own scripts, so axe is not added as a <script>: its source is evaluated through
 * the DevTools protocol (as a person's browser extension would), which leaves the page's CSP and markup untouched.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Result } from 'axe-core';
import type { Frame } from 'playwright-core';
import { AXE_TAGS, describeViolations } from '../widget/support/axe.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The violations axe finds in the frame's whole document (shadow roots included). */
export async function axeViolationsInFrame(frame: Frame): Promise<Result[]> {
  if (!(await frame.evaluate(() => 'axe' in window))) await frame.evaluate(axeSource);
  return frame.evaluate(
    async (tags) => {
      const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
      const results = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      // Only what the report needs crosses back (axe's nodes hold DOM references).
      return results.violations.map((v) => ({
        ...v,
        nodes: v.nodes.map((n) => ({ ...n, element: undefined, any: [], all: [], none: [] })),
      }));
    },
    [...AXE_TAGS],
  ) as Promise<Result[]>;
}

/** Fails on any violation of any impact, naming the screen and printing each rule id, target and help. */
export async function assertNoAxeViolationsInFrame(frame: Frame, screen: string): Promise<void> {
  const violations = await axeViolationsInFrame(frame);
  if (violations.length) {
    const report = describeViolations(violations);
    console.error(`axe (${screen}):\n${report}`);
    assert.fail(`axe found ${violations.length} violated rule(s) on ${screen}:\n${report}`);
  }
}
