/**
 * The wallet's order as the standard's request bodies: OBWriteDomesticConsent4 and OBWriteDomestic2. Both are
 * built from the same order by the same function, byte for byte, because the bank requires the payment's
 * Initiation and Risk to be the consent's, and a replay with the same x-idempotency-key to carry the same body.
 * Our reference travels as InstructionIdentification and EndToEndIdentification.
 */
import { BankConfigurationError } from '../bank-adapter.ts';
import type { AccountPaymentLimits, AccountPaymentOrder } from './account-payment-adapter.ts';
import { formatMinorUnits } from './gbp-amount.ts';

export interface PaymentRiskOptions {
  /** ISO 18245 merchant category code (3–4 digits), when the merchant has one. */
  merchantCategoryCode?: string;
}

export interface DomesticInitiation {
  InstructionIdentification: string;
  EndToEndIdentification: string;
  LocalInstrument: 'UK.OBIE.FPS';
  InstructedAmount: { Amount: string; Currency: string };
  CreditorAccount: { SchemeName: string; Identification: string; Name: string };
  RemittanceInformation?: { Unstructured: string[] };
}

export interface DomesticRisk {
  PaymentContextCode: 'EcommerceMerchantInitiatedPayment';
  MerchantCategoryCode?: string;
  ContractPresentIndicator: boolean;
  BeneficiaryPrepopulatedIndicator: boolean;
}

export interface ConsentRequestBody {
  Data: { ReadRefundAccount: 'No'; Initiation: DomesticInitiation };
  Risk: DomesticRisk;
}

export interface PaymentRequestBody {
  Data: { ConsentId: string; Initiation: DomesticInitiation };
  Risk: DomesticRisk;
}

/** Checks the order against what the bank carries; `BankConfigurationError` naming what was expected. */
export function checkOrder(order: AccountPaymentOrder, limits: AccountPaymentLimits, bank: string): void {
  const problems: string[] = [];
  if (!limits.currencies.includes(order.currency)) problems.push(`currency: expected one of ${limits.currencies.join(', ')}, received ${JSON.stringify(order.currency)}`);
  if (!Number.isSafeInteger(order.amount) || order.amount < limits.amount.min || order.amount > limits.amount.max) {
    problems.push(`amount: expected an integer from ${limits.amount.min} to ${limits.amount.max} minor units, received ${String(order.amount)}`);
  }
  if (typeof order.reference !== 'string' || order.reference.length === 0 || order.reference.length > limits.maxReferenceLength) {
    problems.push(`reference: expected 1–${limits.maxReferenceLength} characters, received ${typeof order.reference === 'string' ? order.reference.length : typeof order.reference}`);
  }
  if (order.description !== undefined && order.description.length > limits.maxDescriptionLength) {
    problems.push(`description: expected at most ${limits.maxDescriptionLength} characters, received ${order.description.length}`);
  }
  if (order.payee?.schemeName !== 'UK.OBIE.SortCodeAccountNumber' || !/^\d{14}$/.test(order.payee.identification ?? '')) {
    problems.push('payee: expected UK.OBIE.SortCodeAccountNumber with a 14-digit sort code and account number, received another');
  }
  if (!order.payee?.name || order.payee.name.length > 350) problems.push('payee.name: expected 1–350 characters');
  if (problems.length > 0) throw new BankConfigurationError(`${bank}: the order is outside what the bank carries; ${problems.join('; ')}`);
}

export function domesticInitiation(order: AccountPaymentOrder): DomesticInitiation {
  return {
    InstructionIdentification: order.reference,
    EndToEndIdentification: order.reference,
    LocalInstrument: 'UK.OBIE.FPS',
    InstructedAmount: { Amount: formatMinorUnits(order.amount), Currency: order.currency },
    CreditorAccount: { SchemeName: order.payee.schemeName, Identification: order.payee.identification, Name: order.payee.name },
    ...(order.description ? { RemittanceInformation: { Unstructured: [order.description] } } : {}),
  };
}

export function domesticRisk(options: PaymentRiskOptions): DomesticRisk {
  return {
    PaymentContextCode: 'EcommerceMerchantInitiatedPayment',
    ...(options.merchantCategoryCode ? { MerchantCategoryCode: options.merchantCategoryCode } : {}),
    ContractPresentIndicator: false,
    BeneficiaryPrepopulatedIndicator: true,
  };
}

export function consentRequestBody(order: AccountPaymentOrder, risk: PaymentRiskOptions): ConsentRequestBody {
  return { Data: { ReadRefundAccount: 'No', Initiation: domesticInitiation(order) }, Risk: domesticRisk(risk) };
}

export function paymentRequestBody(consentId: string, order: AccountPaymentOrder, risk: PaymentRiskOptions): PaymentRequestBody {
  return { Data: { ConsentId: consentId, Initiation: domesticInitiation(order) }, Risk: domesticRisk(risk) };
}
