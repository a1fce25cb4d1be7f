import type { BankAdapter } from '../adapters/bank-adapter.ts';
import type { BankDirectory } from '../adapters/registry.ts';
import type { CardRow } from '../shoppers/cards.ts';

/**
 * The adapter of the bank that issued a card's token. A card whose bank was
 * removed from the configuration throws: for money in flight that is an
 * unknown outcome until an operator restores the adapter.
 */
export function bankForCard(banks: Pick<BankDirectory, 'has' | 'get'>, card: CardRow): BankAdapter {
  if (!banks.has(card.bank)) throw new Error(`no bank adapter "${card.bank}" is configured for card ${card.id}`);
  return banks.get(card.bank);
}
