/**
 * What charges on a demo card do, decided from the test-card number when the card is tokenized (the number
 * itself is never kept): the bank profile's `testCards`; any other valid card approves.
 */
export type SandboxBehaviour = 'approve' | 'decline_card_declined' | 'decline_insufficient_funds';

export function cardBehaviour(testCards: Readonly<Record<string, SandboxBehaviour>>, digits: string): SandboxBehaviour {
  return Object.hasOwn(testCards, digits) ? testCards[digits] : 'approve';
}
