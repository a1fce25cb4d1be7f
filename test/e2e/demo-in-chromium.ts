/** The demo (demo-stack.ts) and a real Chromium to drive it, for a test file: started and closed together. */
import { chromium, type Browser } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../support/chromium.ts';
import { startDemoStack, type DemoStack } from './demo-stack.ts';

export interface DemoInChromium {
  stack: DemoStack;
  browser: Browser;
}

/** `env`: settings for the demo, as `startDemoStack` takes them (say, a short `PAYKEY_BANK_TIMEOUT_MS`). */
export async function startDemoInChromium(env: Record<string, string> = {}): Promise<DemoInChromium> {
  const stack = await startDemoStack(env);
  try {
    return { stack, browser: await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs }) };
  } catch (error) {
    await stack.stop();
    throw error;
  }
}

/** Closes the browser, then the demo; either may be missing (a `before` that failed half way). */
export async function closeDemoInChromium({ stack, browser }: Partial<DemoInChromium>): Promise<void> {
  await browser?.close();
  await stack?.stop();
}
