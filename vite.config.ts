/**
 * Builds the widget into `dist/widget`:
 * - the frame: `frame.html` + hashed chunks under `/assets/`, from `widget/frame/frame.html`;
 * - the loader: `paykey.js`, one self-contained ES module with no imports, from `widget/loader/paykey.ts`; the same
 *   bytes again at a versioned, immutable path named after their hash, `paykey/v1.<hash>/paykey.js`, and that path
 *   with the file's Subresource Integrity value in `loader.json` (README "2. Embed the checkout" shows both; a test
 *   checks it against the build).
 * `vite build` runs the frame build, then the loader build from a tiny plugin, so one command produces both.
 * Each build empties `dist/widget` except `paykey/`: a merchant page pinned to an earlier loader keeps working as long
 * as its versioned copy stays there.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build, defineConfig, type Plugin } from 'vite';
import { collapseHtmlWhitespace } from './widget/build/collapse-html-whitespace.ts';
import { inlineFrameBoot } from './widget/build/inline-frame-boot.ts';
import { compiledOnlyLitHtml, compiledPartsId, compiledPartsModule } from './widget/build/lit-html-compiled-only.ts';
import { precompileTemplates } from './widget/build/precompile-templates.ts';

const repo = fileURLToPath(new URL('.', import.meta.url));
const outDir = `${repo}dist/widget`;

/** Empties the output directory but for the versioned loaders, which pinned merchant pages still load. */
function emptyOutDirKeepingLoaders(): Plugin {
  return {
    name: 'paykey-empty-out-dir',
    apply: 'build',
    async buildStart() {
      const entries = await readdir(outDir).catch(() => []);
      await Promise.all(entries.filter((name) => name !== 'paykey').map((name) => rm(`${outDir}/${name}`, { recursive: true, force: true })));
    },
  };
}

/**
 * Vite wraps each dynamic `import()` in a helper that preloads the imported chunk's own static imports (so they download
 * side by side, not one after another). Its stock version (~1 KB compressed) also handles CSS files and a preload-error
 * event; the frame has neither (styles live in its scripts), so a few lines do the same and the first chunk is lighter.
 */
function smallPreloadHelper(): Plugin {
  const id = '\0vite/preload-helper.js';
  return {
    name: 'paykey-small-preload-helper',
    enforce: 'pre',
    apply: 'build',
    load: {
      filter: { id: /^\0vite\/preload-helper\.js$/ },
      handler(loaded) {
        if (loaded !== id) return null;
        return `const seen = new Set();
export const __vitePreload = (load, deps) => {
  for (const dep of deps ?? []) {
    const href = ${JSON.stringify('/')} + dep;
    if (seen.has(href)) continue;
    seen.add(href);
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.href = href;
    document.head.append(link);
  }
  return load();
};`;
      },
    },
  };
}

/**
 * `css` templates (`widget/frame/theme/css.ts`) reach the browser as written: comments, indentation and a declaration per line. This strips
 * those (comments, runs of whitespace, spaces around `{ } ; , >` and after `:`); the rules themselves are unchanged. Only
 * templates with no `${…}` are touched, so nothing computed is ever rewritten.
 */
function minifyCssTemplates(): Plugin {
  const minify = (text: string) =>
    text
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\s+/g, ' ')
      .replace(/\s*([{};,>])\s*/g, '$1')
      .replace(/:\s+/g, ':')
      .replace(/;}/g, '}')
      .trim();
  return {
    name: 'paykey-minify-css-templates',
    enforce: 'pre',
    apply: 'build',
    transform: {
      filter: { id: /\/widget\/.*\.ts$/, code: 'css`' },
      handler(code) {
        return code.replace(/\bcss`([^`]*)`/g, (whole, text: string) => (text.includes('${') ? whole : `css\`${minify(text)}\``));
      },
    },
  };
}

/** `html` templates without their source indentation (`collapseHtmlWhitespace`: rendered the same). */
function collapseHtmlTemplates(): Plugin {
  return {
    name: 'paykey-collapse-html-templates',
    enforce: 'pre',
    apply: 'build',
    transform: {
      filter: { id: /\/widget\/.*\.ts$/, code: 'html`' },
      handler: (code) => collapseHtmlWhitespace(code),
    },
  };
}

