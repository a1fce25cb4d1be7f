// Component tests of the widget in real Chromium: `npx wtr --config web-test-runner.config.mjs`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';

const executablePath = [process.env.CHROME_PATH, '/usr/bin/chromium'].find((p) => p && existsSync(p));
if (!executablePath) throw new Error('No Chromium: set CHROME_PATH or apt-get install -y chromium');

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
        executablePath,
        headless: true,
        // Our own --disable-features replaces Playwright's list (which breaks IndexedDB in cross-origin frames).
        args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-features=Translate,MediaRouter'],
      },
    }),
  ],
  testFramework: { config: { timeout: 10000 } },
  testsFinishTimeout: 120000,
};
