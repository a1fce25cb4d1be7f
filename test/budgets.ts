/**
 * Weight budgets of the built widget (run after `vite build`): gzip level 9 of
 * - the loader `dist/widget/paykey.js` (≤ 3 KB), and
 * - everything the frame downloads before it is ready: the scripts and stylesheets `frame.html` references, plus
 *   every chunk they import statically (transitively). Dynamic `import()`s are lazy and not counted.
 * Also prints, without a budget, what loads on demand: every other script and stylesheet of the build.
 * Prints a table and exits 1 when a budget is exceeded (or the build is missing).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = join(import.meta.dirname, '..', 'dist', 'widget');
const KB = 1024;
const budgets = { loader: 3 * KB, frame: 30 * KB };
const targets = { loader: 1.5 * KB, frame: 15 * KB };

const gz = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length;

function read(url: string): Buffer {
  const file = join(dist, url.replace(/^\//, ''));
  if (!existsSync(file)) throw new Error(`missing ${file}: run \`npx vite build\` first`);
  return readFileSync(file);
}

/** URLs (site-absolute) of the scripts and stylesheets frame.html loads. */
function htmlEntries(html: string): string[] {
  const urls: string[] = [];
  for (const tag of html.match(/<(script|link)\b[^>]*>/gi) ?? []) {
    const src = /\b(?:src|href)\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1];
    if (!src) continue;
    if (/^<link/i.test(tag) && !/\brel\s*=\s*["']?(stylesheet|modulepreload)/i.test(tag)) continue;
    urls.push(src);
  }
  return urls;
}

/** Static import specifiers of a (minified) ES module: `import … from "x"`, `import "x"`, `export … from "x"`. */
function staticImports(code: string): string[] {
  const specs: string[] = [];
  const re = /(?:^|[;{}\s)])(?:import|export)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["']([^"']+)["']/g;
  for (let m; (m = re.exec(code)); ) specs.push(m[1]);
  return specs;
}

function frameFiles(): string[] {
  const seen = new Set<string>();
  const queue = htmlEntries(read('frame.html').toString('utf8')).map((u) => posix.normalize(new URL(u, 'http://x/frame.html').pathname));
  while (queue.length) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    if (!url.endsWith('.js')) continue;
    for (const spec of staticImports(read(url).toString('utf8'))) {
      queue.push(posix.normalize(posix.join(dirname(url), spec)));
    }
  }
  return [...seen];
}

function main() {
  let over = false;
  const rows: string[][] = [];
  const check = (name: keyof typeof budgets, files: string[]) => {
    const sizes = files.map((f) => ({ f, raw: read(f).length, gzip: gz(read(f)) }));
    for (const s of sizes) rows.push([`  ${s.f}`, `${s.raw}`, `${s.gzip}`, '', '']);
    const total = sizes.reduce((a, s) => a + s.gzip, 0);
    const ok = total <= budgets[name];
    over ||= !ok;
    rows.push([
      name === 'loader' ? 'loader paykey.js' : 'frame before ready',
      `${sizes.reduce((a, s) => a + s.raw, 0)}`,
      `${total} (${(total / KB).toFixed(2)} KB)`,
      `${budgets[name] / KB} KB (aim ${targets[name] / KB} KB)`,
      ok ? 'ok' : 'OVER BUDGET',
    ]);
  };
  check('loader', ['/paykey.js']);
  const firstScreen = frameFiles();
  check('frame', firstScreen);
  const lazy = readdirSync(join(dist, 'assets'))
    .map((f) => `/assets/${f}`)
    .filter((f) => /\.(js|css)$/.test(f) && !firstScreen.includes(f));
  const lazyGzip = lazy.reduce((a, f) => a + gz(read(f)), 0);
  rows.push(['loaded on demand', `${lazy.reduce((a, f) => a + read(f).length, 0)}`, `${lazyGzip} (${(lazyGzip / KB).toFixed(2)} KB)`, '—', '']);
  const head = ['what', 'raw bytes', 'gzip -9 bytes', 'budget', 'status'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  console.log([line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n'));
  if (over) {
    console.error('\nweight budget exceeded');
    process.exit(1);
  }
}

try {
  main();
} catch (error) {
  console.error(String(error));
  process.exit(1);
}
