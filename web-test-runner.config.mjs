// Component tests of the widget in real Chromium: `npx wtr --config web-test-runner.config.mjs`.
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { tsImport } from 'tsx/esm/api';

// The frame's build compiles every Lit template and ships lit-html without its run-time template preparation
// (`widget/build/precompile-templates.ts`, `lit-html-compiled-only.ts`): the components are tested the same way.
const { precompileTemplates } = await tsImport('./widget/build/precompile-templates.ts', import.meta.url);
const { compiledOnlyLitHtml, compiledPartsId, compiledPartsModule } = await tsImport('./widget/build/lit-html-compiled-only.ts', import.meta.url);
const compiledPartsPath = '/__paykey/compiled-parts.js';
// The same Chromium and flags as every other browser test and the bench (`test/support/chromium.ts`).
const { chromiumArgs, chromiumPath } = await tsImport('./test/support/chromium.ts', import.meta.url);

/** `html` templates compiled (before esbuild, which then strips the types), lit-html as the build ships it. */
const precompiledTemplates = {
  name: 'paykey-precompiled-templates',
  resolveImport: ({ source }) => (source === compiledPartsId ? compiledPartsPath : undefined),
  serve: (context) => (context.path === compiledPartsPath ? { body: compiledPartsModule, type: 'js' } : undefined),
  transform(context) {
    if (context.path.endsWith('/node_modules/lit-html/lit-html.js')) return { body: compiledOnlyLitHtml(context.body) };
    if (/^\/(widget|test\/widget)\/.*\.ts$/.test(context.path) && context.body.includes('html`')) {
      return { body: precompileTemplates(context.body, fileURLToPath(new URL(`.${context.path}`, import.meta.url))).code };
    }
  },
};

export default {
  files: ['test/widget/**/*.test.ts'],
  // Production builds of Lit, as the frame ships (and without the dev-mode console warning).
  nodeResolve: { exportConditions: ['production'] },
  concurrency: 1,
  // The loader tests point an iframe at /frame/<id> on this server: answer with an empty page, not a 404.
  middleware: [
    (ctx, next) => {
      if (!ctx.path.startsWith('/frame/')) return next();
      ctx.type = 'html';
      ctx.body = '<!doctype html><title>stub wallet frame</title>';
    },
  ],
  plugins: [
    precompiledTemplates,
    esbuildPlugin({
      ts: true,
      target: 'es2022',
      // useDefineForClassFields:false: class fields are assigned, so a TemplateElement's reactive properties go through
      // their accessors (as in the Vite build).
      tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)),
    }),
  ],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: chromiumPath(),
        headless: true,
        args: chromiumArgs,
      },
    }),
  ],
  testFramework: { config: { timeout: 10000 } },
  testsFinishTimeout: 120000,
};
