import { isWholeTable, type Messages } from '../i18n/messages.ts';
import type { FlowState } from './flow-state.ts';

/**
 * The whole table, for code past sign-in: every screen but sign-in loads it before it shows
 * (`CheckoutFlow.loadScreen`), so an action on one of them finds it in `state.m`. Throws otherwise (the flow's `intent`
 * turns that into the alert).
 */
export function wholeTable(state: FlowState): Messages {
  const m = state.m;
  if (!isWholeTable(m)) throw new Error(`expected the whole ${state.locale} table, found the first screen part`);
  return m;
}
