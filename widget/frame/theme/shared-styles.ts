import { css } from 'lit';

/**
 * Tokens and control styles shared by every screen. Bank colours arrive as `--pk-primary`, `--pk-on-primary`
 * and `--pk-accent` (see `bank-theme.ts`); the fallbacks keep contrast at WCAG AA on white.
 * The focus ring is dark ink around a ring of the bank's accent, so it stays well over 3:1 against the frame's white
 * surface whatever the accent; in forced-colors mode the box-shadow drops and the outline takes the system colour.
 * Busy buttons use `aria-disabled` rather than `disabled`, so the focus stays on them while a request runs.
 */
export const sharedStyles = css`
  :host {
    display: block;
    color: #1a1d24;
    font: 16px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, 'PingFang SC', 'Microsoft YaHei', sans-serif;
  }
  * { box-sizing: border-box; }
  h2 { font-size: 1.15rem; margin: 0 0 .75rem; }
  p { margin: 0 0 .75rem; }
  button {
    font: inherit;
    font-weight: 600;
    min-height: 44px;
    padding: .6rem 1rem;
    border-radius: 8px;
    border: 1px solid #596070;
    background: #fff;
    color: #1a1d24;
    cursor: pointer;
  }
  button.primary {
    width: 100%;
    border-color: transparent;
    background: var(--pk-primary, #1f3fbf);
    color: var(--pk-on-primary, #fff);
  }
  button.link { border: 0; background: none; padding: .5rem .25rem; text-decoration: underline; min-height: 0; }
  button:is([disabled], [aria-disabled='true']) { opacity: .6; cursor: progress; }
  :focus-visible { outline: 3px solid #1a1d24; outline-offset: 2px; box-shadow: 0 0 0 2px var(--pk-accent, #f0a000); }
  input:focus-visible { outline-offset: 0; }
  h2:focus { outline: none; box-shadow: none; }
  label { display: block; font-weight: 600; margin-bottom: .25rem; }
  input {
    font: inherit;
    width: 100%;
    min-height: 44px;
    padding: .5rem .75rem;
    border: 1px solid #596070;
    border-radius: 8px;
    color: inherit;
    background: #fff;
  }
  input[aria-invalid='true'] { border: 2px solid #b3261e; }
  .field { margin-bottom: .9rem; }
  .error { color: #b3261e; font-size: .9rem; margin: .25rem 0 0; }
  .error:empty { margin: 0; }
  .row { display: flex; gap: .75rem; }
  .row > * { flex: 1; }
  .stack > * + * { margin-top: .6rem; }
  @media (forced-colors: active) {
    button:is([disabled], [aria-disabled='true']) { color: GrayText; border-color: GrayText; opacity: 1; }
  }
`;
