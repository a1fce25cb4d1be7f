/** What the API's middleware hands the route handlers (Hono context variables). */
import type { Operation } from 'openapi-backend';
import type { RegisteredClient } from '../oauth/client-registry.ts';

export interface ObVariables {
  /** x-fapi-interaction-id: the caller's, echoed on the answer, or a fresh UUID. */
  interactionId: string;
  /** The document's operation this request matched. */
  operation: Operation;
  /** The client the access token was issued to. */
  client: RegisteredClient;
  /** The consent an authorization_code token was granted for; null for a client_credentials token. */
  tokenConsentId: string | null;
  /** The parsed JSON body (POST). */
  body: unknown;
}

export type ObEnv = { Variables: ObVariables };
