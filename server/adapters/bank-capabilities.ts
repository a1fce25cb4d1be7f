/**
 * What a partner bank supports, read off its adapter: the widget offers a shopper
 * only what their bank can do. A capability is a set of members; an adapter has all
 * of them or none (`checkBankCapabilities` refuses half a capability, naming what is
 * missing). Money-moving capabilities include their lookup by our reference: an
 * unknown outcome is resolved by it.
 *
 * | capability          | members                                                                 |
 * |---------------------|-------------------------------------------------------------------------|
 * | `card_tokenization` | `tokenizeCard`, `releaseToken`                                          |
 * | `card_charge`       | `charge`, `lookupCharge`, `listCharges`                                 |
 * | `account_payment`   | `accountPayments` (an `AccountPaymentAdapter`, bank consent)            |
 * | `lookup`            | `lookupCharge` or `accountPayments.lookupPayment`                       |
 * | `refund`            | `refund`, `lookupRefund`, `listRefunds`                                 |
 * | `fx_quote`          | `quoteFx`                                                               |
 * | `fee_schedule`      | `feeSchedule`                                                           |
 * | `offers`            | `offersFor`, `redeemOffer`, `revokeOffer`, `offerRedemption`, `recordOfferConsent` |
 *
 * Every adapter also declares `limits` (currencies, amounts, text lengths).
 */
import type { AccountPaymentAdapter, AccountPaymentDeclineCode } from './open-banking/account-payment-adapter.ts';
import type { BankAdapter } from './bank-adapter.ts';
import type { BankDeclineCode } from './bank-result-code.ts';

/** Fails to compile when an account-payment decline leaves the one standard set (add the code to bank-result-code.ts). */
export type AccountPaymentCodesAreStandard = StandardCode<AccountPaymentDeclineCode>;
type StandardCode<Code extends BankDeclineCode> = Code;

export const BANK_CAPABILITIES = [
  'card_tokenization',
  'card_charge',
  'account_payment',
  'lookup',
  'refund',
  'fx_quote',
  'fee_schedule',
  'offers',
] as const;
export type BankCapability = (typeof BANK_CAPABILITIES)[number];

/** A bank as the registry holds it: a card bank, possibly also taking account payments. */
export type PartnerBankAdapter = BankAdapter & { readonly accountPayments?: AccountPaymentAdapter };

const MEMBERS: Record<Exclude<BankCapability, 'lookup' | 'account_payment'>, readonly string[]> = {
  card_tokenization: ['tokenizeCard', 'releaseToken'],
  card_charge: ['charge', 'lookupCharge', 'listCharges'],
  refund: ['refund', 'lookupRefund', 'listRefunds'],
  fx_quote: ['quoteFx'],
  fee_schedule: ['feeSchedule'],
  offers: ['offersFor', 'redeemOffer', 'revokeOffer', 'offerRedemption', 'recordOfferConsent'],
};
const ACCOUNT_PAYMENT_MEMBERS = ['createConsent', 'authorizationUrl', 'completeAuthorization', 'consentState', 'submitPayment', 'lookupPayment'];

/** The capabilities `adapter` has, in `BANK_CAPABILITIES` order; a TypeError naming the adapter for half a capability. */
export function checkBankCapabilities(adapter: object): readonly BankCapability[] {
  const { id: named } = adapter as { id?: unknown };
  const id = typeof named === 'string' ? named : '(no id)';
  const has = (target: object, member: string) => typeof (target as Record<string, unknown>)[member] === 'function';
  const found = new Set<BankCapability>();
  for (const [capability, members] of Object.entries(MEMBERS) as [BankCapability, readonly string[]][]) {
    const present = members.filter((member) => has(adapter, member));
    if (present.length === 0) continue;
    if (present.length < members.length) {
      const missing = members.filter((member) => !present.includes(member));
      throw new TypeError(
        `bank adapter "${id}": expected all of ${members.join(', ')} for capability ${capability}, received ${present.join(', ')} without ${missing.join(', ')}`,
      );
    }
    found.add(capability);
  }
  const accountPayments = (adapter as { accountPayments?: unknown }).accountPayments;
  if (accountPayments !== undefined) {
    const missing = ACCOUNT_PAYMENT_MEMBERS.filter((member) => !(accountPayments && has(accountPayments as object, member)));
    if (missing.length > 0) {
      throw new TypeError(`bank adapter "${id}": expected accountPayments to be an AccountPaymentAdapter, received one without ${missing.join(', ')}`);
    }
    found.add('account_payment');
  }
  if (found.has('card_charge') || found.has('account_payment')) found.add('lookup');
  return BANK_CAPABILITIES.filter((capability) => found.has(capability));
}

/** What a bank supports, for the widget to offer only that. */
export function capabilitiesOf(adapter: PartnerBankAdapter | AccountPaymentAdapter): readonly BankCapability[] {
  // An account-payment bank on its own (its `refunds` is declared 'not_supported', not a method).
  if ('createConsent' in adapter) return checkBankCapabilities({ id: adapter.id, accountPayments: adapter });
  return checkBankCapabilities(adapter);
}
