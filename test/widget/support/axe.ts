/**
 * axe-core in the test browser: every rule of WCAG 2.0, 2.1 and 2.2 at levels A and AA, plus axe's best practices,
 * and a test fails on any violation whatever its impact, listing each with its rule id, the elements (shadow-DOM
 * paths) and the rule's help text.
 *
 *   await assertNoAxeViolations(element);            // one component, e.g. a screen mounted with `mount()`
 *   await assertNoAxeViolations(document, 'zh-CN');   // the whole page
 *
 * axe ships as a classic script, so it is loaded once from the test server's node_modules by a <script> element
 * (the frame never loads it). Runs are serialized: axe refuses to run twice at once.
 */
import type { AxeResults, ElementContext, Result, RunOptions } from 'axe-core';
import { AssertionError } from './assert.ts';

type Axe = typeof import('axe-core');

declare global {
  interface Window {
    axe?: Axe;
  }
}

/** The rule sets checked: WCAG 2.0/2.1/2.2 A and AA, and best practices. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice'] as const;

let loading: Promise<Axe> | undefined;

function loadAxe(): Promise<Axe> {
  loading ??= new Promise<Axe>((resolve, reject) => {
    if (window.axe) return resolve(window.axe);
    const script = document.createElement('script');
    script.src = '/node_modules/axe-core/axe.min.js';
    script.onload = () => (window.axe ? resolve(window.axe) : reject(new Error('axe-core loaded but did not define window.axe')));
    script.onerror = () => reject(new Error(`could not load ${script.src}: is axe-core installed (npm ci)?`));
    document.head.append(script);
  });
  return loading;
}

let queue: Promise<unknown> = Promise.resolve();

/** The violations axe finds in `context` (an element, a document, or an axe context object). */
export async function axeViolations(context: ElementContext = document, options: RunOptions = {}): Promise<Result[]> {
  const axe = await loadAxe();
  const run = queue.then(() =>
    axe.run(context, {
      runOnly: { type: 'tag', values: [...AXE_TAGS] },
      resultTypes: ['violations'],
      ...options,
    }),
  );
  queue = run.catch(() => {});
  const results: AxeResults = await run;
  return results.violations;
}

/** One line per violation and element: `color-contrast (serious) at paykey-card-form >>> button: Elements must… (url)`. */
export function describeViolations(violations: readonly Result[]): string {
  return violations
    .flatMap((v) =>
      v.nodes.map((node) => {
        const target = node.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : String(t))).join(', ');
        const detail = node.failureSummary ? ` — ${node.failureSummary.replace(/\s+/g, ' ').trim()}` : '';
        return `${v.id} (${v.impact ?? 'no impact'}) at ${target}: ${v.help} (${v.helpUrl})${detail}`;
      }),
    )
    .join('\n');
}

/** Fails with every violation of any impact, each on its own line of the assertion's message. */
export async function assertNoAxeViolations(context: ElementContext = document, label = ''): Promise<void> {
  const violations = await axeViolations(context);
  if (!violations.length) return;
  const report = describeViolations(violations);
  throw new AssertionError(`axe found ${violations.length} violated rule(s)${label ? ` in ${label}` : ''}:\n${report}`);
}
