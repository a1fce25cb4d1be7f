import { css } from 'lit';

/**
 * Styles the wallet's own screens (receipt, payments, manage cards) share on top of `sharedStyles`: the level-one
 * heading with its Back button, a visually hidden text for screen readers, and rows that wrap instead of scrolling
 * at 320 px. Brand colours come from the documented `--paykey-*` properties (`theme/bank-theme.ts`), each with the
 * operator's default as fallback; sizes in rem so the browser's font size and "larger text" scale them; logical
 * properties so the layout mirrors under `dir="rtl"`.
 */
export const walletScreenStyles = css`
  :host {
    color: var(--paykey-color-text, #1a1d24);
    background: var(--paykey-color-background, #fff);
    font-family: var(--paykey-font, system-ui, -apple-system, 'Segoe UI', Roboto, 'PingFang SC', 'Microsoft YaHei', sans-serif);
    overflow-wrap: anywhere;
  }
  .top { display: flex; align-items: center; gap: 0.5rem; margin-block-end: 0.5rem; }
  h1 { font-size: 1.35rem; line-height: 1.3; margin: 0 0 0.75rem; }
  h1:focus { outline: none; box-shadow: none; }
  h2 { font-size: 1.1rem; margin: 0 0 0.5rem; }
  button {
    min-height: 2.75rem;
    min-width: 2.75rem;
    border-radius: var(--paykey-radius, 0.5rem);
    border-color: var(--paykey-color-border, #596070);
    color: var(--paykey-color-text, #1a1d24);
    background: var(--paykey-color-background, #fff);
  }
  button.primary {
    background: var(--paykey-color-primary, #1f3fbf);
    color: var(--paykey-color-on-primary, #fff);
  }
  button.back { padding-block: 0.5rem; padding-inline: 0.75rem 1rem; }
  button.danger { background: #b3261e; border-color: #b3261e; color: #fff; }
  :focus-visible { box-shadow: 0 0 0 0.125rem var(--paykey-color-accent, #f0a000); }
  ul.plain { list-style: none; margin: 0; padding: 0; }
  ul.plain > li + li { margin-block-start: 0.5rem; }
  .secondary { font-size: 0.9rem; }
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
  @media (prefers-reduced-motion: reduce) {
    * { transition: none !important; animation: none !important; }
  }
`;
