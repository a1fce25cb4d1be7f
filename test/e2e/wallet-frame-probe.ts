/**
 * What the e2e tests read behind the wallet's screens: the frame's IndexedDB (from inside the frame, as the frame
 * sees it), the session token the frame sends (from the requests Chromium saw), and the wallet's shopper API called
 * with that token from outside, as anyone holding it could.
 */
import assert from 'node:assert/strict';
import type { Frame, Locator, Page } from 'playwright-core';
import type { SavedCard } from '../../widget/shopper-api.ts';
import type { DemoStack } from './demo-stack.ts';

/** The names of the IndexedDB databases the frame's origin holds under this merchant's site. */
export function frameDatabases(frame: Frame): Promise<string[]> {
  return frame.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
}

/**
 * The cards the frame's device cache holds (`paykey` database, `wallet` store), read without creating the database
 * when it is absent: [] then.
 */
export async function cachedCards(frame: Frame): Promise<SavedCard[]> {
  if (!(await frameDatabases(frame)).includes('paykey')) return [];
  return frame.evaluate(
    () =>
      new Promise<SavedCard[]>((resolve, reject) => {
        const open = indexedDB.open('paykey');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('wallet')) return resolve([]);
          const all = db.transaction('wallet').objectStore('wallet').getAll();
          all.onsuccess = () => {
            db.close();
            resolve((all.result as Array<{ cards?: SavedCard[] }>).flatMap((entry) => entry.cards ?? []));
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

/**
 * Records the bearer tokens the page's wallet frame sends to the wallet's shopper API; `latest()` is the newest.
 * The frame keeps its session in memory only, so this is how a test holds the same token an attacker might have copied.
 */
export function recordSessionTokens(stack: DemoStack, page: Page): { latest(): string } {
  const tokens: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(`${stack.walletUrl}/api/frame/`)) return;
    const match = /^Bearer (.+)$/.exec(request.headers().authorization ?? '');
    if (match && tokens.at(-1) !== match[1]) tokens.push(match[1]);
  });
  return {
    latest() {
      const token = tokens.at(-1);
      assert.ok(token, 'expected the frame to have sent a session token to /api/frame/');
      return token;
    },
  };
}

/** `GET /api/frame/cards` with a session token: the status and body as the server answers. */
export async function serverCards(stack: DemoStack, sessionToken: string): Promise<{ status: number; body: { cards?: SavedCard[]; error?: { code: string } } }> {
  const res = await fetch(`${stack.walletUrl}/api/frame/cards`, { headers: { authorization: `Bearer ${sessionToken}` } });
  return { status: res.status, body: (await res.json()) as { cards?: SavedCard[]; error?: { code: string } } };
}

/** The element that has the focus inside the frame, through shadow roots: its tag, text and focus-ring style. */
export function focusedInFrame(frame: Frame) {
  return frame.evaluate(() => {
    let active: Element | null = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    if (!active || active === document.body) return null;
    const style = getComputedStyle(active);
    const labels = (active as HTMLInputElement).labels;
    return {
      tag: active.tagName.toLowerCase(),
      /** The text of its <label>, or its aria-label. */
      label: ((labels && labels[0]?.textContent) || active.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' '),
      text: (active.textContent ?? '').trim().replace(/\s+/g, ' '),
      role: active.getAttribute('role'),
      type: active.getAttribute('type'),
      outline: { style: style.outlineStyle, width: parseFloat(style.outlineWidth) || 0 },
      boxShadow: style.boxShadow,
    };
  });
}

/** Frame's horizontal overflow: the document's scroll width against its client width. */
export function frameOverflow(frame: Frame) {
  return frame.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
}

/** The text the frame renders, through shadow roots (an element's `innerText` stops at them), one line per block. */
export function frameText(frame: Frame): Promise<string> {
  // No named functions inside: the test's TypeScript is compiled with esbuild's keepNames, whose helper the frame lacks.
  return frame.evaluate(() => {
    const parts: string[] = [];
    const stack: Node[] = [document.body];
    while (stack.length) {
      const node = stack.pop()!;
      if (node.nodeType === Node.TEXT_NODE) {
        const text = node.textContent?.trim();
        if (text) parts.push(text);
      } else if (node instanceof Element && !['STYLE', 'SCRIPT', 'TEMPLATE'].includes(node.tagName)) {
        // Children pushed in reverse so they come off in document order (the shadow tree first, as it renders).
        stack.push(...Array.from(node.childNodes).reverse());
        if (node.shadowRoot) stack.push(...Array.from(node.shadowRoot.childNodes).reverse());
      }
    }
    return parts.join('\n');
  });
}

/** Waits for `locator` in the frame; when it does not come, fails with what the frame shows instead. */
export async function waitInFrame(frame: Frame, locator: Locator, what: string, timeout = 15_000): Promise<void> {
  await locator.waitFor({ timeout }).catch(async () => {
    assert.fail(`expected ${what} within ${timeout} ms; the frame shows:\n${await frameText(frame)}`);
  });
}
