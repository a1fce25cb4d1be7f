import { WalletApiError } from '../api/wallet-api.ts';
import type { CardSubmitDetail } from '../card-form/paykey-card-form.ts';
import { CardIdempotency } from './card-idempotency.ts';
import type { CardCheckout } from './card-checkout.ts';
import { describeError } from './describe-error.ts';
import { withCards } from './with-cards.ts';
import * as calls from '../api/shopper-calls.ts';
import { wholeTable } from './whole-table.ts';

/**
 * The card form's submit, loaded with the card form's first use (never before the first screen): the card is saved
 * for later only when the shopper ticked "Save card"; a resubmission of the same details reuses its idempotency key.
 */
export async function submitCard(card: CardCheckout, d: CardSubmitDetail & { save?: boolean }): Promise<void> {
  const { flow } = card;
  flow.set({ cardError: '' });
  if (!(await flow.ensureSession())) return;
  const m = wholeTable(flow.state);
  const ok = await flow.run(
    m.savingCard,
    async () => {
      const request = { number: d.number, exp_month: d.expMonth, exp_year: d.expYear, cvc: d.cvc, name: d.name, save: d.save === true };
      const { card: added } = await calls.addCard(flow.deps.api, flow.session!, request, await (card.cardKeys ??= new CardIdempotency()).keyFor(request));
      const { saved, ...plain } = added;
      if (!saved) flow.oneTime.add(added.id);
      flow.set(withCards(flow.state, [...flow.state.cards.filter((c) => c.id !== added.id), plain], added.id));
      card.cacheCards();
      void card.fetchOffers();
    },
    (e) => {
      if (e instanceof WalletApiError && e.status === 401) {
        flow.session = undefined;
        flow.set({ cardError: m.errorSessionExpired });
      } else {
        flow.set({ cardError: describeError(m, e) });
      }
      return true;
    },
  );
  if (ok) await card.showConfirm();
}
