/**
 * What charges on a sandbox card do, decided from the test-card number when the
 * card is tokenized (the number itself is never kept). Any other valid card approves.
 */
export type SandboxBehaviour = 'approve' | 'decline_card_declined' | 'decline_insufficient_funds';

const testCards: Record<string, SandboxBehaviour> = {
  '4242424242424242': 'approve',
  '4000000000000002': 'decline_card_declined',
  '4000000000009995': 'decline_insufficient_funds',
};

export function sandboxBehaviour(digits: string): SandboxBehaviour {
  return testCards[digits] ?? 'approve';
}
