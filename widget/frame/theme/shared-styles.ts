import { css } from './css.ts';

/**
 * Tokens and control styles shared by every screen of the frame.
 *
 * - Colours, corners and font come from the brand as the documented `--paykey-*` custom properties (see
 *   `bank-theme.ts`); the fallbacks are the operator's defaults, at WCAG AA on white.
 * - Text is sized in `rem`/`em` only, never `px`: it follows the browser's font size. "Larger text" multiplies it by
 *   `--paykey-text-scale`, which the wallet element sets on its own host with the `larger-text` attribute (inherited
 *   by every screen inside it); spacing is in `em`, so it grows with the text.
 * - Every target is at least 44×44 CSS px; rows wrap rather than scroll sideways at 320 px; margins and paddings are
 *   logical (`-inline-start`), so the layout mirrors under `dir="rtl"`.
 * - The focus ring is dark ink around a ring of the brand's accent, so it stays well over 3:1 against the frame's
 *   surface whatever the accent; in forced-colors mode the box-shadow drops and the outline takes the system colour.
 * - Busy buttons use `aria-disabled` rather than `disabled`, so the focus stays on them while a request runs.
 * - `prefers-reduced-motion: reduce` turns animations and transitions off.
 *
 * The form controls' rules (labels, text fields, checkboxes, hints, errors, rows of fields) are `formStyles`, which
 * every screen after the first adds right after these: a new shopper's first screen (sign-in) has no form control,
 * so its chunk does not carry them.
 */
export const sharedStyles = css`
  :host {
    display: block;
    color: var(--paykey-color-text, #1a1d24);
    font-family: var(--paykey-font, system-ui, -apple-system, 'Segoe UI', Roboto, 'PingFang SC', 'Microsoft YaHei', sans-serif);
    font-size: calc(1rem * var(--paykey-text-scale, 1));
    line-height: 1.5;
    overflow-wrap: break-word;
  }
  :host([larger-text]) { --paykey-text-scale: 1.3; }
  * { box-sizing: border-box; }
  h1 { font-size: 1.3em; line-height: 1.3; margin: 0 0 .6em; }
  h2 { font-size: 1.15em; line-height: 1.3; margin: 0 0 .75em; }
  p { margin: 0 0 .75em; }
  button {
    font: inherit;
    font-weight: 600;
    min-height: 44px;
    min-width: 44px;
    max-width: 100%;
    padding: .6em 1em;
    border-radius: var(--paykey-radius, 8px);
    border: 1px solid var(--paykey-color-border, #596070);
    background: var(--paykey-color-background, #fff);
    color: var(--paykey-color-text, #1a1d24);
    cursor: pointer;
  }
  button.primary {
    width: 100%;
    border-color: transparent;
    background: var(--paykey-color-primary, var(--pk-primary, #1f3fbf));
    color: var(--paykey-color-on-primary, var(--pk-on-primary, #fff));
  }
  button.link { border: 0; background: none; padding: .5em .25em; text-decoration: underline; }
  button:is([disabled], [aria-disabled='true']) { opacity: .6; cursor: progress; }
  :focus-visible {
    outline: 3px solid var(--paykey-color-text, #1a1d24);
    outline-offset: 2px;
    box-shadow: 0 0 0 2px var(--paykey-color-accent, var(--pk-accent, #f0a000));
  }
  /* Headings take the focus only so a screen reader starts reading the new screen there; they are not controls. */
  :is(h1, h2)[tabindex='-1']:focus { outline: none; box-shadow: none; }
  .stack > * + * { margin-block-start: .6em; }
  @media (forced-colors: active) {
    button:is([disabled], [aria-disabled='true']) { color: GrayText; border-color: GrayText; opacity: 1; }
  }
  @media (prefers-reduced-motion: reduce) {
    *, ::before, ::after { animation-duration: .01ms !important; animation-iteration-count: 1 !important; transition-duration: .01ms !important; scroll-behavior: auto !important; }
  }
`;
