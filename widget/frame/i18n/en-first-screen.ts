/**
 * The English strings the frame needs before and on its first screen for a new shopper: the wallet's own frame (title,
 * Cancel), the errors that can end the checkout before it, and the sign-in screen. They ship in the frame's first chunk;
 * the rest of the table (`en-later.ts`: the account links, the status while the bank answers, the text for each server
 * code) loads with the first screen after sign-in and is warmed once the first screen shows, so a new shopper's first
 * screen does not carry text it does not show. `en.ts` is the whole table.
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
  paymentCanceled: 'Payment canceled',
  paymentCanceledBody: (payee: string) => `${payee} canceled this payment. Nothing was charged.`,
  paymentCanceledByMerchant: 'The merchant canceled this payment. Nothing was charged.',
  waitingForPasskey: 'Waiting for your passkey…',

  errorPasskeyCancelled: 'The passkey request was cancelled or timed out. Please try again.',
  errorPasskeyUnsupported: 'This browser cannot use passkeys here.',
  errorNetwork: 'We could not reach Paykey. Check your connection and try again.',
  errorGeneric: 'Something went wrong. Please try again.',
  errorIntentMismatch: 'This checkout does not match its payment.',
  errorUnavailable: 'This checkout is not available.',

  /** The server's messages are English: shown as they are in English, replaced by `codeMessages` in other languages. */
  showsServerMessages: true as boolean,

  // ——— Below: one commented block per part of the frame ("flow", "brand", "screens"), mirrored in zh-CN.ts. ———

  // ——— "flow" (app/paykey-wallet.ts): the document title ———
  titleOf: (screen: string, wallet: string) => `${screen} – ${wallet}`,
};

export type FirstScreenMessages = typeof enFirstScreen;
