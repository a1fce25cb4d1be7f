/** The sandbox bank's test cards (README "Test cards"), as `CardDetails`. */
import type { CardDetails } from '../../server/adapters/bank-adapter.ts';

const future = { expMonth: 12, expYear: new Date().getUTCFullYear() + 3, cvc: '123', name: 'Ada Lovelace' };

export const sandboxCards = {
  approve: { number: '4242424242424242', ...future },
  decline: { number: '4000000000000002', ...future },
  insufficientFunds: { number: '4000000000009995', ...future },
} satisfies Record<string, CardDetails>;
