/**
 * What failed in one step of `npm test`, short enough to print again at the end of the run (`run-all.ts`), so the last
 * lines of a CI log name each failing test with its error, not only the step. A node:test spec report gives its
 * "failing tests" section; a web-test-runner report its ❌ entries under their file; any other output its last lines.
 * Stack frames are left out (the error and its values say what was expected and what came); each failure keeps at most
 * `linesPerFailure` lines.
 */
export function failureDigest(output: string, linesPerFailure = 12): string[] {
  const lines = output.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').split(/\r?\n/);
  return nodeTestFailures(lines, linesPerFailure) ?? webTestRunnerFailures(lines, linesPerFailure) ?? lastLines(lines, 20);
}

const STACK_FRAME = /^\s+at \S/;

/** The blocks after node:test's `✖ failing tests:`, each from its `test at <file>:<line>` on. */
function nodeTestFailures(lines: string[], linesPerFailure: number): string[] | undefined {
  const start = lines.lastIndexOf('✖ failing tests:');
  if (start < 0) return undefined;
  const blocks: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('test at ')) blocks.push([]);
    if (blocks.length && line.trim() && !STACK_FRAME.test(line)) blocks.at(-1)!.push(line);
  }
  return blocks.length ? blocks.flatMap((block) => block.slice(0, linesPerFailure)) : undefined;
}

/** web-test-runner's `❌ <suite> > <test>` entries with the lines under each, named by the test file above them. */
function webTestRunnerFailures(lines: string[], linesPerFailure: number): string[] | undefined {
  const out: string[] = [];
  let file = '';
  let kept = -1;
  for (const line of lines) {
    const fileHeading = /^\S.*\.test\.[jt]s:$/.exec(line.trim());
    if (fileHeading) file = fileHeading[0];
    if (line.trimStart().startsWith('❌ ')) {
      out.push(`${file} ${line.trim()}`.trim());
      kept = 1;
    } else if (kept > 0 && line.trim() && !STACK_FRAME.test(line) && kept < linesPerFailure) {
      out.push(line);
      kept++;
    } else if (!line.trim()) {
      kept = -1;
    }
  }
  return out.length ? out : undefined;
}

function lastLines(lines: string[], count: number): string[] {
  return lines.filter((line) => line.trim()).slice(-count);
}
