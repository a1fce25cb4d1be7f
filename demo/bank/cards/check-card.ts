/**
 * Checks a card the way a demo bank's issuer would before tokenizing it:
 * number shape and Luhn, one of the numbers it issues, expiry not in the past, CVC length for the brand.
 * A bad card is a value, not an exception; messages never repeat the number or CVC.
 */
import { detectCardBrand, type DetectedCardBrand } from './detect-card-brand.ts';
import { isLuhnValid } from '../../../server/adapters/is-luhn-valid.ts';
import type { BankProfile } from '../bank-profile.ts';
import { cardBehaviour, type SandboxBehaviour } from './sandbox-behaviour.ts';

export interface CardInput {
  number: string;
  exp_month: number;
  exp_year: number;
  cvc: string;
}

export type CardCheck =
  | { ok: true; digits: string; brand: DetectedCardBrand; last4: string; behaviour: SandboxBehaviour }
  | { ok: false; code: 'invalid_card' | 'expired_card' | 'incorrect_cvc'; message: string };

export function checkCard(card: CardInput, now: Date, profile: Pick<BankProfile, 'name' | 'issuedBins' | 'testCards'>): CardCheck {
  // Humans type spaces and dashes; nothing else is allowed.
  const digits = card.number.replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(digits)) {
    return { ok: false, code: 'invalid_card', message: `expected a card number of 12 to 19 digits, received ${describeShape(digits)}` };
  }
  if (!isLuhnValid(digits)) {
    return { ok: false, code: 'invalid_card', message: 'the card number fails its check digit (Luhn)' };
  }
  if (profile.issuedBins && !profile.issuedBins.some((bin) => digits.startsWith(bin))) {
    return {
      ok: false,
      code: 'invalid_card',
      message: `expected a card ${profile.name} issues (numbers starting ${profile.issuedBins.join(' or ')}), received one starting ${digits.slice(0, 1)}…`,
    };
  }
  const thisYear = now.getUTCFullYear();
  const thisMonth = now.getUTCMonth() + 1;
  // A card is valid through the last day of its expiry month.
  if (card.exp_year < thisYear || (card.exp_year === thisYear && card.exp_month < thisMonth)) {
    const expiry = `${String(card.exp_month).padStart(2, '0')}/${card.exp_year}`;
    const current = `${String(thisMonth).padStart(2, '0')}/${thisYear}`;
    return { ok: false, code: 'expired_card', message: `expected an expiry of ${current} or later, received ${expiry}` };
  }
  const brand = detectCardBrand(digits);
  const cvcLength = brand === 'amex' ? 4 : 3;
  if (!new RegExp(`^\\d{${cvcLength}}$`).test(card.cvc)) {
    return { ok: false, code: 'incorrect_cvc', message: `expected a ${cvcLength}-digit CVC for ${brand}, received ${card.cvc.length} characters` };
  }
  return { ok: true, digits, brand, last4: digits.slice(-4), behaviour: cardBehaviour(profile.testCards, digits) };
}

function describeShape(value: string): string {
  if (value.length === 0) return 'nothing';
  return /^\d+$/.test(value) ? `${value.length} digits` : `${value.length} characters including non-digits`;
}
