/** The sandbox issuer's decision on a charge, from the card's sandbox behaviour. */
import type { ChargeDeclineCode, ChargeStatus } from '../ledger/ledger-schema.ts';
import type { SandboxBehaviour } from './sandbox-behaviour.ts';

export interface ChargeDecision {
  status: ChargeStatus;
  decline_code: ChargeDeclineCode | null;
  decline_message: string | null;
}

export function decideCharge(behaviour: SandboxBehaviour): ChargeDecision {
  switch (behaviour) {
    case 'approve':
      return { status: 'approved', decline_code: null, decline_message: null };
    case 'decline_card_declined':
      return { status: 'declined', decline_code: 'card_declined', decline_message: 'The card was declined.' };
    case 'decline_insufficient_funds':
      return { status: 'declined', decline_code: 'insufficient_funds', decline_message: 'The card has insufficient funds.' };
  }
}
