/** Lotus Bank's test cards (README "Test cards"), as `CardDetails`: held in CNY. */
import type { CardDetails } from '../../server/adapters/bank-adapter.ts';

const future = { expMonth: 12, expYear: new Date().getUTCFullYear() + 3, cvc: '123', name: 'Li Wei' };

export const lotusCards = {
  approve: { number: '5555555555554444', ...future },
  decline: { number: '5105105105105100', ...future },
} satisfies Record<string, CardDetails>;
