/**
 * The shopper's "Larger text" choice, remembered on this device (the frame's own localStorage, partitioned per
 * merchant site by the browser like its IndexedDB). Storage may be refused (privacy modes): the choice then lasts
 * for this page only.
 */
const KEY = 'paykey.larger-text';

export function readLargerText(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

export function writeLargerText(on: boolean): void {
  try {
    if (on) localStorage.setItem(KEY, '1');
    else localStorage.removeItem(KEY);
  } catch {
    // Not remembered; the mode still applies now.
  }
}
