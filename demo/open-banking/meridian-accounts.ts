/**
 * Meridian's test accounts (GBP, scheme UK.OBIE.SortCodeAccountNumber: 6-digit sort code + 8-digit account
 * number = the 14-digit Identification). Created with these opening balances in a new ledger; an existing
 * ledger keeps its balances.
 */
export const MERIDIAN_SORT_CODE = '040004';

export interface MeridianTestAccount {
  /** Sort code + account number, 14 digits. */
  identification: string;
  name: string;
  /** `shopper`: offered on the consent page as the account to pay from; `merchant`: receives payments. */
  holder: 'shopper' | 'merchant';
  /** Minor units (pence). */
  openingBalance: number;
}

export const MERIDIAN_TEST_ACCOUNTS: readonly MeridianTestAccount[] = [
  { identification: `${MERIDIAN_SORT_CODE}12345678`, name: 'Alex Shopper — Everyday Current', holder: 'shopper', openingBalance: 250_000 },
  { identification: `${MERIDIAN_SORT_CODE}23456789`, name: 'Alex Shopper — Rainy Day Saver', holder: 'shopper', openingBalance: 1_500 },
  { identification: `${MERIDIAN_SORT_CODE}87654321`, name: 'Paykey Demo Shop Ltd', holder: 'merchant', openingBalance: 0 },
];

/** `040004 12345678` → `04-00-04 12345678`, for people. */
export function formatSortCodeAccount(identification: string): string {
  return `${identification.slice(0, 2)}-${identification.slice(2, 4)}-${identification.slice(4, 6)} ${identification.slice(6)}`;
}
