import type { PaymentStatus } from '../../widget/shopper-api.ts';

/**
 * The one state machine of a payment intent. The database enforces the same
 * moves with triggers (migration 0003), and every move in code is a
 * conditional update from one of the `from` states, so two racing writers
 * cannot both make it.
 *
 *   requires_confirmation ─▶ processing ─▶ succeeded
 *        │   ▲                   │  └────▶ failed ─▶ processing (another card)
 *        ▼   └────── failed ◀────┤          └────▶ canceled
 *     canceled                   └──▶ requires_review ─▶ succeeded | failed
 */
export const INTENT_MOVES: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  requires_confirmation: ['processing', 'canceled'],
  processing: ['succeeded', 'failed', 'requires_review'],
  failed: ['processing', 'canceled'],
  requires_review: ['succeeded', 'failed'],
  succeeded: [],
  canceled: [],
};

/** The states a move to `to` may start from. */
export function statesMovingTo(to: PaymentStatus): PaymentStatus[] {
  return (Object.keys(INTENT_MOVES) as PaymentStatus[]).filter((from) => INTENT_MOVES[from].includes(to));
}

/** States from which a shopper may confirm (a failed intent is retried with another card). */
export const CONFIRMABLE_STATUSES = statesMovingTo('processing');
