/**
 * Moves focus to a screen's level-one heading (`<h1 tabindex="-1">`) once it has rendered. When a screen replaces
 * the one holding the focus, the focus would otherwise fall back to the frame's body: a screen reader would say
 * nothing and the next Tab would start over from the top.
 */
export async function focusHeading(screen: Element | null | undefined): Promise<void> {
  (await screenHeading(screen))?.focus();
}

/** The screen's level-one heading (a screen element's, inside its shadow root), once it has rendered. */
export async function screenHeading(screen: Element | null | undefined): Promise<HTMLElement | null> {
  if (!screen) return null;
  await (screen as Element & { updateComplete?: Promise<unknown> }).updateComplete;
  const root = screen.shadowRoot ?? screen;
  // `h2`: screens not yet moved to a level-one heading.
  return root.querySelector<HTMLElement>('h1') ?? root.querySelector<HTMLElement>('h2');
}
