/**
 * Builds the widget into `dist/widget`:
 * - the frame: `frame.html` + hashed chunks under `/assets/`, from `widget/frame/frame.html`;
 * - the loader: `paykey.js`, one self-contained ES module with no imports, from `widget/loader/paykey.ts`.
 * `vite build` runs the frame build, then the loader build from a tiny plugin, so one command produces both.
 */
import { fileURLToPath } from 'node:url';
import { build, defineConfig, type Plugin } from 'vite';

const repo = fileURLToPath(new URL('.', import.meta.url));
const outDir = `${repo}dist/widget`;

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
    },
  };
}

export default defineConfig({
  root: `${repo}widget/frame`,
  base: '/',
  publicDir: false,
  plugins: [loaderBuild()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    // No preload helper or polyfill: the frame's lazy chunks only depend on code the entry already loaded.
    modulePreload: false,
    assetsDir: 'assets',
    rolldownOptions: {
      input: `${repo}widget/frame/frame.html`,
      output: { minify: true },
    },
  },
});
