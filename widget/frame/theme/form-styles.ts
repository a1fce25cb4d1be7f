import { css } from './css.ts';

/**
 * The form controls' rules, shared by every screen after the first (which add them right after `sharedStyles`): a
 * label above its field; text fields as tall as a touch target (44 px), in the brand's border and corners; a checkbox
 * row whose whole height is the target; hints and errors under a field; fields side by side while they fit. Sign-in
 * has none of these, so a new shopper's first screen does not download them.
 *
 * Nothing here may be overridden by a later rule of `sharedStyles` for the same element: the split moved these after
 * `.stack > * + *` (which only ever holds buttons) and the media queries (which set no property these set).
 */
export const formStyles = css`
  input:focus-visible { outline-offset: 0; }
  label { display: block; font-weight: 600; margin-block-end: .25em; }
  input:not([type='checkbox'], [type='radio']) {
    font: inherit;
    width: 100%;
    min-height: 44px;
    padding: .5em .75em;
    border: 1px solid var(--paykey-color-border, #596070);
    border-radius: var(--paykey-radius, 8px);
    color: inherit;
    background: var(--paykey-color-background, #fff);
  }
  input[aria-invalid='true'] { border: 2px solid #b3261e; }
  /* A checkbox with its label: the whole row (at least 44 px high) is the target. */
  .check {
    display: flex;
    align-items: center;
    gap: .6em;
    min-height: 44px;
    margin: 0;
    cursor: pointer;
  }
  .check input { flex: none; width: 1.4em; height: 1.4em; margin: 0; accent-color: var(--paykey-color-primary, #1f3fbf); }
  .field { margin-block-end: .9em; }
  .hint { font-size: .9em; font-weight: normal; }
  .error { color: #b3261e; font-size: .9em; margin: .25em 0 0; }
  .error:empty { margin: 0; }
  /* Side by side while both fit (about 9 characters each), stacked in narrow frames and larger text. */
  .row { display: flex; flex-wrap: wrap; column-gap: .75em; }
  .row > * { flex: 1 1 9em; min-width: 0; }
`;
