/**
 * The English strings of every screen after sign-in (add a card, confirm, the outcome, the receipt, the shopper's own
 * views): loaded with the first of those screens (`loadMessages`), not with the wallet. `en.ts` is the whole table.
 */
export const enLater = {
  back: 'Back',

  addCardTitle: 'Add a card',
  cardNumber: 'Card number',
  expiryDate: 'Expiry date',
  expiryHint: 'MM/YY',
  securityCode: 'Security code',
  nameOnCard: 'Name on card',
  saveCard: 'Save card',
  saveCardHint: 'Keep this card for your next payments. Unticked, it pays this time only and is not kept.',
  useThisCard: 'Use this card',
  cardNumberInvalid: 'Enter a valid card number.',
  expiryInvalid: 'Enter the expiry date as MM/YY.',
  expiryPast: 'This card has expired.',
  cvcInvalid: (digits: number) => `Enter the ${digits}-digit security code.`,
  nameRequired: 'Enter the name on the card.',
  fieldsToFix: (count: number) => (count === 1 ? '1 field needs your attention.' : `${count} fields need your attention.`),

  confirmTitle: 'Confirm your payment',
  payTo: 'Pay to',
  amount: 'Amount',
  chooseCard: 'Pay with',
  cardLabel: (brand: string, last4: string, exp: string) => `${brand} ending in ${last4}, expires ${exp}`,
  addCard: 'Add card',
  pay: (amount: string) => `Pay ${amount}`,
  payPending: 'Pay',
  issuedBy: (bank: string) => `Cards issued by ${bank}`,

  paymentComplete: 'Payment complete',
  paymentCompleteBody: (amount: string, payee: string) => `${amount} paid to ${payee}.`,
  paymentFailed: 'Payment not completed',
  tryAnotherCard: 'Try another card',
  processing: 'Processing your payment…',
  // The outcome is not known yet: the shopper must not pay twice, and hears about it from the merchant.
  processingTitle: 'Your bank is confirming this payment',
  processingBody: 'This can take a few minutes.',
  reviewTitle: 'Your payment is being checked',
  reviewBody: 'The bank’s answer is being checked. This can take a while.',
  doNotPayAgain: 'Please do not pay again.',
  merchantWillConfirm: (payee: string) => `${payee} will confirm the outcome with you.`,
  payByBank: (bank: string) => `Pay by bank with ${bank}`,
  waitingForBankApproval: (bank: string) => `Waiting for ${bank}… Approve the payment in its window.`,
  savingCard: 'Saving your card…',

  brands: {
    visa: 'Visa',
    mastercard: 'Mastercard',
    amex: 'American Express',
    discover: 'Discover',
    unknown: 'Card',
  } as Record<string, string>,
  loadingReceipt: 'Loading your receipt…',
  loadingPayments: 'Loading your payments…',
  removingCard: 'Removing the card…',
  signingOut: 'Signing out…',
  signedOutOffline: 'You are signed out on this device. Paykey could not be reached to end your session; it ends by itself soon.',

  // ——— "brand" (confirm/paykey-confirm.ts): what the shopper signs — fee, exchange rate, debit ———
  fee: 'Fee',
  exchangeRate: 'Exchange rate',
  rateSource: (source: string) => `Rate from ${source}`,
  debited: 'Debited from your card',
  gettingRate: 'Getting the exchange rate…',
  gettingPrice: 'Getting the price…',

  // ——— "confirm-ui" (confirm/paykey-confirm.ts, app/checkout-flow.ts): the applied bank offer (the offers' own strings, and the flow's about offers, load with offers/) ———
  offerOf: (bank: string) => `${bank} offer`,
  offerOff: (amount: string) => `${amount} off`,
  offerCashback: (amount: string, date: string) => `${amount} back, expected by ${date}`,
  instalments: 'Instalments',
  instalmentPlan: (today: string, rest: number, each: string, apr: string, fees: string) => `Today ${today}, then ${rest} × ${each} monthly, ${apr} APR, ${fees}`,
  noFees: 'no fees',
  feesOf: (amount: string) => `${amount} in fees`,
};

export type LaterMessages = typeof enLater;
