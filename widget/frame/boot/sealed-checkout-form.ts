import type { CheckoutAnswer } from '../../shopper-api.ts';

/**
 * The checkout as the frame page holds it sealed (`server/routes/widget-assets.ts`): `POST /api/frame/checkout`'s
 * answer less what the frame knows already (its intent's id, in its URL) and less the fields that are null. Every
 * byte of the page is downloaded before `paykey-ready`, and a sealed byte does not compress.
 */
export type SealedCheckoutForm = Omit<Partial<CheckoutAnswer>, 'paymentIntentId'>;

/** The top-level fields of `CheckoutAnswer` that may be null, restored as null when the sealed form leaves them out. */
const NULLABLE = { description: null, lastError: null, payByBank: null } satisfies { [K in keyof CheckoutAnswer]?: null };

/** The form the server seals: `answer` without its intent's id and its null fields. */
export function toSealedCheckoutForm(answer: CheckoutAnswer): SealedCheckoutForm {
  const { paymentIntentId: _known, ...rest } = answer;
  return Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== null)) as SealedCheckoutForm;
}

/** The checkout of intent `paymentIntentId` from its sealed form: `POST /api/frame/checkout`'s answer, field for field. */
export const fromSealedCheckoutForm = (paymentIntentId: string, form: SealedCheckoutForm): CheckoutAnswer =>
  ({ paymentIntentId, ...NULLABLE, ...form }) as CheckoutAnswer;
