/** IntersectionObserver v2 (Chromium): entries say whether the target is really visible, not just on screen. */
type VisibilityEntry = IntersectionObserverEntry & { isVisible?: boolean };

const trackable = typeof IntersectionObserverEntry !== 'undefined' && 'isVisible' in IntersectionObserverEntry.prototype;

/**
 * Whether a press on the Pay button can be what the shopper meant, against clickjacking (a merchant page that shows
 * the frame transparent or under a decoy, or slides or sizes it under the pointer just before a click):
 * - `obscured`: in Chromium (IntersectionObserver v2, `trackVisibility`), the button was last seen not fully visible —
 *   the frame transparent (any opacity below 1), filtered, transformed, covered by anything (even `pointer-events:
 *   none`), or partly clipped or scrolled away;
 * - `settling`: everywhere, for `settleMs` after the button appeared, came back into view (or the frame's document became
 *   visible), or the frame changed size, and until the first observation — a press then is ignored.
 * `onChange` runs when either may have changed, so the owner re-renders.
 */
export class VisibilityGuard {
  /** How long a press is ignored after the button appeared, became visible again, or the frame changed size (ms). */
  static settleMs = 600;

  /** Chromium only: the button is not fully visible (a press is refused with `frame_obscured`). */
  obscured = false;
  private observed = false;
  private visible = false;
  private changedAt = performance.now();
  private timer?: ReturnType<typeof setTimeout>;
  private observer?: IntersectionObserver;

  constructor(private readonly onChange: () => void) {}

  /** A press now is ignored: the button appeared or moved too recently, or has not been observed yet. */
  get settling(): boolean {
    return !this.observed || performance.now() - this.changedAt < VisibilityGuard.settleMs;
  }

  /** Starts watching `target` (the row holding Pay) and the frame's size and visibility. */
  watch(target: Element): void {
    this.stop();
    this.observed = this.visible = this.obscured = false;
    this.observer = new IntersectionObserver(
      (entries) => {
        const entry = entries[entries.length - 1] as VisibilityEntry;
        const visible = trackable ? entry.isVisible === true : entry.isIntersecting;
        // A first observation reports how things were all along (the delay only postpones it); later ones are changes.
        if (visible && !this.visible && this.observed) this.restart();
        this.observed = true;
        this.visible = visible;
        this.obscured = trackable && !visible;
        this.onChange();
      },
      // `trackVisibility` needs a `delay` of at least 100 ms; threshold 1: all of the row must be visible.
      { threshold: [1], trackVisibility: true, delay: 100 } as IntersectionObserverInit,
    );
    this.observer.observe(target);
    this.restart();
    addEventListener('resize', this.onMoved);
    document.addEventListener('visibilitychange', this.onMoved);
  }

  /** Starts the settling period again (say, Pay just became pressable). */
  restart(): void {
    this.changedAt = performance.now();
    clearTimeout(this.timer);
    this.timer = setTimeout(this.onChange, VisibilityGuard.settleMs);
  }

  stop(): void {
    this.observer?.disconnect();
    removeEventListener('resize', this.onMoved);
    document.removeEventListener('visibilitychange', this.onMoved);
    clearTimeout(this.timer);
  }

  private onMoved = () => {
    this.restart();
    this.onChange();
  };
}
