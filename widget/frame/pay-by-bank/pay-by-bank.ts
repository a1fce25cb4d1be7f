/**
 * Pay by bank, loaded on demand when the shopper presses Pay with "Pay by bank" chosen: the passkey confirms the
 * payment (bound to the bank, as a card payment is to its card), the server answers with the bank's consent page,
 * the window opened in the click shows it, and the frame waits for the outcome — the callback page's message
 * (from the wallet's own origin, through `window.opener`), a status poll, or the window closing.
 * A window closed before approval is reported to the server, which ends the attempt `consent_window_closed`
 * unless an approval got there first; either way the server's answer is the outcome.
 */
import type { BankPaymentResponse, ConfirmOptionsResponse, ConfirmResponse } from '../../shopper-api.ts';
import type { FlowApi, Passkeys } from '../app/flow-deps.ts';
import type { PaymentState } from '../app/wait-for-outcome.ts';

/** The callback page's message (server/routes/open-banking-callback.ts). */
const BANK_RETURN_MESSAGE = 'paykey-bank-return';

export interface PayByBankInput {
  api: Pick<FlowApi, 'call'>;
  /** The passkey ceremony that confirms the payment. */
  authenticate: Passkeys['authenticate'];
  clientSecret: string;
  sessionToken?: string;
  bank: string;
  /** The window opened synchronously in Pay's click (popup blockers need that user activation); null if blocked. */
  bankWindow: Window | null;
  /** Called once the shopper is at their bank. */
  atBank(): void;
  /** How often the status is polled while the window is open (ms). */
  pollEvery?: number;
}

export class BankWindowBlockedError extends Error {
  constructor() {
    super('The bank window was blocked');
    this.name = 'BankWindowBlockedError';
  }
}

export async function payByBank(input: PayByBankInput): Promise<PaymentState> {
  const { api, clientSecret, sessionToken, bankWindow } = input;
  try {
    const { challengeId, options } = await api.call<ConfirmOptionsResponse>(
      '/bank-payments/options',
      { client_secret: clientSecret, bank: input.bank },
      sessionToken,
    );
    const response = await input.authenticate(options);
    const started = await api.call<BankPaymentResponse>('/bank-payments', { client_secret: clientSecret, challenge_id: challengeId, response }, sessionToken);
    if (started.status !== 'processing' || !started.authorizationUrl) {
      bankWindow?.close();
      return started;
    }
    if (!bankWindow || bankWindow.closed) {
      await abandon(api, clientSecret);
      throw new BankWindowBlockedError();
    }
    bankWindow.location.href = started.authorizationUrl;
    input.atBank();
    return await waitForBank(input, bankWindow);
  } catch (error) {
    bankWindow?.close();
    throw error;
  }
}

/** Resolves with the first definite status: after the callback's message, a poll, or the window closing. */
function waitForBank(input: PayByBankInput, bankWindow: Window): Promise<PaymentState> {
  const { api, clientSecret } = input;
  const poll = () => api.call<ConfirmResponse>('/checkout', { client_secret: clientSecret });
  return new Promise<PaymentState>((resolve, reject) => {
    let done = false;
    let ticks = 0;
    let checking = false;
    const finish = (state: PaymentState | null, error?: unknown) => {
      if (done) return;
      done = true;
      clearInterval(timer);
      removeEventListener('message', onMessage);
      if (state) resolve(state);
      else reject(error);
    };
    const check = async (closed: boolean) => {
      if (checking || done) return;
      checking = true;
      try {
        const state = await poll();
        if (state.status !== 'processing') return finish(state);
        // Closed while the server still waits for the shopper's approval: nothing was approved (or the approval
        // is being recorded right now — the server decides which came first and answers with the outcome).
        if (closed) return finish(await api.call<ConfirmResponse>('/bank-payments/abandon', { client_secret: clientSecret }));
      } catch (error) {
        if (closed) finish(null, error);
      } finally {
        checking = false;
      }
    };
    const onMessage = (event: MessageEvent) => {
      if (event.origin === location.origin && event.source === bankWindow && (event.data as { type?: unknown } | null)?.type === BANK_RETURN_MESSAGE) void check(false);
    };
    addEventListener('message', onMessage);
    const every = input.pollEvery ?? 500;
    const timer = setInterval(() => {
      ticks++;
      // A closed window gets a moment for its callback to land first (its page closes itself after telling us).
      if (bankWindow.closed) {
        if (ticks % 2 === 0) void check(true);
      } else if (ticks % 4 === 0) void check(false);
    }, every);
  });
}

function abandon(api: PayByBankInput['api'], clientSecret: string): Promise<ConfirmResponse> {
  return api.call<ConfirmResponse>('/bank-payments/abandon', { client_secret: clientSecret });
}
