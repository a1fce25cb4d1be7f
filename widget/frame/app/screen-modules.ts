/**
 * The code of each screen, fetched when the flow first shows it. The two first screens are chunks of their own too: a
 * new shopper downloads sign-in, a returning one (saved cards on the device) the confirm screen; both before ready only
 * when the device's hint was stale (`first-screen-hint.ts`).
 */
const modules: Partial<Record<string, () => Promise<unknown>>> = {
  'sign-in': () => import('../sign-in/paykey-sign-in.ts'),
  confirm: () => import('../confirm/paykey-confirm.ts'),
  'card-form': () => import('../card-form/paykey-card-form.ts'),
  pending: () => import('../result/paykey-pending.ts'),
  result: () => import('../result/paykey-result.ts'),
  receipt: () => import('../receipt/paykey-receipt.ts'),
  payments: () => import('../payments/paykey-payments.ts'),
  'manage-cards': () => import('../manage-cards/paykey-manage-cards.ts'),
};

/** Loads `screen`'s element (a no-op for the screens the wallet draws itself). Rejects when its code cannot be fetched. */
export async function loadScreen(screen: string): Promise<void> {
  await modules[screen]?.();
}
