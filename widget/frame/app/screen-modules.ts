/**
 * The code of each screen, fetched when the flow first shows it. Sign-in, a new shopper's first screen, is not here: it
 * is in the frame's one first module with the wallet, so its download is not one more step after that module has run.
 * The confirm screen, a returning shopper's first (saved cards on the device), is a chunk of
 * its own, asked for by the entry as soon as it runs (`early-start.ts`), and by a new shopper after ready.
 */
const modules: Partial<Record<string, () => Promise<unknown>>> = {
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
