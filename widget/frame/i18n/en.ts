/**
 * Every string the wallet frame shows, in English. Chinese arrives as a sibling table with the same shape,
 * so components read text only through `Messages`, never as literals.
 */
export const en = {
  frameTitle: 'Paykey wallet',
  loading: 'Loading…',
  cancel: 'Cancel',
  back: 'Back',

  signInTitle: 'Pay with your passkey',
  signInIntro: 'Use the passkey saved on this device, or create one in a few seconds.',
  continueWithPasskey: 'Continue with passkey',
  createAPasskey: 'Create a passkey',
  email: 'Email',
  emailInvalid: 'Enter a valid email address.',
  createPasskey: 'Create passkey',

  addCardTitle: 'Add a card',
  cardNumber: 'Card number',
  expiryDate: 'Expiry date',
  expiryHint: 'MM/YY',
  securityCode: 'Security code',
  nameOnCard: 'Name on card',
  saveCard: 'Save card',
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
  waitingForPasskey: 'Waiting for your passkey…',
  savingCard: 'Saving your card…',

  errorPasskeyCancelled: 'The passkey request was cancelled or timed out. Please try again.',
  errorPasskeyUnsupported: 'This browser cannot use passkeys here.',
  errorNetwork: 'We could not reach Paykey. Check your connection and try again.',
  errorGeneric: 'Something went wrong. Please try again.',
  errorCardUnknown: 'Your saved cards have changed. Please sign in again.',
  errorSessionExpired: 'Please continue with your passkey again.',
  errorIntentMismatch: 'This checkout does not match its payment.',
  errorUnavailable: 'This checkout is not available.',

  brands: {
    visa: 'Visa',
    mastercard: 'Mastercard',
    amex: 'American Express',
    discover: 'Discover',
    unknown: 'Card',
  } as Record<string, string>,
};

export type Messages = typeof en;
