/**
 * The English strings of every screen after sign-in (add a card, confirm, the outcome, the receipt, the shopper's own
 * views): loaded with the first of those screens (`loadMessages`), not with the wallet. `en.ts` is the whole table.
 */
export const enLater = {
  // Read only on screens after sign-in (they load this part first): the wallet's account links, its status while
  // waiting on the bank, and the flow's messages about paying.
  termsChanged: 'The price of this payment was updated. Check it, then press Pay again.',
  viewReceipt: 'View receipt',
  accountNav: 'Your wallet',
  paymentsNav: 'Payments',
  manageCardsNav: 'Manage cards',
  signOutNav: 'Sign out on this device',
  waitingForBank: 'Waiting for your bank’s answer…',
  waitingForReview: 'Waiting for the check to finish…',
  errorBankWindowBlocked: 'Your browser blocked your bank’s window. Allow pop-ups for this site and press Pay again.',
  errorCardUnknown: 'Your saved cards have changed. Please sign in again.',
  errorSessionExpired: 'Please continue with your passkey again.',
  errorFrameObscured: 'Pay was hidden or covered, so nothing was paid. Make it fully visible and press it again.',

  /**
   * What a shopper reads for the server's codes where the server's own (English) message is not shown. Here, not in
   * the first screen's part: an error before the whole table has loaded reads the server's message, or a general one.
   */
  codeMessages: {
    card_declined: 'Your bank declined this card. Try another card or contact your bank.',
    insufficient_funds: 'There is not enough money on this card. Try another card.',
    expired_card: 'This card has expired. Try another card.',
    incorrect_cvc: 'The security code is not right. Check it and try again.',
    invalid_card: 'This card cannot be used. Check its details or try another card.',
    processing_error: 'Your bank could not process this payment. Try again or use another card.',
    invalid_card_details: 'Check the card details and try again.',
    card_not_supported: 'None of our partner banks issues this card. Try another card.',
    card_unavailable: 'This card cannot pay this payment. Choose another card.',
    card_limit_reached: 'Your wallet is full. Remove a card to add another.',
    consent_rejected: 'The payment was not approved at your bank. Nothing was paid.',
    consent_expired: 'The approval at your bank ran out before it was used. Nothing was paid.',
    payment_rejected: 'Your bank rejected this payment. Nothing was paid.',
    consent_window_closed: 'You closed your bank’s window before approving. Nothing was paid.',
    rate_limited: 'Too many attempts. Please wait a little and try again.',
    bank_unavailable: 'Your bank is not answering just now. Please try again shortly.',
    authentication_locked: 'Too many failed attempts: this payment is locked for your safety.',
    session_expired: 'Please continue with your passkey again.',
    session_invalid: 'Please continue with your passkey again.',
  } as Record<string, string>,

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
