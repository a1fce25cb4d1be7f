/**
 * Which first screen this device needed last time: `confirm` while the device cache holds saved cards, else `sign-in`.
 * Kept in the frame's localStorage (partitioned per merchant site by the browser, like its IndexedDB) as one word,
 * nothing about the shopper. It is read synchronously as the frame's entry runs, so that screen's code downloads at
 * once, beside the IndexedDB open and read that decide which screen shows (in a fresh profile that read is the frame's
 * longest wait). A missing or stale hint costs one download more, never a wrong screen. Storage may be refused
 * (privacy modes): the hint then says `sign-in`, as it does on a first visit.
 */
const KEY = 'paykey.first-screen';

export type FirstScreen = 'sign-in' | 'confirm';

export function readFirstScreenHint(): FirstScreen {
  try {
    return localStorage.getItem(KEY) === 'confirm' ? 'confirm' : 'sign-in';
  } catch {
    return 'sign-in';
  }
}

/** The hint as the device cache's `expectsCards()`: saved cards were cached here when it last looked. */
export const expectsSavedCards = (): boolean => readFirstScreenHint() === 'confirm';

/** What the device cache now holds: saved cards (the next first screen is confirm) or none. */
export function noteCachedCards(count: number): void {
  try {
    if (count > 0) localStorage.setItem(KEY, 'confirm');
    else localStorage.removeItem(KEY);
  } catch {
    // Not remembered: the next visit waits for its IndexedDB read, as it would without the hint.
  }
}
