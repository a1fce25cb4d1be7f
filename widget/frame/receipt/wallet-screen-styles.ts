import { css } from '../theme/css.ts';

/**
 * What the wallet's own screens (receipt, payments, manage cards) add to `sharedStyles`: the Back row above the
 * level-one heading, the brand's surface, plain lists, a visually hidden text for screen readers, and rows that wrap
 * instead of scrolling at 320 px. Colours and corners come from the documented `--paykey-*` properties
 * (`theme/bank-theme.ts`) with the operator's defaults as fallback; sizes in `em`, so the browser's font size and
 * "larger text" (`--paykey-text-scale`) scale them; logical properties, so the layout mirrors under `dir="rtl"`.
 */
export const walletScreenStyles = css`
  :host {
    background: var(--paykey-color-background, #fff);
    overflow-wrap: anywhere;
  }
  .top { display: flex; align-items: center; gap: 0.5em; margin-block-end: 0.5em; }
  button.back { padding-inline: 0.75em 1em; }
  button.danger { background: #b3261e; border-color: #b3261e; color: #fff; }
  ul.plain { list-style: none; margin: 0; padding: 0; }
  ul.plain > li + li { margin-block-start: 0.5em; }
  .secondary { font-size: 0.9em; }
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;
