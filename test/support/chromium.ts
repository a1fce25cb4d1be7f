import { existsSync } from 'node:fs';

/** The Chromium tests use: `CHROME_PATH` first, then Debian's `/usr/bin/chromium`. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium'].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(`No Chromium found (looked at ${candidates.join(', ')}): install it with "apt-get install -y chromium" or set CHROME_PATH.`);
  }
  return found;
}

/**
 * Flags for headless Chromium on these machines. Our own `--disable-features`
 * replaces Playwright's list, which would otherwise switch off third-party
 * storage partitioning and break IndexedDB inside the cross-origin wallet frame.
 * `WebUIOmniboxPopup` and `WebUIOmniboxAimPopup` off (as Puppeteer launches Chrome
 * since its PR #15278): otherwise every new browser context builds the address
 * bar's popup, a WebUI page of a few hundred `chrome://resources` loads, on the
 * cores the page under test is timed on.
 */
export const chromiumArgs = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=Translate,MediaRouter,WebUIOmniboxPopup,WebUIOmniboxAimPopup',
];
