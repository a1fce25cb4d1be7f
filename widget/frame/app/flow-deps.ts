import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import type { FrameToParentMessage } from '../../protocol.ts';
import type { WalletApi } from '../api/wallet-api.ts';
import type { WalletCache } from '../storage/wallet-cache.ts';
import type { OutcomeTiming } from './wait-for-outcome.ts';

/**
 * The shopper API as the flow uses it (`WalletApi`, or a test's own over a fake backend): the calls made before the
 * first screen shows, and the transport (`call`, `send`) every later call goes through (`shopper-calls.ts`, signing in
 * included: its calls are made only when the shopper presses a button).
 */
export type FlowApi = Pick<WalletApi, 'checkout' | 'brands' | 'call' | 'send'>;

/** A message to the embedding page, without the `paykey: 1` the channel adds. */
export type OutgoingMessage = FrameToParentMessage extends infer M ? (M extends unknown ? Omit<M, 'paykey'> : never) : never;

/** Where the flow tells the merchant page what happened (`ParentChannel`). */
export interface FlowChannel {
  post(message: OutgoingMessage): void;
}

/** The passkey ceremonies (`browserPasskeys`: @simplewebauthn/browser, loaded on first use). */
export interface Passkeys {
  /** Starts loading the ceremony code, so the first prompt opens at once. */
  warm(): void;
  authenticate(options: PublicKeyCredentialRequestOptionsJSON): Promise<AuthenticationResponseJSON>;
  register(options: PublicKeyCredentialCreationOptionsJSON): Promise<RegistrationResponseJSON>;
}

/** How long the flow waits for what (ms): the outcome (`OutcomeTiming`) and the quoted terms. */
export interface FlowTiming extends OutcomeTiming {
  /** A quote is refreshed this long before it expires, so the shopper never presses Pay on a void one. */
  quoteLead: number;
  /** After a failed quote, the next try. */
  quoteRetry: number;
}

export interface FlowDeps {
  api: FlowApi;
  channel: FlowChannel;
  /** What this device remembers of the shopper (IndexedDB, `walletCache`): saved cards only, never a session. */
  cache: WalletCache;
  webauthn: Passkeys;
  /** How long the flow waits for what; `flowTiming` (flow-timing.ts) when absent. */
  timing?: FlowTiming;
  /** The payment intent named by the frame's URL (`/frame/<id>`); the client secret must name the same. */
  frameIntentId: string | null;
  /** The browser's languages, in the shopper's order (`navigator.languages`). */
  languages: readonly string[];
  /** Loads a screen's element before the flow shows it (screens other than the first load on demand). */
  loadScreen(screen: string): Promise<unknown>;
}
