import type { SavedCard } from '../../shopper-api.ts';
import type { FlowState } from './flow-state.ts';

/**
 * The state's cards replaced by `cards`: the `preferred` card stays chosen while it is among them (else the first, or
 * a bank chosen to pay by bank), and its terms stay while they are that card's.
 */
export function withCards(state: FlowState, cards: readonly SavedCard[], preferred = state.selectedId): Pick<FlowState, 'cards' | 'selectedId' | 'terms'> {
  const selectedId = cards.find((c) => c.id === preferred)?.id ?? cards[0]?.id ?? (preferred?.startsWith('bank:') ? preferred : undefined);
  return { cards, selectedId, terms: state.terms?.cardId === selectedId ? state.terms : undefined };
}

/** The cards the shopper saved (Manage cards lists these, and the device keeps them), not those added for one payment. */
export function savedCards(state: FlowState, oneTime: ReadonlySet<string>): readonly SavedCard[] {
  return state.cards.filter((c) => !oneTime.has(c.id));
}