/**
 * Every `html` template compiled by Lit's compiler (`precompileTemplates`; after `collapseHtmlTemplates`, so compiled
 * templates are as compact), and lit-html without its run-time template preparation, which compiled templates never
 * reach (`compiledOnlyLitHtml`), with the module their parts are made by.
 */
function precompiledTemplates(): Plugin {
  const partsId = `\0${compiledPartsId}`;
  return {
    name: 'paykey-precompiled-templates',
    enforce: 'pre',
    apply: 'build',
    resolveId: {
      filter: { id: new RegExp(`^${compiledPartsId}$`) },
      handler: () => partsId,
    },
    load: {
      filter: { id: new RegExp(`/node_modules/lit-html/lit-html\\.js$|^\\0${compiledPartsId}$`) },
      async handler(id) {
        if (id === partsId) return compiledPartsModule;
        return compiledOnlyLitHtml(await readFile(id, 'utf8'));
      },
    },
    transform: {
      filter: { id: /\/widget\/.*\.ts$/, code: 'html`' },
      handler: (code, id) => precompileTemplates(code, id),
    },
  };
}

/** The frame page as sent: no comments, no whitespace between tags (the source keeps both for readers). */
function compactHtml(): Plugin {
  return {
    name: 'paykey-compact-html',
    apply: 'build',
    enforce: 'post',
    // After Vite has injected its tags, which a `transformIndexHtml` hook would not see.
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'asset' || !file.fileName.endsWith('.html')) continue;
        file.source = String(file.source).replace(/<!--[\s\S]*?-->/g, '').replace(/>\s+</g, '><').trim();
      }
    },
  };
}

/** Second pass: the loader is a library build so it never shares a chunk with (or imports from) the frame. */
function loaderBuild(): Plugin {
  return {
    name: 'paykey-loader-build',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        root: repo,
        logLevel: 'warn',
        publicDir: false,
        build: {
          outDir,
          emptyOutDir: false,
          target: 'es2022',
          minify: true,
          lib: { entry: `${repo}widget/loader/paykey.ts`, formats: ['es'], fileName: () => 'paykey.js' },
          rolldownOptions: { output: { minify: true } },
        },
      });
      await writeVersionedLoader();
    },
  };
}

/** What `loader.json` holds: where the immutable copy of the loader is, and its `integrity` attribute value. */
export interface LoaderManifest {
  /** Site-absolute: `/paykey/v1.<first 12 hex digits of the SHA-384>/paykey.js`. */
  path: string;
  /** `sha384-<base64>`, for `<script integrity>`. */
  integrity: string;
}

/**
 * Copies `paykey.js` to a path named after its content (`v1` is the loader ↔ frame protocol version), so what a URL
 * serves never changes and may be cached for a year and pinned with Subresource Integrity.
 */
