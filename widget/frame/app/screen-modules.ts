/**
 * The code of each screen after the first, fetched when the flow first shows it: the first screen (sign-in or
 * confirm, in the frame's first chunk) never waits for these.
 */
const modules: Partial<Record<string, () => Promise<unknown>>> = {
  'card-form': () => import('../card-form/paykey-card-form.ts'),
  pending: () => import('../result/paykey-pending.ts'),
  result: () => import('../result/paykey-result.ts'),
  receipt: () => import('../receipt/paykey-receipt.ts'),
  payments: () => import('../payments/paykey-payments.ts'),
  'manage-cards': () => import('../manage-cards/paykey-manage-cards.ts'),
};

/** Loads `screen`'s element (a no-op for the screens of the first chunk). Rejects when its code cannot be fetched. */
export async function loadScreen(screen: string): Promise<void> {
  await modules[screen]?.();
}
