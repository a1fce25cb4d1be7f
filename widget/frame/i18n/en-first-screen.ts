/**
 * The English strings the frame needs before and on its first screen for a new shopper: the wallet's own frame (title,
 * Cancel, the account links, status lines), the flow's messages and errors, and the sign-in screen. They ship in the
 * wallet's chunk; the rest of the table (`en-later.ts`) loads with the first screen after sign-in, so a new shopper's
 * first screen does not carry text it does not show. `en.ts` is the whole table.
 */
export const enFirstScreen = {
  frameTitle: 'Paykey wallet',
  loading: 'Loading…',
  cancel: 'Cancel',

  signInTitle: 'Pay with your passkey',
  signInIntro: 'Use the passkey saved on this device, or create one in a few seconds.',
  // User education for shoppers new to digital wallets: one sentence each.
  whatIsAPasskey: 'A passkey replaces a password: you confirm with your fingerprint, face or screen lock, and it never leaves your device.',
  merchantNeverSeesCard: 'The shop never sees your card number: only Paykey and your bank do.',
  largerText: 'Larger text',
  continueWithPasskey: 'Continue with passkey',
  createAPasskey: 'Create a passkey',
  email: 'Email',
  emailInvalid: 'Enter a valid email address.',
  createPasskey: 'Create passkey',
  waitingForBank: 'Waiting for your bank’s answer…',
  errorBankWindowBlocked: 'Your browser blocked your bank’s window. Allow pop-ups for this site and press Pay again.',
  waitingForReview: 'Waiting for the check to finish…',
  paymentCanceled: 'Payment canceled',
  paymentCanceledBody: (payee: string) => `${payee} canceled this payment. Nothing was charged.`,
  paymentCanceledByMerchant: 'The merchant canceled this payment. Nothing was charged.',
  waitingForPasskey: 'Waiting for your passkey…',

  errorPasskeyCancelled: 'The passkey request was cancelled or timed out. Please try again.',
  errorPasskeyUnsupported: 'This browser cannot use passkeys here.',
  errorNetwork: 'We could not reach Paykey. Check your connection and try again.',
  errorGeneric: 'Something went wrong. Please try again.',
  errorCardUnknown: 'Your saved cards have changed. Please sign in again.',
  errorSessionExpired: 'Please continue with your passkey again.',
  errorIntentMismatch: 'This checkout does not match its payment.',
  errorUnavailable: 'This checkout is not available.',
  errorFrameObscured: 'Pay was hidden or covered, so nothing was paid. Make it fully visible and press it again.',

  /** The server's messages are English: shown as they are in English, replaced by `codeMessages` in other languages. */
  showsServerMessages: true as boolean,
  /** What a shopper reads for the server's codes where the server's own (English) message is not shown. */
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

  // ——— Below: one commented block per part of the frame ("flow", "brand", "screens"), mirrored in zh-CN.ts. ———

  // ——— "flow" (app/checkout-flow.ts, app/paykey-wallet.ts): quotes, receipt, the shopper's own views ———
  termsChanged: 'The price of this payment was updated. Check it, then press Pay again.',
  viewReceipt: 'View receipt',
  accountNav: 'Your wallet',
  paymentsNav: 'Payments',
  manageCardsNav: 'Manage cards',
  signOutNav: 'Sign out on this device',
  titleOf: (screen: string, wallet: string) => `${screen} – ${wallet}`,
};

export type FirstScreenMessages = typeof enFirstScreen;
