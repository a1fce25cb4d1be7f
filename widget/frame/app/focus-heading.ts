import type { LitElement } from 'lit';

/**
 * Moves focus to a screen's heading (`<h2 tabindex="-1">`) once it has rendered. When a screen replaces the one
 * holding the focus, the focus would otherwise fall back to the frame's body: a screen reader would say nothing and
 * the next Tab would start over from the top.
 */
export async function focusHeading(screen: LitElement | null | undefined): Promise<void> {
  await screen?.updateComplete;
  screen?.renderRoot?.querySelector<HTMLElement>('h2')?.focus();
}