async function writeVersionedLoader(): Promise<void> {
  const loader = await readFile(`${outDir}/paykey.js`);
  const digest = createHash('sha384').update(loader).digest();
  const manifest: LoaderManifest = {
    path: `/paykey/v1.${digest.toString('hex').slice(0, 12)}/paykey.js`,
    integrity: `sha384-${digest.toString('base64')}`,
  };
  await mkdir(`${outDir}${manifest.path.replace(/\/paykey\.js$/, '')}`, { recursive: true });
  await writeFile(`${outDir}${manifest.path}`, loader);
  await writeFile(`${outDir}/loader.json`, `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * V8's explicit compile hint (Chromium 136+, WICG "Explicit JavaScript Compile Hints", per file) atop the frame's
 * module: every function in it is compiled eagerly, off the main thread while the file streams in, and kept in the
 * code cache, instead of one by one on the main thread as the module first calls each; nearly all of them run before
 * `ready`. The magic comment must be the file's first line, so it goes on after minification and after Vite's own
 * preload list (both would drop or precede it). 29 bytes, 27 on the wire. Measured: time to ready about 0.07×
 * less cold and 0.05× warm (docs/performance.md, "The compile hint").
 */
function compileHintForFrameModule(): Plugin {
  return {
    name: 'paykey-frame-compile-hint',
    apply: 'build',
    enforce: 'post',
    // Vite writes its preload list into the module's first line as the bundle is generated: the hint goes on the
    // file as written.
    async writeBundle(options, bundle) {
      const frame = Object.values(bundle).find((file) => file.type === 'chunk' && file.name === 'frame');
      if (!frame) throw new Error('paykey-frame-compile-hint: expected the frame module (the chunk named frame) in the bundle, found none');
      const file = `${options.dir ?? outDir}/${frame.fileName}`;
      await writeFile(file, `${FRAME_COMPILE_HINT}\n${await readFile(file, 'utf8')}`);
    },
  };
}

/** The magic comment (`compileHintForFrameModule`). */
export const FRAME_COMPILE_HINT = '//# allFunctionsCalledOnLoad';

/** The chunks whose files keep their names: the frame's module and the confirm screen's (the `codeSplitting` groups). */
const namedChunks = new Set(['frame', 'paykey-confirm']);

export default defineConfig({
  root: `${repo}widget/frame`,
  base: '/',
  publicDir: false,
  plugins: [smallPreloadHelper(), minifyCssTemplates(), collapseHtmlTemplates(), precompiledTemplates(), compactHtml(), inlineFrameBoot(`${repo}widget/frame/boot/inline-boot.ts`), compileHintForFrameModule(), emptyOutDirKeepingLoaders(), loaderBuild()],
  build: {
    outDir,
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    // `<link rel="modulepreload">` in frame.html for every chunk the entry imports at once, so they download side by
    // side with it; no polyfill (every browser the frame supports has modulepreload). For each dynamic import, the
    // chunks its target imports statically are preloaded beside it (`smallPreloadHelper`), but for the target itself
    // (the import fetches it) and the confirm screen's chunk: whatever needs that one asks for it at the same moment
    // (`CheckoutFlow.loadScreen` with `cardCode`, and the whole English table is in it), and it is warmed once the
    // first screen shows. Its name, written in every list, was a sixth of the lists' bytes in the frame's module.
    modulePreload: { polyfill: false, resolveDependencies: (chunk, deps) => deps.filter((dep) => dep !== chunk && !dep.startsWith('assets/paykey-confirm-')) },
    assetsDir: 'assets',
    manifest: true,
    rolldownOptions: {
      input: `${repo}widget/frame/frame.html`,
      output: {
        minify: true,
        // Six characters of the content hash (36 bits) still tell one build's chunk from the next, which is all an
        // immutable URL needs. Each lazy chunk's file name is written in the frame's module, which loads it, so those
        // are the hash alone (about 180 B less before ready than with their names); `.vite/manifest.json` in the build
        // says which source each file holds (`test/frame-weight.ts` prints it). The two groups below keep their names.
        entryFileNames: 'assets/[name]-[hash:6].js',
        chunkFileNames: ({ name }) => (namedChunks.has(name) ? 'assets/[name]-[hash:6].js' : 'assets/[hash:6].js'),
        // One chunk before the first screen: the entry with everything it imports statically (the loader channel, the
        // API client, Lit, the wallet, sign-in, the first screen's English messages; lazy screens import them from it),
        // not a few chunks split by which later screens share what. One request, one module to evaluate, no second
        // chunk's glue. The device cache with idb is a chunk of its own: the entry asks for it at once only where the
        // device's hint says saved cards; a new shopper's frame reads it after ready.
        codeSplitting: {
          groups: [
            { name: 'frame', test: /widget\/frame\/main\.ts$/, priority: 2 },
            { name: 'wallet-cache', test: /widget\/frame\/storage\/wallet-cache\.ts$|node_modules\/idb\//, priority: 2, includeDependenciesRecursively: false },
            // With the confirm screen, in one download: the later screens' templates, the card side of the flow
            // (`card-checkout.ts`: terms, offers, Pay), the whole English table and the amount formatting. A returning
            // shopper's first screen needs them all; a new shopper's next screens need them too, and they are warmed
            // once the first screen shows.
            // (A zh-CN shopper gets the English table with it: the screens' elements default to it.)
            { name: 'paykey-confirm', test: /widget\/frame\/(confirm\/(paykey-confirm|visibility-guard)|app\/(later-screen-views|card-checkout|terms-keeper|with-cards|session-lost|flow-timing|whole-table)|i18n\/(en(-later)?|localized)|money\/format-amount|theme\/form-styles|api\/shopper-calls)\.ts$/, priority: 1, includeDependenciesRecursively: false },
          ],
        },
      },
    },
  },
});
